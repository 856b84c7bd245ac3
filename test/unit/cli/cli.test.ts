/**
 * The CLI as users and CI meet it: exit codes, one-line errors, `summary --json`, and
 * `forward` with safetensors weights against the activations real PyTorch produced
 * (scripts/gen-torch-forward.py).
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { readNpy } from '../../../src/io/npy';
import { expectAllclose } from '../helpers/allclose';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('convlens CLI', () => {
  it('--help and --version exit 0; no command or an unknown one exits 2', async () => {
    expect((await cli('--help')).code).toBe(0);
    expect((await cli('--help')).out).toContain('summary');
    expect((await cli('--version')).code).toBe(0);
    expect((await cli()).code).toBe(2);
    const r = await cli('frobnicate');
    expect([r.code, r.err]).toEqual([2, "convlens: unknown command 'frobnicate' (try 'convlens --help')"]);
  });

  it('summary --json: the documented fields, the framework layout, no batch dimension', async () => {
    const r = await cli('summary', 'examples/textbook_cnn.py', '--json');
    expect(r.code).toBe(0);
    const conv2dLine =
      readFileSync('examples/textbook_cnn.py', 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('Conv2D(32')) + 1;
    const j = JSON.parse(r.out);
    expect(j.file).toBe('examples/textbook_cnn.py');
    const m = j.models[0];
    expect([m.name, m.framework, m.inputShape, m.totalParams]).toEqual(['model', 'keras', [28, 28, 1], 333526]);
    expect(m.layers[0]).toMatchObject({
      name: 'conv2d',
      type: 'Conv2D',
      outputShape: [28, 28, 32],
      params: 320,
      line: conv2dLine,
    });
    expect(j.diagnostics).toEqual([]);
  });

  it('summary of a PyTorch file lists modules by named_modules() name, channels first', async () => {
    const j = JSON.parse((await cli('summary', 'examples/alexnet.py', '--json')).out);
    expect(
      j.models[0].layers
        .filter((l: { functional: boolean }) => !l.functional)
        .slice(0, 3)
        .map((l: { name: string; outputShape: number[] }) => [l.name, l.outputShape]),
    ).toEqual([
      ['features.0', [64, 55, 55]],
      ['features.1', [64, 55, 55]],
      ['features.2', [64, 27, 27]],
    ]);
  });

  it("--model takes a Keras model's name= or the variable it is bound to", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-name-'));
    const file = join(dir, 'named.py');
    writeFileSync(
      file,
      "import keras\nfrom keras import layers\nnet = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)], name='tiny')\n",
    );
    for (const name of ['tiny', 'net']) {
      const r = await cli('summary', file, '--model', name, '--json');
      expect(r.code, r.err).toBe(0);
      // Dense(3) on 4 features: 4·3 + 3 = 15 parameters, as model.summary() counts them
      expect(
        JSON.parse(r.out).models.map((m: { name: string; totalParams: number }) => [m.name, m.totalParams]),
      ).toEqual([['tiny', 15]]);
    }
  });

  it('check: FILE:LINE:COL: severity: message [code], exit 1 on errors, 0 otherwise', async () => {
    const bad = await cli('check', 'test/fixtures/models/torch/linear_mismatch.py');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe(
      "test/fixtures/models/torch/linear_mismatch.py:15:30: error: Linear 'fc1': in_features=256 but the input has 400 features [in-features-mismatch]",
    );
    expect((await cli('check', 'examples/textbook_cnn.py')).code).toBe(0);
  });

  it('unreadable files and bad flags: exit 2, one line, no stack trace', async () => {
    for (const args of [
      ['summary', 'no/such/file.py'],
      ['summary', 'src'],
      ['summary', 'x.py', '--input-shape', 'banana'],
      ['forward', 'examples/lenet.py'],
      ['render', 'examples/lenet.py', '--out', '/tmp/x.png'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('forward with PyTorch safetensors weights equals real PyTorch, layer by layer', async () => {
    const fx = 'test/fixtures/forward/torch/lenet';
    const out = mkdtempSync(join(tmpdir(), 'convlens-fwd-'));
    const r = await cli(
      'forward',
      'test/fixtures/models/torch/lenet.py',
      '--input',
      `${fx}/input.npy`,
      '--weights',
      `${fx}/weights.safetensors`,
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    const torchLayers = JSON.parse(readFileSync(`${fx}/index.json`, 'utf8')).layers as {
      name: string;
      file?: string;
    }[];
    expect(torchLayers.length).toBeGreaterThan(0);
    for (const tl of torchLayers) {
      const ours = index.layers.find((l: { layer: string }) => l.layer === tl.name);
      expect(ours, tl.name).toBeDefined();
      const want = readNpy(new Uint8Array(readFileSync(join(fx, tl.file ?? `layers/${tl.name}.npy`))), tl.name);
      const got = readNpy(new Uint8Array(readFileSync(join(out, ours.file))), ours.file);
      expect(got.shape).toEqual(want.shape);
      const scale = Math.max(...Array.from(want.data, Math.abs));
      expectAllclose(got.data, want.data, { rtol: 1e-4, atol: 1e-5 * scale }, tl.name);
    }
  });

  it('forward --layer writes only that layer; render writes a PNG; a bad image is a clean error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convlens-one-'));
    const r = await cli(
      'forward',
      'examples/lenet.py',
      '--input',
      'media/samples/digit-7.png',
      '--layer',
      'conv2',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['conv2.npy', 'index.json']);
    const npy = readNpy(new Uint8Array(readFileSync(join(out, 'conv2.npy'))), 'conv2.npy');
    expect(npy.shape).toEqual([1, 16, 10, 10]);
    const png = join(out, 'maps.png');
    const rendered = await cli('render', 'examples/textbook_cnn.py', '--layer', 'max_pooling2d', '--out', png);
    expect(rendered.code, rendered.err).toBe(0);
    expect([...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const junk = join(out, 'junk.png');
    writeFileSync(junk, 'not an image at all');
    const bad = await cli('render', 'examples/textbook_cnn.py', '--layer', 'conv2d', '--input', junk, '--out', png);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^convlens render: junk\.png: /);
  });

  it('the same command gives the same numbers (--seed); another seed gives others', async () => {
    const a = mkdtempSync(join(tmpdir(), 'convlens-seed-'));
    const b = mkdtempSync(join(tmpdir(), 'convlens-seed-'));
    await cli(
      'forward',
      'examples/mnist_convnet.py',
      '--input',
      'media/samples/tshirt.png',
      '--layer',
      'dense',
      '--out',
      a,
      '--seed',
      '3',
    );
    await cli(
      'forward',
      'examples/mnist_convnet.py',
      '--input',
      'media/samples/tshirt.png',
      '--layer',
      'dense',
      '--out',
      b,
      '--seed',
      '3',
    );
    expect(readFileSync(join(a, 'dense.npy'))).toEqual(readFileSync(join(b, 'dense.npy')));
    const c = mkdtempSync(join(tmpdir(), 'convlens-seed-'));
    const other = ['forward', 'examples/mnist_convnet.py', '--input', 'media/samples/tshirt.png'];
    await cli(...other, '--layer', 'dense', '--out', c, '--seed', '4');
    expect(readFileSync(join(a, 'dense.npy'))).not.toEqual(readFileSync(join(c, 'dense.npy')));
  });
});
