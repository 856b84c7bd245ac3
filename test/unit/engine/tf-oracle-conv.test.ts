/**
 * Oracle tests: the engine's convolutions (channels-last, Keras weight layouts) against
 * TensorFlow.js, whose CPU kernels implement TF's semantics ('same' = ceil(in/stride), extra
 * pad pixel bottom/right). Each op gets hand-picked edge cases plus a seeded random sweep.
 *
 * Random configurations that TF rejects (stride > 1 together with dilation > 1, on any axes —
 * the rule tf.conv2d, tf.depthwiseConv2d, tf.conv1d and Keras all enforce) are never emitted.
 * For 'valid' configurations whose dilated kernel is larger than the input, TF returns an
 * empty tensor: there the engine must refuse with 'kernel-too-large', and it must accept every
 * configuration where the kernel fits.
 *
 * Tolerances: a conv output sums up to kh·kw·cin = 5·5·6 = 150 products of values in [-1, 1].
 * tfjs accumulates in float64, the engine in float32, so the float32 rounding of ~150 partial
 * sums of magnitude ≲ 10 allows differences of a few 1e-6 (2.6e-6 observed over all cases
 * here): atol 2e-5, rtol 1e-4.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  conv1d,
  conv2d,
  conv2dTranspose,
  depthwiseConv2d,
  EngineError,
  tensor,
  type Tensor,
} from '../../../src/engine';
import { expectAllclose } from '../helpers/allclose';
import { randInt, randomArray, rng } from '../helpers/random';

const CONV_TOL = { atol: 2e-5, rtol: 1e-4 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---------------------------------------------------------------- shared helpers

type Pad = 'valid' | 'same';
const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;
const ax = (a: number, b: number): string => (a === b ? `${a}` : `${a}x${b}`);
const effK = (k: number, d: number): number => (k - 1) * d + 1;

/** Keras/TF output length of one axis; null when a 'valid' window does not fit. */
function outLen(inS: number, k: number, s: number, d: number, pad: Pad | 'causal'): number | null {
  if (pad === 'same' || pad === 'causal') return Math.ceil(inS / s);
  const e = effK(k, d);
  return e > inS ? null : Math.floor((inS - e) / s) + 1;
}

function expectKernelTooLarge(fn: () => unknown): void {
  let err: unknown = null;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'engine accepted a window that does not fit').toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('kernel-too-large');
}

/** TF's answer for a window that does not fit: an empty (or non-positive) shape, or a throw. */
function expectTfEmpty(fn: () => tf.Tensor): void {
  let empty = true;
  try {
    const t = tf.tidy(fn);
    empty = t.shape.some((d) => d <= 0);
    t.dispose();
  } catch {
    empty = true;
  }
  expect(empty, 'tf produced a non-empty output').toBe(true);
}

/**
 * Runs both sides. `shape` is the expected output shape computed from Keras' rules in this
 * file (null: the kernel does not fit, so TF gives nothing and the engine must refuse).
 */
function compare(shape: number[] | null, engine: () => Tensor, oracle: () => tf.Tensor, tol = CONV_TOL): void {
  if (shape === null) {
    expectTfEmpty(oracle);
    expectKernelTooLarge(engine);
    return;
  }
  const y = engine();
  expect(y.shape).toEqual(shape);
  const t = tf.tidy(oracle);
  expect(t.shape).toEqual(shape);
  expectAllclose(y.data, t.dataSync(), tol, 'engine vs tf');
  t.dispose();
}

// ---------------------------------------------------------------- conv2d / depthwise / grouped

interface C2 {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pad: Pad;
  bias: boolean;
  seed: number;
  /** groups (grouped conv sweep only) */
  g?: number;
}

function c2Shape(c: C2, cout: number): number[] | null {
  const oh = outLen(c.h, c.kh, c.sh, c.dh, c.pad);
  const ow = outLen(c.w, c.kw, c.sw, c.dw, c.pad);
  return oh === null || ow === null ? null : [c.n, oh, ow, cout];
}

function c2Name(c: C2, cout: number, extra = ''): string {
  const s = c2Shape(c, cout);
  return `x=${fmt([c.n, c.h, c.w, c.cin])} k=${c.kh}x${c.kw} s=${ax(c.sh, c.sw)} d=${ax(c.dh, c.dw)} p=${c.pad}${extra}${c.bias ? ' +bias' : ''} → ${s ? fmt(s) : 'kernel-too-large'}`;
}

