/**
 * The README's Quick start: exactly two commands, the second is `npm test`, and the first one's
 * main job (after `npm ci`) runs and produces what the README says.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README quick start', () => {
  const readme = readFileSync('README.md', 'utf8');
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const commands = block.split('\n').filter((l) => l.trim() !== '');

  it('has exactly two commands: install-build-run, and npm test', () => {
    expect(commands).toEqual(['npm ci && npm run demo', 'npm test']);
  });

  it('the main job prints the textbook table and writes demo/conv2d-maps.png', () => {
    rmSync('demo', { recursive: true, force: true });
    const out = execSync('npm run --silent demo', {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
    expect(out).toContain('Total params: 333,526');
    // not a terminal: the table is drawn in plain ASCII
    expect(out).toContain('| conv2d (Conv2D)');
    expect(out).toContain('demo/conv2d-maps.png: 32 feature maps of conv2d, shape (1, 28, 28, 32)');
    expect(existsSync('demo/conv2d-maps.png')).toBe(true);
    const png = readFileSync('demo/conv2d-maps.png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // PNG IHDR width and height
    expect(png.readUInt32BE(16)).toBeGreaterThan(200);
    expect(png.readUInt32BE(20)).toBeGreaterThan(200);
  });
});
