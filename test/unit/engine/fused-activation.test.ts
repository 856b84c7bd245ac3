/**
 * Convolutions with a fused activation (Conv2DOptions.activation: relu, relu6): the fast path
 * applies it as the kernels store each result, the reference path over its finished output.
 *
 * - fast = reference (sums within SUM_TOL, as in fast-path.test.ts) on seeded random conv2d
 *   (both layouts and kernel layouts, groups, strides, dilation, every padding form), conv1d and
 *   depthwise configurations, with inputs scaled so that ReLU6 clamps at 6 as well as at 0;
 * - on each path, the fused result is bit for bit the activation (activation(), the separate
 *   pass) of the same path's plain convolution: the epilogue adds nothing but the activation;
 * - NaN and ±∞ in the input: relu gives 0 for NaN, relu6 keeps NaN (Math.min/Math.max), on both
 *   paths, bit for bit. (A convolution's sum starts at +0, so it never yields −0: the −0 cases of
 *   activation() cannot arise here.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  activation,
  conv1d,
  conv2d,
  depthwiseConv2d,
  setKernelPath,
  tensor,
  type Conv2DOptions,
  type FusedActivation,
  type Padding2D,
  type Tensor,
} from '../../../src/engine';
import { expectAllclose, type Tolerance } from '../helpers/allclose';
import { randInt, randomArray, rng } from '../helpers/random';

const SUM_TOL: Tolerance = { atol: 1e-4, rtol: 1e-5 };
const ACTS: FusedActivation[] = ['relu', 'relu6'];

afterAll(() => {
  setKernelPath('fast');
});

function onPath<T>(p: 'fast' | 'reference', run: () => T): T {
  const prev = setKernelPath(p);
  try {
    return run();
  } finally {
    setKernelPath(prev);
  }
}

function expectBitExact(a: Float32Array, b: Float32Array, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      throw new Error(`${label}: index ${i}: ${a[i]} vs ${b[i]}`);
    }
  }
}

/** Runs `conv(act)` on both paths and checks fast ≈ reference and fused = plain + activation(). */
function check(conv: (act: FusedActivation | null) => Tensor, act: FusedActivation, label: string): void {
  for (const p of ['fast', 'reference'] as const) {
    const plain = onPath(p, () => conv(null));
    const fused = onPath(p, () => conv(act));
    expect(fused.shape).toEqual(plain.shape);
    expectBitExact(fused.data, activation(plain, act).data, `${label} ${p}: fused vs separate ${act}`);
  }
  const fast = onPath('fast', () => conv(act));
  const ref = onPath('reference', () => conv(act));
  expectAllclose(fast.data, ref.data, SUM_TOL, `${label} ${act}: fast vs reference`);
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randomPadding(r: R, k: [number, number]): Padding2D {
  switch (randInt(r, 0, 3)) {
    case 0:
      return 'valid';
    case 1:
      return 'same';
    case 2:
      return randInt(r, 0, 2);
    default:
      return [
        [randInt(r, 0, k[0]), randInt(r, 0, k[0])],
        [randInt(r, 0, k[1]), randInt(r, 0, k[1])],
      ];
  }
}

function scaled(r: R, n: number, s: number): Float32Array {
  const a = randomArray(r, n);
  for (let i = 0; i < n; i++) a[i]! *= s;
  return a;
}

describe('conv2d with a fused activation: fast = reference = conv then activation', () => {
  const r = rng(5150);
  for (let i = 0; i < 48; i++) {
    const last = r() < 0.5;
    const n = randInt(r, 1, 2);
    const k: [number, number] = [randInt(r, 1, 4), randInt(r, 1, 4)];
    const d: [number, number] = r() < 0.25 ? [randInt(r, 1, 2), randInt(r, 1, 2)] : [1, 1];
    const s: [number, number] = [randInt(r, 1, 3), randInt(r, 1, 3)];
    const groups = pick(r, [1, 1, 2, 3]);
    const cpg = randInt(r, 1, i % 8 === 0 ? 40 : 12);
    const copg = randInt(r, 1, i % 6 === 0 ? 40 : 19);
    const h = randInt(r, (k[0] - 1) * d[0] + 1, i % 5 === 0 ? 40 : 18);
    const w = randInt(r, (k[1] - 1) * d[1] + 1, i % 5 === 0 ? 40 : 18);
    const padding = randomPadding(r, k);
    const kernelLayout = r() < 0.5 ? 'HWIO' : 'OIHW';
    const cout = copg * groups;
    const cin = cpg * groups;
    // Sums of K products of [−3, 3] × [−1, 1]: a fair share beyond ±6.
    const x = tensor(last ? [n, h, w, cin] : [n, cin, h, w], scaled(r, n * h * w * cin, 3));
    const kernel = tensor(
      kernelLayout === 'HWIO' ? [k[0], k[1], cpg, cout] : [cout, cpg, k[0], k[1]],
      randomArray(r, k[0] * k[1] * cpg * cout),
    );
    const bias = r() < 0.8 ? tensor([cout], scaled(r, cout, 2)) : null;
    const act = ACTS[i % 2]!;
    const o: Conv2DOptions = {
      layout: last ? 'channelsLast' : 'channelsFirst',
      strides: s,
      dilations: d,
      padding,
      groups,
      bias,
      kernelLayout,
    };
    it(`#${i} ${act} x=[${x.shape}] k=${kernelLayout}[${kernel.shape}] s=${s} d=${d} p=${JSON.stringify(padding)} g=${groups}`, () => {
      check((a) => conv2d(x, kernel, { ...o, activation: a }), act, `#${i}`);
    });
  }

  it('layers of the bench size (several M-blocks and bands, and edge tiles), both activations', () => {
    const g = rng(11);
    for (const [h, cin, cout, k] of [
      [56, 64, 72, 3],
      [45, 3, 64, 3],
      [30, 33, 13, 1],
    ] as const) {
      const x = tensor([1, h, h, cin], scaled(g, h * h * cin, 2));
      const kernel = tensor([k, k, cin, cout], randomArray(g, k * k * cin * cout));
      const bias = tensor([cout], randomArray(g, cout));
      for (const act of ACTS) {
        check(
          (a) => conv2d(x, kernel, { layout: 'channelsLast', padding: 'same', bias, activation: a }),
          act,
          `${h}×${h}×${cin}→${cout}`,
        );
      }
    }
  });

  it('conv1d passes the activation through', () => {
    const g = rng(3);
    const x = tensor([2, 37, 6], scaled(g, 2 * 37 * 6, 3));
    const kernel = tensor([3, 6, 10], randomArray(g, 3 * 6 * 10));
    const bias = tensor([10], randomArray(g, 10));
    for (const act of ACTS) {
      check(
        (a) => conv1d(x, kernel, { layout: 'channelsLast', padding: 'causal', stride: 2, bias, activation: a }),
        act,
        'conv1d',
      );
    }
  });

  it('rejects an activation it cannot fuse', () => {
    const x = tensor([1, 3, 3, 1], new Float32Array(9));
    const k = tensor([1, 1, 1, 1], new Float32Array([1]));
    expect(() => conv2d(x, k, { layout: 'channelsLast', activation: 'tanh' as unknown as FusedActivation })).toThrow(
      /cannot fuse/,
    );
  });
});

describe('depthwiseConv2d with a fused activation: fast = reference = conv then activation', () => {
  const r = rng(6061);
  for (let i = 0; i < 24; i++) {
    const last = r() < 0.7;
    const n = randInt(r, 1, 2);
    const cin = randInt(r, 1, i % 4 === 0 ? 70 : 9);
    const mult = pick(r, [1, 1, 2, 3]);
    const k: [number, number] = [randInt(r, 1, 5), randInt(r, 1, 5)];
    const s: [number, number] = [randInt(r, 1, 2), randInt(r, 1, 3)];
    const h = randInt(r, k[0], i % 4 === 0 ? 40 : 16);
    const w = randInt(r, k[1], i % 4 === 0 ? 40 : 16);
    const padding = randomPadding(r, k);
    const x = tensor(last ? [n, h, w, cin] : [n, cin, h, w], scaled(r, n * h * w * cin, 4));
    const kernel = tensor([k[0], k[1], cin, mult], randomArray(r, k[0] * k[1] * cin * mult));
    const bias = r() < 0.7 ? tensor([cin * mult], scaled(r, cin * mult, 2)) : null;
    const act = ACTS[i % 2]!;
    it(`#${i} ${act} x=[${x.shape}] k=${k} mult=${mult} s=${s} p=${JSON.stringify(padding)}`, () => {
      const o = { layout: last ? 'channelsLast' : 'channelsFirst', strides: s, padding, bias } as const;
      check((a) => depthwiseConv2d(x, kernel, { ...o, activation: a }), act, `dw #${i}`);
    });
  }
});

describe('NaN and ±∞ through a fused activation', () => {
  // Input values include NaN and ±∞; weights ±1 and 0 (∞·0 = NaN, ∞ − ∞ = NaN).
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 7, -7, 6, 1e-30, -1e-30];
  const g = rng(99);
  const c = 8;
  const xs = new Float32Array(2 * 5 * 6 * c);
  for (let i = 0; i < xs.length; i++) xs[i] = g() < 0.15 ? pick(g, specials) : (g() * 2 - 1) * 8;
  const ws = new Float32Array(3 * 3 * c * 12);
  for (let i = 0; i < ws.length; i++) ws[i] = pick(g, [1, -1, 0, 0.5]);

  for (const act of ACTS) {
    it(`conv2d ${act}: NHWC and NCHW, both paths`, () => {
      const x = tensor([2, 5, 6, c], xs);
      const kernel = tensor([3, 3, c, 12], ws);
      const bias = tensor(
        [12],
        new Float32Array(12).map(() => pick(g, [0, -0, 1, -1, NaN])),
      );
      for (const padding of ['same', 'valid'] as const) {
        check((a) => conv2d(x, kernel, { layout: 'channelsLast', padding, bias, activation: a }), act, padding);
        const xf = tensor([2, c, 5, 6], xs);
        const kf = tensor([12, c, 3, 3], ws);
        check((a) => conv2d(xf, kf, { layout: 'channelsFirst', padding, bias, activation: a }), act, `NCHW ${padding}`);
      }
      const fast = onPath('fast', () => conv2d(x, kernel, { layout: 'channelsLast', bias, activation: act })).data;
      const nan = fast.filter((v) => Number.isNaN(v)).length;
      if (act === 'relu') expect(nan).toBe(0);
      else expect(nan).toBeGreaterThan(0);
      expect(fast.some((v) => Object.is(v, -0))).toBe(false);
      expect(Math.max(...fast.filter((v) => !Number.isNaN(v)))).toBeLessThanOrEqual(act === 'relu6' ? 6 : Infinity);
    });

    it(`depthwise ${act}: both paths`, () => {
      const x = tensor([2, 5, 6, c], xs);
      const kernel = tensor([3, 3, c, 1], ws.subarray(0, 9 * c));
      check((a) => depthwiseConv2d(x, kernel, { padding: 'same', activation: a }), act, 'dw');
    });
  }
});