const base: C2 = {
  n: 1,
  h: 1,
  w: 1,
  cin: 1,
  cout: 1,
  kh: 1,
  kw: 1,
  sh: 1,
  sw: 1,
  dh: 1,
  dw: 1,
  pad: 'valid',
  bias: false,
  seed: 1,
};
const c2 = (p: Partial<C2>): C2 => ({ ...base, ...p });

/** Random sweep; configurations TF rejects (stride > 1 with dilation > 1) are redrawn. */
function sweep(
  seed: number,
  count: number,
  channels: (r: () => number) => { cin: number; cout: number; g?: number },
): C2[] {
  const r = rng(seed);
  const out: C2[] = [];
  while (out.length < count) {
    const dilate = r() < 0.3;
    const c: C2 = {
      n: randInt(r, 1, 2),
      h: randInt(r, 1, 13),
      w: randInt(r, 1, 13),
      ...channels(r),
      kh: randInt(r, 1, 5),
      kw: randInt(r, 1, 5),
      sh: randInt(r, 1, 3),
      sw: randInt(r, 1, 3),
      dh: dilate ? randInt(r, 1, 3) : 1,
      dw: dilate ? randInt(r, 1, 3) : 1,
      pad: r() < 0.5 ? 'same' : 'valid',
      bias: r() < 0.5,
      seed: seed * 1000 + out.length,
    };
    if (Math.max(c.sh, c.sw) > 1 && Math.max(c.dh, c.dw) > 1) continue; // TF rejects
    out.push(c);
  }
  return out;
}

interface C2Data {
  x: Float32Array;
  k: Float32Array;
  b: Float32Array;
}
function c2Data(c: C2, kLen: number, biasLen: number): C2Data {
  const r = rng(c.seed);
  return { x: randomArray(r, c.n * c.h * c.w * c.cin), k: randomArray(r, kLen), b: randomArray(r, biasLen) };
}

function checkConv2d(c: C2): void {
  const { x, k, b } = c2Data(c, c.kh * c.kw * c.cin * c.cout, c.cout);
  compare(
    c2Shape(c, c.cout),
    () =>
      conv2d(tensor([c.n, c.h, c.w, c.cin], x), tensor([c.kh, c.kw, c.cin, c.cout], k), {
        layout: 'channelsLast',
        strides: [c.sh, c.sw],
        dilations: [c.dh, c.dw],
        padding: c.pad,
        bias: c.bias ? tensor([c.cout], b) : null,
      }),
    () => {
      const y = tf.conv2d(
        tf.tensor4d(x, [c.n, c.h, c.w, c.cin]),
        tf.tensor4d(k, [c.kh, c.kw, c.cin, c.cout]),
        [c.sh, c.sw],
        c.pad,
        'NHWC',
        [c.dh, c.dw],
      );
      return c.bias ? tf.add(y, tf.tensor1d(b)) : y;
    },
  );
}

