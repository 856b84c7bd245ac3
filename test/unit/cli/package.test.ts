/**
 * What `npm pack` ships: the CLI bundle and what it reads at run time (the bundled sample images),
 * README, LICENSE and the manifest — no sources, tests, fixtures or examples; and the CLI runs from
 * the unpacked tarball alone (its bundle needs no node_modules), `render` finding its default sample.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

beforeAll(() => {
  // the tarball holds the built CLI
  if (!existsSync('dist/cli.js')) execFileSync(npm, ['run', 'build'], { stdio: 'ignore', timeout: 180_000 });
}, 200_000);

describe('npm pack', () => {
  it('lists the CLI, its samples, README, LICENSE and package.json only', () => {
    const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json'], { encoding: 'utf8' }));
    const files: string[] = pack.files.map((f: { path: string }) => f.path).sort();
    const samples = readdirSync('media/samples')
      .filter((f) => f.endsWith('.png'))
      .map((f) => `media/samples/${f}`);
    expect(files).toEqual(
      ['LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli.js', ...samples, 'package.json'].sort(),
    );
    expect(files).toContain('media/samples/digit-3.png');
    expect(files).toContain('media/samples/scene-224.png');
  });

  it('the unpacked tarball runs: --help, summary, and render with the default sample', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-pack-'));
    const name = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' }))[0]
      .filename;
    execFileSync('tar', ['-xzf', join(dir, name), '-C', dir]);
    const cli = join(dir, 'package', 'dist', 'cli.js');
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', cwd: dir });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^convlens \d+\.\d+\.\d+ /);
    const example = join(process.cwd(), 'examples', 'textbook_cnn.py');
    const s = spawnSync(process.execPath, [cli, 'summary', example], { encoding: 'utf8', cwd: dir });
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toContain('Total params: 333,526');
    const png = join(dir, 'maps.png');
    const r = spawnSync(process.execPath, [cli, 'render', example, '--layer', 'conv2d', '--out', png], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(png)).toBe(true);
  }, 120_000);
});
