/**
 * Whole PyTorch models run by our engine against real PyTorch, layer by layer: for every model in
 * test/fixtures/forward/torch/ (written by scripts/gen-torch-forward.py with torch 1.13:
 * `/usr/bin/python3 scripts/gen-torch-forward.py`), the fixture source is analyzed with the
 * input shape PyTorch used, run with `runModel` (activations kept channels-last between the layers
 * that allow it, and again with every layer on NCHW) on PyTorch's weights (weights.safetensors, BatchNorm
 * with random non-default statistics) and input (input.npy), and every leaf module's output is
 * compared with what PyTorch's forward hook saw — plus the model's final output, which also covers
 * functional ops at the end (F.log_softmax).
 *
 * Our functional-op layers (F.relu#1, add#1, torch.cat#1, ...) have no hook in PyTorch and are
 * checked only through the modules that consume them. A module called twice is `<name>@2`.
 *
 * A missing fixture fails (it is never skipped).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor, type Tensor } from '../../../src/engine';
import type { LayerNode } from '../../../src/model/ir';
import type { ParamSpec } from '../../../src/runtime/init';
import { runModel, type WeightSource } from '../../../src/runtime/forward';
import { readNpy } from '../../../src/io/npy';
import { expectAllclose } from '../helpers/allclose';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURE_DIR = join(REPO, 'test', 'fixtures', 'forward', 'torch');
const MODELS = [
  'lenet',
  'mnist_cnn',
  'sequential_ordered',
  'resnet_block',
  'branches',
  'alexnet',
  // padding modes, InstanceNorm, PReLU, Hardtanh, PixelShuffle/PixelUnshuffle (restoration.py)
  'restoration',
  'signal',
  'shuffle_se',
  // tensor indexing: partial residual slices, stepped slices, None, Ellipsis, integers (indexing.py)
  'indexing',
  // F.affine_grid and F.grid_sample (bilinear, zeros outside) of a spatial transformer
  'spatial_transformer',
] as const;

/**
 * rtol 1e-4 on each value, plus an absolute floor of 1e-5 × max|expected| of the layer: values
 * near zero (conv outputs, pre-ReLU sums) carry float32 rounding of the layer's magnitude, not
 * their own. Not widened for any model.
 */
const RTOL = 1e-4;
const ATOL_OF_MAX = 1e-5;

interface IndexLayer {
  name: string;
  type: string;
  call: number;
  file: string;
  shape: number[];
}
interface Index {
  model: string;
  file: string;
  variable: string;
  class: string;
  inputShape: number[];
  input: { file: string; shape: number[] };
  output: { file: string; shape: number[] };
  weights: { file: string; tensors: number };
  layers: IndexLayer[];
}

interface Array32 {
  shape: number[];
  data: Float32Array;
}

// -- .npy: the product's reader (src/io/npy.ts). .safetensors: a minimal reader, until the product's
// reader exists (src/io/safetensors.ts had not been written when this test was) --------------------

/** .safetensors with F32 tensors: u64 LE header length, JSON header, raw little-endian data. */
function readSafetensors(buf: Buffer, label: string): Map<string, Array32> {
  const headerLen = Number(buf.readBigUInt64LE(0));
  if (8 + headerLen > buf.length) throw new Error(`${label}: header length ${headerLen} past the end`);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + headerLen)) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLen;
  const out = new Map<string, Array32>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = t.data_offsets;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype !== 'F32') throw new Error(`${label}: ${name} has dtype ${t.dtype}`);
    if (end - begin !== 4 * n || base + end > buf.length)
      throw new Error(`${label}: ${name} has bad data_offsets [${begin}, ${end}] for shape [${t.shape.join(', ')}]`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = buf.readFloatLE(base + begin + 4 * i);
    out.set(name, { shape: t.shape, data });
  }
  return out;
}

// -------------------------------------------------------------------------------------------------

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** The largest |actual − expected| / (atol + rtol·|expected|): ≤ 1 means within tolerance. */
function toleranceUsed(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): number {
  let m = 0;
  for (let i = 0; i < expected.length; i++)
    m = Math.max(m, Math.abs(actual[i]! - expected[i]!) / (atol + rtol * Math.abs(expected[i]!)));
  return m;
}

/** max |actual − expected| / max|expected|: the layer's error relative to its magnitude. */
function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < expected.length; i++) d = Math.max(d, Math.abs(actual[i]! - expected[i]!));
  const m = maxAbs(expected);
  return m === 0 ? d : d / m;
}

function compare(actual: Tensor, expected: Array32, label: string): { rel: number; used: number } {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const atol = ATOL_OF_MAX * maxAbs(expected.data);
  expectAllclose(actual.data, expected.data, { rtol: RTOL, atol }, label);
  return { rel: relError(actual.data, expected.data), used: toleranceUsed(actual.data, expected.data, atol, RTOL) };
}