const CONV2D_EDGES: C2[] = [
  c2({ h: 7, w: 6, cin: 3, cout: 5, kh: 3, kw: 2, sh: 2, sw: 2, pad: 'same' }), // odd H, even W
  c2({ h: 8, w: 8, cin: 2, cout: 3, kh: 3, kw: 3, sh: 2, sw: 2, pad: 'same' }), // total pad 1: all bottom/right
  c2({ h: 7, w: 7, kh: 2, kw: 2, sh: 2, sw: 2, pad: 'same' }), // even kernel, odd input
  c2({ h: 5, w: 5, cin: 2, cout: 2, kh: 4, kw: 4, pad: 'same' }), // total pad 3: 1 before, 2 after
  c2({ h: 6, w: 9, cin: 3, cout: 4, kh: 5, kw: 5, sh: 3, sw: 3, pad: 'same' }),
  c2({ h: 2, w: 2, kh: 5, kw: 5, pad: 'same' }), // kernel larger than input, 'same'
  c2({ h: 1, w: 1, cin: 2, cout: 2, kh: 3, kw: 3, sh: 3, sw: 3, pad: 'same' }),
  c2({ n: 2, h: 9, w: 9, cin: 3, cout: 2, kh: 3, kw: 3, dh: 2, dw: 2, pad: 'same' }),
  c2({ h: 9, w: 8, cin: 2, cout: 2, kh: 3, kw: 3, dh: 3, dw: 3, pad: 'valid' }), // effK 7
  c2({ h: 10, w: 7, kh: 2, kw: 3, dh: 3, dw: 1, pad: 'same' }), // dilation on one axis
  c2({ h: 6, w: 11, cin: 2, cout: 3, kh: 1, kw: 5, sh: 1, sw: 3, pad: 'same' }),
  c2({ h: 11, w: 6, cin: 2, cout: 3, kh: 5, kw: 1, sh: 3, sw: 1, pad: 'valid' }),
  c2({ h: 8, w: 7, cin: 4, cout: 2, kh: 1, kw: 1, sh: 2, sw: 2, pad: 'valid' }),
  c2({ h: 3, w: 4, cin: 2, cout: 2, kh: 3, kw: 4, pad: 'valid', bias: true }), // exact fit → 1×1
  c2({ n: 2, h: 7, w: 6, cin: 3, cout: 5, kh: 3, kw: 2, sh: 2, sw: 1, pad: 'valid', bias: true }),
  c2({ h: 3, w: 3, kh: 4, kw: 4, pad: 'valid' }), // too large
  c2({ h: 5, w: 5, kh: 3, kw: 3, dh: 3, dw: 3, pad: 'valid' }), // dilated to 7 > 5
  c2({ h: 5, w: 9, kh: 2, kw: 6, pad: 'valid' }), // fits H only
];

describe('tf oracle: conv2d (NHWC, HWIO)', () => {
  describe('edge cases', () => {
    for (const c of CONV2D_EDGES) it(c2Name(c, c.cout), () => checkConv2d(c));
  });
  describe('random sweep (seed 2021)', () => {
    for (const c of sweep(2021, 48, (r) => ({ cin: randInt(r, 1, 6), cout: randInt(r, 1, 6) })))
      it(c2Name(c, c.cout), () => checkConv2d(c));
  });
  it('TF rejects stride 2 with dilation 2 (why the sweep never draws it)', () => {
    expect(() =>
      tf.conv2d(tf.zeros([1, 8, 8, 1]) as tf.Tensor4D, tf.zeros([3, 3, 1, 1]) as tf.Tensor4D, 2, 'same', 'NHWC', 2),
    ).toThrow(/strides or dilations/);
  });
});

function checkDepthwise(c: C2): void {
  const mult = c.cout;
  const { x, k, b } = c2Data(c, c.kh * c.kw * c.cin * mult, c.cin * mult);
  compare(
    c2Shape(c, c.cin * mult),
    () =>
      depthwiseConv2d(tensor([c.n, c.h, c.w, c.cin], x), tensor([c.kh, c.kw, c.cin, mult], k), {
        strides: [c.sh, c.sw],
        dilations: [c.dh, c.dw],
        padding: c.pad,
        bias: c.bias ? tensor([c.cin * mult], b) : null,
      }),
    () => {
      const y = tf.depthwiseConv2d(
        tf.tensor4d(x, [c.n, c.h, c.w, c.cin]),
        tf.tensor4d(k, [c.kh, c.kw, c.cin, mult]),
        [c.sh, c.sw],
        c.pad,
        'NHWC',
        [c.dh, c.dw],
      );
      return c.bias ? tf.add(y, tf.tensor1d(b)) : y;
    },
  );
}

describe('tf oracle: depthwiseConv2d (kernel kh,kw,cin,mult)', () => {
  const edges: C2[] = [
    c2({ h: 7, w: 6, cin: 3, cout: 2, kh: 3, kw: 3, sh: 2, sw: 2, pad: 'same', bias: true }),
    c2({ h: 8, w: 8, cin: 4, cout: 1, kh: 3, kw: 2, sh: 2, sw: 2, pad: 'same' }),
    c2({ n: 2, h: 9, w: 7, cin: 2, cout: 3, kh: 3, kw: 3, dh: 2, dw: 2, pad: 'valid' }),
    c2({ h: 5, w: 5, cin: 1, cout: 1, kh: 5, kw: 5, pad: 'valid' }),
    c2({ h: 4, w: 4, cin: 2, cout: 1, kh: 5, kw: 2, pad: 'valid' }), // too large
  ];
  describe('edge cases', () => {
    for (const c of edges) it(c2Name(c, c.cin * c.cout, ` mult=${c.cout}`), () => checkDepthwise(c));
  });
  describe('random sweep (seed 3031)', () => {
    for (const c of sweep(3031, 40, (r) => ({ cin: randInt(r, 1, 6), cout: randInt(r, 1, 3) }))) {
      it(c2Name(c, c.cin * c.cout, ` mult=${c.cout}`), () => checkDepthwise(c));
    }
  });
});

