/**
 * PyTorch oracle: every case in test/fixtures/torch/*.json (written by
 * scripts/gen-torch-fixtures.py with torch 1.13, `npm run fixtures:torch`) is run through the
 * engine in PyTorch's conventions — channels-first tensors, OIHW / OIW / IOHW / OI weights,
 * PyTorch's pooling pad rule — and compared with the values PyTorch computed.
 *
 * A missing or empty fixture file fails (it is never skipped): regenerate with
 * `npm run fixtures:torch`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  activation,
  adaptivePool2d,
  batchNorm,
  concatenate,
  conv1d,
  conv2d,
  conv2dTranspose,
  dense,
  flatten,
  pool1d,
  pool2d,
  upsample2d,
  zeroPad2d,
  type IntOrPair,
  type Padding2D,
  type Tensor,
} from '../../../src/engine';
import { expectAllclose, type Tolerance } from '../helpers/allclose';
import { decodeTensor, type Encoded } from '../helpers/torchFixtures';

const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'torch');
const FIXTURE_FILES = ['conv.json', 'pool.json', 'misc.json', 'activations.json'] as const;

interface Case {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Record<string, Encoded>;
  output: Encoded;
}

interface FixtureFile {
  generator: string;
  torch: string;
  cases: Case[];
}

const decode = decodeTensor;

// --- argument readers: fixture args are exactly what was passed to torch (tuples as arrays)

function num(a: Record<string, unknown>, key: string): number {
  const v = a[key];
  if (typeof v !== 'number') throw new Error(`fixture arg ${key} should be a number, got ${JSON.stringify(v)}`);
  return v;
}

function bool(a: Record<string, unknown>, key: string): boolean {
  const v = a[key];
  if (typeof v !== 'boolean') throw new Error(`fixture arg ${key} should be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function intOrPair(a: Record<string, unknown>, key: string): IntOrPair {
  const v = a[key];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  throw new Error(`fixture arg ${key} should be an int or a pair, got ${JSON.stringify(v)}`);
}

/** PyTorch `stride=None` means "the kernel size"; the engine takes null for that. */
function optIntOrPair(a: Record<string, unknown>, key: string): IntOrPair | null {
  return a[key] === null ? null : intOrPair(a, key);
}

/** conv2d padding: 'same' | 'valid' | int | (padH, padW), the same forms the engine accepts. */
function padding2d(a: Record<string, unknown>): Padding2D {
  const v = a['padding'];
  if (v === 'same' || v === 'valid') return v;
  return intOrPair(a, 'padding');
}

function padding1d(a: Record<string, unknown>): 'same' | 'valid' | number {
  const v = a['padding'];
  if (v === 'same' || v === 'valid') return v;
  return num(a, 'padding');
}

function need(inputs: Record<string, Tensor>, name: string): Tensor {
  const t = inputs[name];
  if (!t) throw new Error(`fixture is missing input '${name}'`);
  return t;
}

const CF = 'channelsFirst' as const;

type Runner = (a: Record<string, unknown>, x: Record<string, Tensor>) => Tensor;

function act(
  name: string,
  opts: (a: Record<string, unknown>) => { alpha?: number; approximate?: boolean; axis?: number } = () => ({}),
): Runner {
  return (a, x) => activation(need(x, 'input'), name, opts(a));
}