describe('PyTorch models run by the engine = real PyTorch (forward hooks), rtol 1e-4', () => {
  it('has a fixture for every model, and no other', () => {
    expect(
      existsSync(FIXTURE_DIR),
      `${FIXTURE_DIR} is missing: run /usr/bin/python3 scripts/gen-torch-forward.py`,
    ).toBe(true);
    expect(readdirSync(FIXTURE_DIR).sort()).toEqual([...MODELS].sort());
  });

  // Both ways a channels-first model can run: activations kept channels-last between the layers
  // that allow it (the default), and every layer on NCHW.
  for (const [id, inside] of MODELS.flatMap((m) => [[m, true] as const, [m, false] as const])) {
    it(`${id}${inside ? '' : ' (every layer on NCHW)'}`, () => {
      const dir = join(FIXTURE_DIR, id);
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Index;
      expect(index.layers.length).toBeGreaterThan(0);

      const result = analyze(readFileSync(join(REPO, index.file), 'utf8'), { inputShape: index.inputShape });
      const model =
        result.models.find((m) => m.name === index.class) ?? result.models.find((m) => m.name === index.variable);
      expect(model, `${index.file}: models found: ${result.models.map((m) => m.name).join(', ')}`).toBeDefined();

      const weights = readSafetensors(readFileSync(join(dir, index.weights.file)), `${id}/${index.weights.file}`);
      expect(weights.size).toBe(index.weights.tensors);
      const used = new Set<string>();
      const source: WeightSource = (node: LayerNode, p: ParamSpec) => {
        const key = `${node.name}.${p.name}`;
        const w = weights.get(key);
        if (!w) throw new Error(`${id}: no tensor '${key}' in the state_dict (has: ${[...weights.keys()].join(', ')})`);
        expect(p.shape, `${key}: our parameter shape vs PyTorch's`).toEqual(w.shape);
        used.add(key);
        return w.data;
      };

      const inp = readNpy(readFileSync(join(dir, index.input.file)), `${id}/${index.input.file}`);
      expect(inp.shape).toEqual([1, ...index.inputShape]);
      const runs = runModel(model!, tensor(inp.shape, inp.data), source, { channelsLastInside: inside });

      // our module layers, named as PyTorch's hooks are: the k-th call of a module is <name>@k
      const calls = new Map<string, number>();
      const ours = new Map<string, Tensor>();
      const order: string[] = [];
      for (const r of runs) {
        if (r.layer.spec.functional || r.layer.name.includes('#')) continue;
        const k = (calls.get(r.layer.name) ?? 0) + 1;
        calls.set(r.layer.name, k);
        const key = k === 1 ? r.layer.name : `${r.layer.name}@${k}`;
        ours.set(key, r.output);
        order.push(key);
      }
      // every PyTorch layer is one of ours, in the same execution order, and we have no others
      expect(order).toEqual(index.layers.map((l) => l.name));

      const stats: string[] = [];
      let worstRel = 0;
      let worstUsed = 0;
      for (const l of index.layers) {
        const actual = ours.get(l.name);
        expect(actual, `${id}: PyTorch layer ${l.name} (${l.type}) has no counterpart in our graph`).toBeDefined();
        const expected = readNpy(readFileSync(join(dir, l.file)), `${id}/${l.file}`);
        expect(expected.shape).toEqual(l.shape);
        const s = compare(actual!, expected, `${id}: ${l.name} (${l.type})`);
        worstRel = Math.max(worstRel, s.rel);
        worstUsed = Math.max(worstUsed, s.used);
        stats.push(`${l.name}: rel ${s.rel.toExponential(2)}`);
      }
      // the model's return value, after any trailing functional ops
      const out = readNpy(readFileSync(join(dir, index.output.file)), `${id}/${index.output.file}`);
      const final = compare(
        runs[runs.length - 1]!.output,
        out,
        `${id}: model output (${runs[runs.length - 1]!.layer.name})`,
      );
      worstRel = Math.max(worstRel, final.rel);
      worstUsed = Math.max(worstUsed, final.used);

      // every tensor of PyTorch's state_dict was used by some layer
      expect([...weights.keys()].filter((k) => !used.has(k))).toEqual([]);

      if (process.env.CONVLENS_FORWARD_REPORT) {
        console.log(
          `${id}: ${index.layers.length} layers, max rel error ${worstRel.toExponential(2)}, tolerance used ${(100 * worstUsed).toFixed(1)}%\n  ${stats.join('\n  ')}`,
        );
      }
    });
  }
});