/** Grouped conv vs tf: split the channels, convolve each group, concatenate. */
function checkGrouped(c: C2, groups: number): void {
  const cpg = c.cin / groups;
  const copg = c.cout / groups;
  const { x, k, b } = c2Data(c, c.kh * c.kw * cpg * c.cout, c.cout);
  compare(
    c2Shape(c, c.cout),
    () =>
      conv2d(tensor([c.n, c.h, c.w, c.cin], x), tensor([c.kh, c.kw, cpg, c.cout], k), {
        layout: 'channelsLast',
        strides: [c.sh, c.sw],
        dilations: [c.dh, c.dw],
        padding: c.pad,
        groups,
        bias: c.bias ? tensor([c.cout], b) : null,
      }),
    () => {
      const xt = tf.tensor4d(x, [c.n, c.h, c.w, c.cin]);
      const kt = tf.tensor4d(k, [c.kh, c.kw, cpg, c.cout]);
      const parts: tf.Tensor4D[] = [];
      for (let g = 0; g < groups; g++) {
        const xg = tf.slice(xt, [0, 0, 0, g * cpg], [c.n, c.h, c.w, cpg]);
        const kg = tf.slice(kt, [0, 0, 0, g * copg], [c.kh, c.kw, cpg, copg]);
        parts.push(tf.conv2d(xg, kg, [c.sh, c.sw], c.pad, 'NHWC', [c.dh, c.dw]));
      }
      const y = tf.concat(parts, 3);
      return c.bias ? tf.add(y, tf.tensor1d(b)) : y;
    },
  );
}

describe('tf oracle: grouped conv2d (tf per group + concat)', () => {
  const cases = sweep(4041, 40, (r) => {
    const g = randInt(r, 2, 3);
    const cpg = randInt(r, 1, 3); // cpg = 1 takes the engine's depthwise path
    const copg = randInt(r, 1, 3);
    return { cin: g * cpg, cout: g * copg, g };
  });
  for (const c of cases) it(c2Name(c, c.cout, ` g=${c.g!} cout=${c.cout}`), () => checkGrouped(c, c.g!));
});

// ---------------------------------------------------------------- conv1d

interface C1 {
  n: number;
  l: number;
  cin: number;
  cout: number;
  k: number;
  s: number;
  d: number;
  pad: Pad | 'causal';
  bias: boolean;
  seed: number;
}

function c1Shape(c: C1): number[] | null {
  const o = outLen(c.l, c.k, c.s, c.d, c.pad);
  return o === null ? null : [c.n, o, c.cout];
}
const c1Name = (c: C1): string => {
  const s = c1Shape(c);
  return `x=${fmt([c.n, c.l, c.cin])} k=${c.k} s=${c.s} d=${c.d} p=${c.pad}${c.bias ? ' +bias' : ''} → ${s ? fmt(s) : 'kernel-too-large'}`;
};

/** Keras 'causal' is compared as an explicit left pad of effK − 1 zeros, then 'valid'. */
function checkConv1d(c: C1): void {
  const r = rng(c.seed);
  const x = randomArray(r, c.n * c.l * c.cin);
  const k = randomArray(r, c.k * c.cin * c.cout);
  const b = randomArray(r, c.cout);
  compare(
    c1Shape(c),
    () =>
      conv1d(tensor([c.n, c.l, c.cin], x), tensor([c.k, c.cin, c.cout], k), {
        layout: 'channelsLast',
        stride: c.s,
        dilation: c.d,
        padding: c.pad,
        bias: c.bias ? tensor([c.cout], b) : null,
      }),
    () => {
      let xt = tf.tensor3d(x, [c.n, c.l, c.cin]);
      if (c.pad === 'causal')
        xt = tf.pad(xt, [
          [0, 0],
          [effK(c.k, c.d) - 1, 0],
          [0, 0],
        ]);
      const y = tf.conv1d(
        xt,
        tf.tensor3d(k, [c.k, c.cin, c.cout]),
        c.s,
        c.pad === 'causal' ? 'valid' : c.pad,
        'NWC',
        c.d,
      );
      return c.bias ? tf.add(y, tf.tensor1d(b)) : y;
    },
  );
}

