/**
 * Files the CLI is given that are not regular files: a device that never ends (/dev/zero), a pipe
 * that never opens (a FIFO nobody writes), a folder. Each is refused before it is read, with one
 * line naming the path, in bounded time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const posix = process.platform !== 'win32' && existsSync('/dev/zero');

describe.runIf(posix)('CLI inputs that are not regular files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-hostile-in-'));
  const fifo = join(dir, 'fifo.png');
  execFileSync('mkfifo', [fifo]);

  it('/dev/zero as --input, as FILE and as --weights: refused as a device', async () => {
    for (const argv of [
      ['forward', 'examples/textbook_cnn.py', '--input', '/dev/zero', '--out', join(dir, 'o1')],
      ['summary', '/dev/zero'],
      [
        'forward',
        'examples/textbook_cnn.py',
        '--input',
        'media/samples/digit-3.png',
        '--weights',
        '/dev/zero',
        '--out',
        join(dir, 'o2'),
      ],
    ]) {
      const r = await cli(...argv);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(
        /^convlens (forward|summary): cannot read '\/dev\/zero': it is a device, not a regular file$/,
      );
    }
  });

  it('a FIFO as --input or FILE: refused without opening it (no hang)', async () => {
    const t0 = performance.now();
    const a = await cli('forward', 'examples/textbook_cnn.py', '--input', fifo, '--out', join(dir, 'o3'));
    expect([a.code, a.err]).toEqual([
      2,
      `convlens forward: cannot read '${fifo}': it is a pipe (FIFO), not a regular file`,
    ]);
    const b = await cli('check', fifo);
    expect(b.code).toBe(2);
    expect(b.err).toContain('it is a pipe (FIFO), not a regular file');
    expect(b.err).not.toContain('\n');
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('an unreadable --input is a clean message, not an internal error', async () => {
    const r = await cli(
      'forward',
      'examples/textbook_cnn.py',
      '--input',
      join(dir, 'missing.png'),
      '--out',
      join(dir, 'o4'),
    );
    expect([r.code, r.err]).toEqual([2, `convlens forward: cannot read '${join(dir, 'missing.png')}': no such file`]);
    const d = await cli('forward', 'examples/textbook_cnn.py', '--input', dir, '--out', join(dir, 'o5'));
    expect([d.code, d.err]).toEqual([2, `convlens forward: cannot read '${dir}': it is a directory`]);
  });
});