/** PyTorch op (as recorded in the fixture) → the engine call that should reproduce it. */
const RUNNERS: Record<string, Runner> = {
  conv2d: (a, x) =>
    conv2d(need(x, 'input'), need(x, 'weight'), {
      layout: CF,
      kernelLayout: 'OIHW',
      strides: intOrPair(a, 'stride'),
      dilations: intOrPair(a, 'dilation'),
      padding: padding2d(a),
      groups: num(a, 'groups'),
      bias: x['bias'] ?? null,
    }),
  conv1d: (a, x) =>
    conv1d(need(x, 'input'), need(x, 'weight'), {
      layout: CF,
      kernelLayout: 'OIW',
      stride: num(a, 'stride'),
      dilation: num(a, 'dilation'),
      padding: padding1d(a),
      groups: num(a, 'groups'),
      bias: x['bias'] ?? null,
    }),
  conv_transpose2d: (a, x) =>
    conv2dTranspose(need(x, 'input'), need(x, 'weight'), {
      layout: CF,
      kernelLayout: 'IOHW',
      strides: intOrPair(a, 'stride'),
      dilations: intOrPair(a, 'dilation'),
      padding: intOrPair(a, 'padding'),
      outputPadding: intOrPair(a, 'output_padding'),
      groups: num(a, 'groups'),
      bias: x['bias'] ?? null,
    }),
  max_pool2d: (a, x) =>
    pool2d(need(x, 'input'), {
      layout: CF,
      mode: 'max',
      poolSize: intOrPair(a, 'kernel_size'),
      strides: optIntOrPair(a, 'stride'),
      padding: intOrPair(a, 'padding'),
      dilations: intOrPair(a, 'dilation'),
      ceilMode: bool(a, 'ceil_mode'),
      torchPadRule: true,
    }),
  avg_pool2d: (a, x) =>
    pool2d(need(x, 'input'), {
      layout: CF,
      mode: 'avg',
      poolSize: intOrPair(a, 'kernel_size'),
      strides: optIntOrPair(a, 'stride'),
      padding: intOrPair(a, 'padding'),
      ceilMode: bool(a, 'ceil_mode'),
      countIncludePad: bool(a, 'count_include_pad'),
      torchPadRule: true,
    }),
  max_pool1d: (a, x) =>
    pool1d(need(x, 'input'), {
      layout: CF,
      mode: 'max',
      poolSize: num(a, 'kernel_size'),
      stride: a['stride'] === null ? null : num(a, 'stride'),
      padding: num(a, 'padding'),
      dilation: num(a, 'dilation'),
      ceilMode: bool(a, 'ceil_mode'),
      torchPadRule: true,
    }),
  avg_pool1d: (a, x) =>
    pool1d(need(x, 'input'), {
      layout: CF,
      mode: 'avg',
      poolSize: num(a, 'kernel_size'),
      stride: a['stride'] === null ? null : num(a, 'stride'),
      padding: num(a, 'padding'),
      ceilMode: bool(a, 'ceil_mode'),
      countIncludePad: bool(a, 'count_include_pad'),
      torchPadRule: true,
    }),
  adaptive_avg_pool2d: (a, x) => adaptivePool2d(need(x, 'input'), CF, 'avg', intOrPair(a, 'output_size')),
  adaptive_max_pool2d: (a, x) => adaptivePool2d(need(x, 'input'), CF, 'max', intOrPair(a, 'output_size')),
  linear: (_a, x) => dense(need(x, 'input'), need(x, 'weight'), { kernelLayout: 'OI', bias: x['bias'] ?? null }),
  batch_norm: (a, x) => {
    expect(a['training'], 'fixture batch_norm must be in eval mode').toBe(false);
    return batchNorm(need(x, 'input'), CF, {
      mean: need(x, 'running_mean').data,
      variance: need(x, 'running_var').data,
      gamma: x['weight']?.data ?? null,
      beta: x['bias']?.data ?? null,
      epsilon: num(a, 'eps'),
    });
  },
  interpolate: (a, x) => {
    const mode = a['mode'];
    if (mode !== 'nearest' && mode !== 'bilinear')
      throw new Error(`unsupported interpolate mode ${JSON.stringify(mode)}`);
    return upsample2d(need(x, 'input'), {
      layout: CF,
      mode,
      ...(a['size'] !== null ? { size: intOrPair(a, 'size') } : { scale: intOrPair(a, 'scale_factor') }),
      alignCorners: a['align_corners'] === true,
      torchNearest: true,
    });
  },
  pad: (a, x) => {
    expect(a['mode'], 'fixture pad mode').toBe('constant');
    expect(a['value'], 'fixture pad value').toBe(0);
    const p = a['pad'] as [number, number, number, number]; // F.pad order: (left, right, top, bottom)
    return zeroPad2d(need(x, 'input'), CF, [
      [p[2], p[3]],
      [p[0], p[1]],
    ]);
  },
  cat: (a, x) => {
    const parts = Object.keys(x).sort((p, q) => Number(p.replace('input', '')) - Number(q.replace('input', '')));
    return concatenate(
      parts.map((k) => need(x, k)),
      num(a, 'dim'),
    );
  },
  flatten: (a, x) => {
    expect(a['end_dim'], 'fixture flatten end_dim').toBe(-1);
    return flatten(need(x, 'input'), num(a, 'start_dim'));
  },
  relu: act('relu'),
  relu6: act('relu6'),
  leaky_relu: act('leaky_relu', (a) => ({ alpha: num(a, 'negative_slope') })),
  elu: act('elu', (a) => ({ alpha: num(a, 'alpha') })),
  selu: act('selu'),
  gelu: act('gelu', (a) => ({ approximate: a['approximate'] === 'tanh' })),
  sigmoid: act('sigmoid'),
  hardsigmoid: act('hard_sigmoid'),
  tanh: act('tanh'),
  softmax: act('softmax', (a) => ({ axis: num(a, 'dim') })),
  log_softmax: act('log_softmax', (a) => ({ axis: num(a, 'dim') })),
  softplus: act('softplus'),
  softsign: act('softsign'),
  silu: act('silu'),
};