describe('tf oracle: conv1d (NWC, kernel k,cin,cout)', () => {
  const b1: C1 = { n: 1, l: 1, cin: 1, cout: 1, k: 1, s: 1, d: 1, pad: 'valid', bias: false, seed: 11 };
  const edges: C1[] = [
    { ...b1, l: 10, cin: 2, cout: 3, k: 3, s: 2, pad: 'same' },
    { ...b1, l: 9, k: 4, s: 2, pad: 'same' },
    { ...b1, l: 7, cin: 2, cout: 2, k: 3, pad: 'causal', bias: true },
    { ...b1, l: 8, cin: 3, cout: 2, k: 3, d: 2, pad: 'causal' },
    { ...b1, l: 9, k: 2, s: 3, pad: 'causal' },
    { ...b1, l: 2, k: 5, pad: 'causal' },
    { ...b1, l: 3, k: 4, pad: 'valid' }, // too large
  ];
  describe('edge cases', () => {
    for (const c of edges) it(c1Name(c), () => checkConv1d(c));
  });
  describe('random sweep (seed 5051)', () => {
    const r = rng(5051);
    const cases: C1[] = [];
    while (cases.length < 45) {
      const d = r() < 0.3 ? randInt(r, 1, 3) : 1;
      const pads = ['valid', 'same', 'causal'] as const;
      const c: C1 = {
        n: randInt(r, 1, 2),
        l: randInt(r, 1, 13),
        cin: randInt(r, 1, 6),
        cout: randInt(r, 1, 6),
        k: randInt(r, 1, 5),
        s: d > 1 ? 1 : randInt(r, 1, 3),
        d,
        pad: pads[randInt(r, 0, 2)]!,
        bias: r() < 0.5,
        seed: 5051000 + cases.length,
      };
      cases.push(c);
    }
    for (const c of cases) it(c1Name(c), () => checkConv1d(c));
  });
});

// ---------------------------------------------------------------- conv2d transpose

interface CT {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pad: Pad;
  bias: boolean;
  seed: number;
}

/** Keras deconv_output_length without output_padding. */
const deconvLen = (inS: number, k: number, s: number, d: number, pad: Pad): number =>
  pad === 'same' ? inS * s : inS * s + Math.max(effK(k, d) - s, 0);
const ctShape = (c: CT): number[] => [
  c.n,
  deconvLen(c.h, c.kh, c.sh, c.dh, c.pad),
  deconvLen(c.w, c.kw, c.sw, c.dw, c.pad),
  c.cout,
];
const ctName = (c: CT): string =>
  `x=${fmt([c.n, c.h, c.w, c.cin])} k=${c.kh}x${c.kw} s=${ax(c.sh, c.sw)} d=${ax(c.dh, c.dw)} p=${c.pad}${c.bias ? ' +bias' : ''} → ${fmt(ctShape(c))}`;

/**
 * tf.conv2dTranspose takes the output shape (Keras' rule above) and a [kh, kw, outC, inC]
 * filter — the engine's 'HWOI'. It has no dilation argument, so a dilated kernel is passed
 * with its zeros inserted, which is what a dilated transposed convolution computes.
 */
