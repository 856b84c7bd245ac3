/**
 * The extension-tests entry (`--extensionTestsPath`): VS Code's extension host loads this module
 * and awaits run(). Runs every *.test.js bundled beside it with mocha (BDD); rejects when a test
 * fails, which makes VS Code exit with a non-zero code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMocha } from './mocha';

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'bdd',
    color: !process.env['NO_COLOR'],
    timeout: 60_000,
    ...(process.env['CONVLENS_TEST_GREP'] ? { grep: process.env['CONVLENS_TEST_GREP'] } : {}),
  });
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
  });
}
