/**
 * `convlens forward --out DIR` never loses data: files in DIR it did not write are refused unless
 * --force, a run that fails leaves DIR as it was (no half-written folder), long layer names give
 * short unique file names, and index.json maps each layer to its file.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { FileError } from '../../../src/cli/files';
import { MAX_STEM, OutputFolder, safeFileName } from '../../../src/cli/outputFolder';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const LONG_A = 'a'.repeat(300);
const LONG_B = `${'a'.repeat(299)}b`;
const SRC = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(6, 6, 1)),
    layers.Conv2D(2, 3, name='${LONG_A}'),
    layers.Conv2D(2, 3, name='${LONG_B}'),
    layers.Flatten(name='flat'),
])
`;

function setup(): { dir: string; file: string; run: (out: string, ...more: string[]) => ReturnType<typeof cli> } {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-out-'));
  const file = join(dir, 'm.py');
  writeFileSync(file, SRC);
  const run = (out: string, ...more: string[]) =>
    cli('forward', file, '--input', 'media/samples/digit-3.png', '--out', out, ...more);
  return { dir, file, run };
}

describe('forward --out DIR', () => {
  it('300-character layer names: short, distinct file names; index.json maps layer → file', async () => {
    const { dir, run } = setup();
    const out = join(dir, 'acts');
    const r = await run(out);
    expect(r.code, r.err).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.writtenBy).toBe('convlens forward');
    const files = index.layers.map((l: { file: string }) => l.file) as string[];
    expect(index.layers.map((l: { layer: string }) => l.layer)).toEqual([LONG_A, LONG_B, 'flat']);
    expect(new Set(files).size).toBe(3);
    for (const f of files) expect(f.length).toBeLessThanOrEqual(MAX_STEM + '.npy'.length);
    expect(readdirSync(out).sort()).toEqual([...files, 'index.json'].sort());
    // nothing is left next to DIR
    expect(readdirSync(dir).sort()).toEqual(['acts', 'm.py']);
  });

  it('a DIR holding a file ConvLens did not write is refused, naming it; --force writes beside it', async () => {
    const { dir, run } = setup();
    const out = join(dir, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const r = await run(out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `convlens forward: '${out}' holds 'notes.txt', which ConvLens did not write; choose an empty or new folder, or pass --force to write over its files`,
    );
    expect(readdirSync(out)).toEqual(['notes.txt']);
    expect(readdirSync(dir).sort()).toEqual(['m.py', 'mine']);
    const f = await run(out, '--force');
    expect(f.code, f.err).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(out)).toContain('index.json');
  });

  it('a second run replaces the files of the first; a file added since is refused', async () => {
    const { dir, run } = setup();
    const out = join(dir, 'acts');
    expect((await run(out)).code).toBe(0);
    expect((await run(out, '--layer', 'flat')).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['flat.npy', 'index.json']);
    writeFileSync(join(out, 'flat.npy.bak'), 'x');
    const r = await run(out);
    expect(r.code).toBe(2);
    expect(r.err).toContain("holds 'flat.npy.bak', which ConvLens did not write");
    expect(readdirSync(dir).sort()).toEqual(['acts', 'm.py']);
  });

  it('a run that fails midway leaves no output folder and no temporary one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-out-'));
    const out = join(dir, 'acts');
    const folder = new OutputFolder(out, false);
    folder.write('a.npy', new Uint8Array(4));
    folder.abort();
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    // DIR that is a file
    writeFileSync(join(dir, 'f'), '');
    expect(() => new OutputFolder(join(dir, 'f'), false)).toThrow(FileError);
  });

  it('file names: safe characters, no Windows device names, length capped with a hash', () => {
    expect(safeFileName('features.0')).toBe('features.0');
    expect(safeFileName('../x')).toBe('__x');
    expect(safeFileName('CON')).toBe('_CON');
    expect(safeFileName(LONG_A)).toHaveLength(MAX_STEM);
    expect(safeFileName(LONG_A)).not.toBe(safeFileName(`${LONG_A}x`));
  });
});

describe('render --out FILE', () => {
  it('replaces a PNG it wrote, refuses a file it did not write unless --force', async () => {
    const { dir, file } = setup();
    const png = join(dir, 'maps.png');
    const render = (...more: string[]) =>
      cli('render', file, '--layer', 'flat', '--input', 'media/samples/digit-3.png', '--out', png, ...more);
    expect((await render()).code).toBe(0);
    const again = await render();
    expect(again.code, again.err).toBe(0);
    const mine = join(dir, 'photo.png');
    writeFileSync(mine, 'my photo');
    const r = await cli('render', file, '--layer', 'flat', '--input', 'media/samples/digit-3.png', '--out', mine);
    expect([r.code, r.err]).toEqual([
      2,
      `convlens render: '${mine}' exists and ConvLens did not write it; choose another name, or pass --force to replace it`,
    ]);
    expect(readFileSync(mine, 'utf8')).toBe('my photo');
    const f = await cli(
      'render',
      file,
      '--layer',
      'flat',
      '--input',
      'media/samples/digit-3.png',
      '--out',
      mine,
      '--force',
    );
    expect(f.code, f.err).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['m.py', 'maps.png', 'photo.png']);
  });
});

describe('render to SVG, with a colormap', () => {
  it('writes an SVG with Korean text whose tiles are the layer’s maps, replaces only its own SVGs', async () => {
    const { dir, file } = setup();
    const svg = join(dir, 'maps.svg');
    const args = ['render', file, '--layer', 'flat', '--input', 'media/samples/digit-3.png', '--out', svg];
    const r = await cli(...args, '--locale', 'ko', '--colormap', 'gray');
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('— 특성 맵');
    expect(text).toContain('맵마다 자체 범위');
    // every tile is an embedded PNG; gray maps have equal R, G and B
    const uris = [...text.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]!);
    expect(uris.length).toBeGreaterThan(1);
    const first = PNG.sync.read(Buffer.from(uris[0]!, 'base64'));
    for (let o = 0; o < first.data.length; o += 4) {
      expect(first.data[o]).toBe(first.data[o + 1]);
      expect(first.data[o + 1]).toBe(first.data[o + 2]);
    }
    expect((await cli(...args)).code).toBe(0);
    const mine = join(dir, 'drawing.svg');
    writeFileSync(mine, '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const refused = await cli('render', file, '--layer', 'flat', '--out', mine);
    expect(refused.code).toBe(2);
    expect(readFileSync(mine, 'utf8')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
  });

  it('refuses an unknown colormap or output type in one line', async () => {
    const { dir, file } = setup();
    const bad = await cli('render', file, '--layer', 'flat', '--out', join(dir, 'x.png'), '--colormap', 'jet');
    expect([bad.code, bad.err]).toEqual([
      2,
      "convlens render: --colormap must be viridis, magma, gray, got 'jet' (try 'convlens render --help')",
    ]);
    const gif = await cli('render', file, '--layer', 'flat', '--out', join(dir, 'x.gif'));
    expect([gif.code, gif.err]).toEqual([
      2,
      "convlens render: --out must end in .png or .svg, got '" +
        join(dir, 'x.gif') +
        "' (try 'convlens render --help')",
    ]);
    expect(readdirSync(dir)).toEqual(['m.py']);
  });
});