function checkTranspose(c: CT): void {
  const r = rng(c.seed);
  const x = randomArray(r, c.n * c.h * c.w * c.cin);
  const k = randomArray(r, c.kh * c.kw * c.cout * c.cin);
  const b = randomArray(r, c.cout);
  const shape = ctShape(c);
  const eh = effK(c.kh, c.dh),
    ew = effK(c.kw, c.dw);
  const kd = new Float32Array(eh * ew * c.cout * c.cin);
  const inner = c.cout * c.cin;
  for (let y = 0; y < c.kh; y++) {
    for (let xk = 0; xk < c.kw; xk++)
      kd.set(k.subarray((y * c.kw + xk) * inner, (y * c.kw + xk + 1) * inner), (y * c.dh * ew + xk * c.dw) * inner);
  }
  compare(
    shape,
    () =>
      conv2dTranspose(tensor([c.n, c.h, c.w, c.cin], x), tensor([c.kh, c.kw, c.cout, c.cin], k), {
        layout: 'channelsLast',
        strides: [c.sh, c.sw],
        dilations: [c.dh, c.dw],
        padding: c.pad,
        bias: c.bias ? tensor([c.cout], b) : null,
      }),
    () => {
      const y = tf.conv2dTranspose(
        tf.tensor4d(x, [c.n, c.h, c.w, c.cin]),
        tf.tensor4d(kd, [eh, ew, c.cout, c.cin]),
        shape as [number, number, number, number],
        [c.sh, c.sw],
        c.pad,
      );
      return c.bias ? tf.add(y, tf.tensor1d(b)) : y;
    },
  );
}

describe('tf oracle: conv2dTranspose (kernel kh,kw,out,in = HWOI)', () => {
  const bt: CT = {
    n: 1,
    h: 1,
    w: 1,
    cin: 1,
    cout: 1,
    kh: 1,
    kw: 1,
    sh: 1,
    sw: 1,
    dh: 1,
    dw: 1,
    pad: 'valid',
    bias: false,
    seed: 21,
  };
  const edges: CT[] = [
    { ...bt, h: 4, w: 5, cin: 2, cout: 3, kh: 3, kw: 3, sh: 2, sw: 2, pad: 'same', bias: true },
    { ...bt, h: 4, w: 5, cin: 2, cout: 3, kh: 3, kw: 3, sh: 2, sw: 2, pad: 'valid' },
    { ...bt, h: 3, w: 3, cin: 2, cout: 2, kh: 4, kw: 4, sh: 2, sw: 2, pad: 'same' }, // even kernel
    { ...bt, h: 3, w: 2, kh: 1, kw: 2, sh: 3, sw: 3, pad: 'valid' }, // k < s: gaps of zeros
    { ...bt, h: 3, w: 4, cin: 2, cout: 2, kh: 2, kw: 5, sh: 3, sw: 1, pad: 'same' },
    { ...bt, h: 5, w: 4, cin: 2, cout: 2, kh: 3, kw: 2, dh: 2, dw: 3, pad: 'valid' },
    { ...bt, h: 5, w: 4, cin: 2, cout: 2, kh: 3, kw: 3, dh: 2, dw: 2, pad: 'same' },
  ];
  describe('edge cases', () => {
    for (const c of edges) it(ctName(c), () => checkTranspose(c));
  });
  describe('random sweep (seed 6061)', () => {
    const r = rng(6061);
    const cases: CT[] = [];
    while (cases.length < 45) {
      const dilate = r() < 0.25; // dilation only with stride 1 (Keras / TF)
      const c: CT = {
        n: randInt(r, 1, 2),
        h: randInt(r, 1, 9),
        w: randInt(r, 1, 9),
        cin: randInt(r, 1, 6),
        cout: randInt(r, 1, 6),
        kh: randInt(r, 1, 5),
        kw: randInt(r, 1, 5),
        sh: dilate ? 1 : randInt(r, 1, 3),
        sw: dilate ? 1 : randInt(r, 1, 3),
        dh: dilate ? randInt(r, 1, 3) : 1,
        dw: dilate ? randInt(r, 1, 3) : 1,
        pad: r() < 0.5 ? 'same' : 'valid',
        bias: r() < 0.5,
        seed: 6061000 + cases.length,
      };
      cases.push(c);
    }
    for (const c of cases) it(ctName(c), () => checkTranspose(c));
  });
});

// ---------------------------------------------------------------- whole Keras layers (tfjs-layers)

/** Builds a tfjs-layers layer on x, sets its weights, and returns its output data. */
function runLayer(
  layer: tfl.layers.Layer,
  x: tf.Tensor,
  weights: tf.Tensor[],
): { shape: number[]; data: Float32Array } {
  (layer.apply(x) as tf.Tensor).dispose(); // builds the weights
  if (weights.length) layer.setWeights(weights);
  const y = layer.apply(x) as tf.Tensor;
  const out = { shape: y.shape, data: y.dataSync() as Float32Array };
  y.dispose();
  return out;
}