/**
 * Tolerance: atol 1e-5, rtol 1e-4 for every case — a few float32 ulps at the magnitudes in the
 * fixtures (|values| up to ~40). Ops that sum K products (conv, transpose conv, linear) may add
 * them in a different order from PyTorch's kernels, which moves the result by roughly
 * √K·2⁻²⁴·Σ|terms|; with the largest reduction here (K = 64·3·3 = 576) the worst difference
 * measured was 2.7e-5 on outputs of ~±30, about a quarter of the allowance, so no case needs
 * a wider tolerance. Everything else (pooling, copies, element-wise ops) should agree to an ulp.
 */
const TOL: Tolerance = { atol: 1e-5, rtol: 1e-4 };

function loadFixture(file: string): FixtureFile | Error {
  const path = join(FIXTURE_DIR, file);
  if (!existsSync(path)) return new Error(`missing fixture ${path}: run \`npm run fixtures:torch\``);
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as FixtureFile;
    if (!Array.isArray(doc.cases) || doc.cases.length === 0) return new Error(`fixture ${path} has no cases`);
    return doc;
  } catch (err) {
    return new Error(`fixture ${path} is not valid JSON: ${String(err)}`);
  }
}

const seenOps = new Set<string>();

for (const file of FIXTURE_FILES) {
  describe(`PyTorch oracle: ${file}`, () => {
    const doc = loadFixture(file);
    if (doc instanceof Error) {
      it('fixture file is present and has cases', () => {
        throw doc;
      });
      return;
    }
    const ops = [...new Set(doc.cases.map((c) => c.op))];
    for (const op of ops) {
      seenOps.add(op);
      describe(op, () => {
        for (const c of doc.cases.filter((k) => k.op === op)) {
          it(c.name, () => {
            const run = RUNNERS[c.op];
            if (!run) throw new Error(`no engine runner for PyTorch op '${c.op}'`);
            const inputs: Record<string, Tensor> = {};
            for (const [k, v] of Object.entries(c.inputs)) inputs[k] = decode(v);
            const expected = decode(c.output);
            const got = run(c.args, inputs);
            expect(got.shape, 'output shape').toEqual(expected.shape);
            expectAllclose(got.data, expected.data, TOL, c.name);
          });
        }
      });
    }
  });
}

describe('PyTorch oracle: coverage', () => {
  it('every engine runner has at least one fixture case', () => {
    const unused = Object.keys(RUNNERS).filter((op) => !seenOps.has(op));
    expect(unused, 'ops with a runner but no fixture case').toEqual([]);
  });
});
