// npm run screenshots: the README's pictures, taken in a real VS Code. Runs the end-to-end
// scenario that opens the textbook CNN with "ConvLens: Open Example" (test/e2e/e2e.test.ts,
// scenario 17; it writes test-results/e2e/readme/{hover,panel,summary}.png at the harness's fixed
// 1600×1000 viewport, cropped to what each shows), then copies the pictures to media/screenshots/.
// Needs what the e2e suite needs: bash scripts/setup-code-server.sh and Chromium.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PICTURES = ['hover', 'panel', 'summary'];
const FROM = join('test-results', 'e2e', 'readme');
const TO = join('media', 'screenshots');

const started = Date.now();
const vitest = join('node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--project', 'e2e', '-t', '20. Open Example'], {
  stdio: 'inherit',
});
if (run.status !== 0) {
  console.error('screenshots: the scenario failed; media/screenshots is unchanged');
  process.exit(1);
}
mkdirSync(TO, { recursive: true });
for (const name of PICTURES) {
  const src = join(FROM, `${name}.png`);
  const st = statSync(src);
  if (st.mtimeMs < started) {
    console.error(`screenshots: ${src} was not written by this run (was the scenario skipped?)`);
    process.exit(1);
  }
  const png = readFileSync(src);
  copyFileSync(src, join(TO, `${name}.png`));
  console.log(
    `${join(TO, `${name}.png`)}: ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}, ${(st.size / 1024).toFixed(0)} KB`,
  );
}