describe('tf oracle: tfjs-layers conv layers with set weights', () => {
  it("Conv2D(4, [3,2], strides=2, padding='same') on x=[2,7,6,3] → [2,4,3,4]", () => {
    const r = rng(71);
    const x = randomArray(r, 2 * 7 * 6 * 3),
      k = randomArray(r, 3 * 2 * 3 * 4),
      b = randomArray(r, 4);
    const ref = runLayer(
      tfl.layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same' }),
      tf.tensor4d(x, [2, 7, 6, 3]),
      [tf.tensor4d(k, [3, 2, 3, 4]), tf.tensor1d(b)],
    );
    const y = conv2d(tensor([2, 7, 6, 3], x), tensor([3, 2, 3, 4], k), {
      layout: 'channelsLast',
      strides: 2,
      padding: 'same',
      bias: tensor([4], b),
    });
    expect(ref.shape).toEqual([2, 4, 3, 4]);
    expect(y.shape).toEqual(ref.shape);
    expectAllclose(y.data, ref.data, CONV_TOL, 'Conv2D layer');
  });
  // tfjs-layers' Conv1D throws NotImplementedError for padding 'causal' (causal is covered above
  // with tf.pad + 'valid'), so the layer-level Conv1D case is 'same' with stride 2.
  it("Conv1D(3, 4, strides=2, padding='same') on x=[2,9,2] → [2,5,3]", () => {
    const r = rng(72);
    const x = randomArray(r, 2 * 9 * 2),
      k = randomArray(r, 4 * 2 * 3),
      b = randomArray(r, 3);
    const ref = runLayer(
      tfl.layers.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.tensor3d(x, [2, 9, 2]),
      [tf.tensor3d(k, [4, 2, 3]), tf.tensor1d(b)],
    );
    const y = conv1d(tensor([2, 9, 2], x), tensor([4, 2, 3], k), {
      layout: 'channelsLast',
      stride: 2,
      padding: 'same',
      bias: tensor([3], b),
    });
    expect(ref.shape).toEqual([2, 5, 3]);
    expect(y.shape).toEqual(ref.shape);
    expectAllclose(y.data, ref.data, CONV_TOL, 'Conv1D layer');
  });
  it("DepthwiseConv2D([3,3], depth_multiplier=2, strides=2, padding='same') on x=[1,8,7,3] → [1,4,4,6]", () => {
    const r = rng(73);
    const x = randomArray(r, 8 * 7 * 3),
      k = randomArray(r, 3 * 3 * 3 * 2),
      b = randomArray(r, 6);
    const ref = runLayer(
      tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
      tf.tensor4d(x, [1, 8, 7, 3]),
      [tf.tensor4d(k, [3, 3, 3, 2]), tf.tensor1d(b)],
    );
    const y = depthwiseConv2d(tensor([1, 8, 7, 3], x), tensor([3, 3, 3, 2], k), {
      strides: 2,
      padding: 'same',
      bias: tensor([6], b),
    });
    expect(ref.shape).toEqual([1, 4, 4, 6]);
    expect(y.shape).toEqual(ref.shape);
    expectAllclose(y.data, ref.data, CONV_TOL, 'DepthwiseConv2D layer');
  });
  for (const [pad, outShape] of [
    ['same', [1, 6, 10, 2]],
    ['valid', [1, 7, 11, 2]],
  ] as const) {
    it(`Conv2DTranspose(2, 3, strides=2, padding='${pad}') on x=[1,3,5,4] → ${fmt(outShape)}`, () => {
      const r = rng(74);
      const x = randomArray(r, 3 * 5 * 4),
        k = randomArray(r, 3 * 3 * 2 * 4),
        b = randomArray(r, 2);
      const ref = runLayer(
        tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: pad }),
        tf.tensor4d(x, [1, 3, 5, 4]),
        [tf.tensor4d(k, [3, 3, 2, 4]), tf.tensor1d(b)],
      );
      const y = conv2dTranspose(tensor([1, 3, 5, 4], x), tensor([3, 3, 2, 4], k), {
        layout: 'channelsLast',
        strides: 2,
        padding: pad,
        bias: tensor([2], b),
      });
      expect(ref.shape).toEqual([...outShape]);
      expect(y.shape).toEqual(ref.shape);
      expectAllclose(y.data, ref.data, CONV_TOL, 'Conv2DTranspose layer');
    });
  }
});
