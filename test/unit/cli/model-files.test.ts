/**
 * The CLI on saved models (.keras, legacy .h5, .onnx) as on source: summary and check name the
 * file's own layers; forward runs the model with the weights the file holds and writes what Keras
 * computed (the truth of scripts/gen-keras-modelfiles.py, from real Keras 3.15); the weights the
 * source loads are used by default; a layer run twice writes two files.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { readNpy, writeNpy } from '../../../src/io/npy';
import { expectAllclose } from '../helpers/allclose';
import { readNpz } from '../helpers/npz';

const KERAS = 'test/fixtures/modelfiles/keras';
const ONNX = 'test/fixtures/modelfiles/onnx';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface TruthRow {
  name: string;
  class: string;
  output_shape: (number | null)[];
  params: number;
}

function kerasTruth(model: string): { layers: TruthRow[]; total_params: number } {
  const t = JSON.parse(readFileSync(`${KERAS}/truth.json`, 'utf8')) as {
    models: Record<string, { layers: TruthRow[]; total_params: number }>;
  };
  return t.models[model]!;
}

describe('the CLI on model files', () => {
  it('summary --json of a .keras file: the layers, shapes and parameters model.summary() gives', async () => {
    const r = await cli('summary', `${KERAS}/textbook_cnn.keras`, '--json');
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(r.out).models[0];
    const truth = kerasTruth('textbook_cnn');
    expect(m.fileFormat).toBe('keras-zip');
    expect(m.line).toBeNull();
    expect(m.totalParams).toBe(truth.total_params);
    expect(
      m.layers.map((l: { name: string; type: string; outputShape: number[]; params: number; line: null }) => [
        l.name,
        l.type,
        l.outputShape,
        l.params,
        l.line,
      ]),
    ).toEqual(truth.layers.map((l) => [l.name, l.class, l.output_shape.slice(1), l.params, null]));
  });

  it('summary of an .onnx file: a table without source lines; check names the unsupported node', async () => {
    const r = await cli('summary', `${ONNX}/lenet.onnx`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Model: "lenet" \(ONNX graph\) — test\/fixtures\/modelfiles\/onnx\/lenet\.onnx$/m);
    expect(r.out).not.toMatch(/Line/);
    expect(r.out).toMatch(/Total params: 62,006/);
    const c = await cli('check', `${ONNX}/partial_lrn.onnx`, `${KERAS}/with_lambda.keras`);
    expect(c.code).toBe(0); // warnings only
    const lines = c.out.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^test\/fixtures\/modelfiles\/onnx\/partial_lrn\.onnx: warning: .*LRN.* \[unsupported-op\]$/,
    );
    expect(lines[1]).toMatch(
      /^test\/fixtures\/modelfiles\/keras\/with_lambda\.keras: warning: .*Lambda.* \[unsupported-op\]$/,
    );
  });

  it('forward on a .keras file uses its trained weights: every activation equals Keras', async () => {
    const truth = readNpz(`${KERAS}/two_branch.npz`);
    const dir = mkdtempSync(join(tmpdir(), 'convlens-mf-'));
    const x = truth.get('input')!;
    // the generator ran a batch; the CLI runs one sample: the first
    const per = x.data.length / x.shape[0]!;
    const input = join(dir, 'x.npy');
    writeFileSync(input, writeNpy([1, ...x.shape.slice(1)], x.data.slice(0, per)));
    const out = join(dir, 'acts');
    const r = await cli('forward', `${KERAS}/two_branch.keras`, '--input', input, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('trained weights from two_branch.keras');
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
      weights: string;
      layers: { layer: string; file: string }[];
    };
    let compared = 0;
    for (const l of index.layers) {
      const want = truth.get(l.layer);
      if (!want) continue;
      const got = readNpy(new Uint8Array(readFileSync(join(out, l.file))), l.file);
      const n = want.data.length / want.shape[0]!;
      expect(got.shape, l.layer).toEqual([1, ...want.shape.slice(1)]);
      const w = want.data.slice(0, n);
      const scale = Math.max(1e-6, ...Array.from(w, Math.abs));
      expectAllclose(got.data, w, { rtol: 1e-4, atol: 1e-5 * scale }, l.layer);
      compared++;
    }
    expect(compared).toBe(index.layers.length);
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it('the weights the source loads are the default: the textbook CNN reads the shipped trained model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-mf-'));
    const r = await cli(
      'forward',
      'examples/textbook_cnn.py',
      '--input',
      'media/samples/digit-7.png',
      '--layer',
      'dense_1',
      '--out',
      dir,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('trained weights from textbook-cnn.weights.h5');
    const p = readNpy(new Uint8Array(readFileSync(join(dir, 'dense_1.npy'))), 'dense_1.npy').data;
    expect(p.indexOf(Math.max(...p))).toBe(7);
  });

  it('PyTorch: load_state_dict(load_file(…safetensors)) in the source gives the weights; real PyTorch agrees', async () => {
    const fx = 'test/fixtures/forward/torch/lenet';
    const dir = mkdtempSync(join(tmpdir(), 'convlens-sd-'));
    copyFileSync(`${fx}/weights.safetensors`, join(dir, 'lenet.safetensors'));
    const src = readFileSync('test/fixtures/models/torch/lenet.py', 'utf8');
    writeFileSync(
      join(dir, 'run.py'),
      `from safetensors.torch import load_file\n${src}\nmodel.load_state_dict(load_file('lenet.safetensors'))\n`,
    );
    const out = join(dir, 'acts');
    const r = await cli('forward', join(dir, 'run.py'), '--input', `${fx}/input.npy`, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('trained weights from lenet.safetensors');
    const torchLayers = JSON.parse(readFileSync(`${fx}/index.json`, 'utf8')).layers as {
      name: string;
      file?: string;
    }[];
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    for (const tl of torchLayers) {
      const ours = index.layers.find((l: { layer: string }) => l.layer === tl.name);
      const want = readNpy(new Uint8Array(readFileSync(join(fx, tl.file ?? `layers/${tl.name}.npy`))), tl.name);
      const got = readNpy(new Uint8Array(readFileSync(join(out, ours.file))), ours.file);
      const scale = Math.max(...Array.from(want.data, Math.abs));
      expectAllclose(got.data, want.data, { rtol: 1e-4, atol: 1e-5 * scale }, tl.name);
    }
    // torch.load is never run: an information says so and how to export instead
    writeFileSync(join(dir, 'pickle.py'), `import torch\n${src}\nmodel.load_state_dict(torch.load('lenet.pt'))\n`);
    const c = await cli('check', join(dir, 'pickle.py'));
    expect(c.out).toMatch(
      /pickle\.py:\d+:\d+: info: lenet\.pt: a pickle is never unpickled .*save_file\(model\.state_dict\(\), "model\.safetensors"\).* \[model-file\]/,
    );
  });

  it('a module called twice (LeNet: self.pool) writes two files, neither overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-mf-'));
    const r = await cli('forward', 'examples/lenet.py', '--input', 'media/samples/digit-7.png', '--out', dir);
    expect(r.code, r.err).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain('pool.npy');
    expect(files).toContain('pool_1.npy');
    // LeNet on 32×32: pooled 28×28×6 → 14×14; then 10×10×16 → 5×5
    const shape = (f: string) => readNpy(new Uint8Array(readFileSync(join(dir, f))), f).shape;
    expect(shape('pool.npy')).toEqual([1, 6, 14, 14]);
    expect(shape('pool_1.npy')).toEqual([1, 16, 5, 5]);
  });

  it('unreadable model files: exit 2 and one line naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-mf-'));
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    for (const args of [
      ['summary', junk],
      ['check', junk],
      ['forward', junk, '--input', 'media/samples/digit-7.png', '--out', dir],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/junk\.onnx: /);
    }
  });
});
