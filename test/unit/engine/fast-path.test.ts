/**
 * The WebAssembly SIMD fast path (src/engine/wasm) against the pure-TypeScript reference path,
 * on seeded random configurations of conv2d (groups, dilation, strides, every padding form,
 * both layouts and kernel layouts, batch > 1), depthwise convolution (channel multipliers) and
 * max/average pooling (ceil mode, count_include_pad, dilation), sized so that the fast path's
 * edge handling is exercised: pixel counts not a multiple of 4, channel counts not a multiple
 * of 8 (conv) or 4 (windows), several M-blocks and several output bands.
 *
 * Tolerances: max pooling moves values, so it must match bit for bit (±0 and NaN included).
 * Sums differ only in rounding: the reference accumulates each product into a Float32Array
 * through a float64 add, the fast path in float32 SIMD lanes, in the same order. Over K ≤ 1000
 * products of values in [−1, 1] that is a few float32 ulps of the partial sums (≤ 1.2e-5 observed here).
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  activeKernels,
  conv1d,
  conv2d,
  depthwiseConv2d,
  EngineError,
  pool1d,
  pool2d,
  setKernelPath,
  tensor,
  type Conv2DOptions,
  type Padding2D,
  type Pool2DOptions,
  type Tensor,
} from '../../../src/engine';
import { expectAllclose, type Tolerance } from '../helpers/allclose';
import { randInt, randomArray, rng } from '../helpers/random';

const SUM_TOL: Tolerance = { atol: 3e-5, rtol: 1e-5 };
const AVG_TOL: Tolerance = { atol: 1e-6, rtol: 1e-6 };

afterAll(() => {
  setKernelPath('fast');
});

function both(run: () => Tensor): { fast: Tensor; ref: Tensor } {
  setKernelPath('reference');
  const ref = run();
  setKernelPath('fast');
  const fast = run();
  return { fast, ref };
}

function expectBitExact(fast: Float32Array, ref: Float32Array, label: string): void {
  expect(fast.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    if (!Object.is(fast[i], ref[i]) && !(Number.isNaN(fast[i]) && Number.isNaN(ref[i]))) {
      throw new Error(`${label}: index ${i}: fast ${fast[i]}, reference ${ref[i]}`);
    }
  }
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

function image(r: R, n: number, h: number, w: number, c: number, last: boolean): Tensor {
  return tensor(last ? [n, h, w, c] : [n, c, h, w], randomArray(r, n * h * w * c));
}

/** Output extent of one axis, to keep only configurations where the window fits. */
function fits(inS: number, k: number, d: number, s: number, p: Padding2D, axis: 0 | 1): boolean {
  if (p === 'same') return true;
  const eff = (k - 1) * d + 1;
  const pad =
    p === 'valid'
      ? 0
      : typeof p === 'number'
        ? 2 * p
        : Array.isArray(p[0])
          ? (p as [[number, number], [number, number]])[axis][0] + (p as [[number, number], [number, number]])[axis][1]
          : 0;
  return inS + pad >= eff && s > 0;
}

describe('fast path is active', () => {
  it('WebAssembly SIMD kernels are in use (else this suite would compare the reference with itself)', () => {
    setKernelPath('fast');
    expect(activeKernels()).toBe('wasm-simd');
  });
});

describe('conv2d: fast = reference', () => {
  const r = rng(20240611);
  for (let i = 0; i < 120; i++) {
    const last = r() < 0.5;
    const n = randInt(r, 1, 2);
    const k: [number, number] = [randInt(r, 1, 5), randInt(r, 1, 5)];
    const d: [number, number] = r() < 0.25 ? [randInt(r, 1, 2), randInt(r, 1, 3)] : [1, 1];
    const s: [number, number] = [randInt(r, 1, 3), randInt(r, 1, 3)];
    const groups = pick(r, [1, 1, 1, 2, 3]);
    const cpg = randInt(r, 1, i % 10 === 0 ? 40 : 12);
    const copg = randInt(r, 1, i % 7 === 0 ? 40 : 19);
    const h = randInt(r, 1, i % 5 === 0 ? 48 : 20);
    const w = randInt(r, 1, i % 5 === 0 ? 48 : 20);
    const padding = randomPadding(r, k);
    if (!fits(h, k[0], d[0], s[0], padding, 0) || !fits(w, k[1], d[1], s[1], padding, 1)) continue;
    const kernelLayout = r() < 0.5 ? 'HWIO' : 'OIHW';
    const cout = copg * groups;
    const x = image(r, n, h, w, cpg * groups, last);
    const kernel = tensor(
      kernelLayout === 'HWIO' ? [k[0], k[1], cpg, cout] : [cout, cpg, k[0], k[1]],
      randomArray(r, k[0] * k[1] * cpg * cout),
    );
    const bias = r() < 0.7 ? tensor([cout], randomArray(r, cout)) : null;
    const o: Conv2DOptions = {
      layout: last ? 'channelsLast' : 'channelsFirst',
      strides: s,
      dilations: d,
      padding,
      groups,
      bias,
      kernelLayout,
    };
    it(`#${i} x=[${x.shape}] k=${kernelLayout}[${kernel.shape}] s=${s} d=${d} p=${JSON.stringify(padding)} g=${groups}`, () => {
      const { fast, ref } = both(() => conv2d(x, kernel, o));
      expect(fast.shape).toEqual(ref.shape);
      expectAllclose(fast.data, ref.data, SUM_TOL, 'conv2d');
    });
  }

  it('one input channel (the reference path runs the direct loop, not im2col)', () => {
    const g = rng(28);
    for (const [h, w, cout, k, stride, padding] of [
      [28, 28, 32, 3, 1, 'same'],
      [13, 17, 5, 5, 2, 'valid'],
      [9, 6, 7, 2, 1, 'same'],
    ] as const) {
      const x = image(g, 2, h, w, 1, true);
      const kernel = tensor([k, k, 1, cout], randomArray(g, k * k * cout));
      const bias = tensor([cout], randomArray(g, cout));
      const a = both(() => conv2d(x, kernel, { layout: 'channelsLast', padding, strides: stride, bias }));
      expectAllclose(a.fast.data, a.ref.data, SUM_TOL, `NHWC ${h}×${w}×1→${cout} k${k}`);
      const xf = tensor([2, 1, h, w], x.data);
      const kf = tensor([cout, 1, k, k], kernel.data);
      const b = both(() => conv2d(xf, kf, { layout: 'channelsFirst', padding, strides: stride, bias }));
      expectAllclose(b.fast.data, b.ref.data, SUM_TOL, `NCHW ${h}×${w}×1→${cout} k${k}`);
    }
  });

  it('layers of the bench size (several M-blocks and output bands)', () => {
    const g = rng(7);
    for (const [h, cin, cout, k] of [
      [56, 64, 72, 3],
      [40, 3, 64, 7],
      [30, 33, 13, 1],
    ] as const) {
      const x = image(g, 1, h, h, cin, true);
      const kernel = tensor([k, k, cin, cout], randomArray(g, k * k * cin * cout));
      const bias = tensor([cout], randomArray(g, cout));
      const { fast, ref } = both(() => conv2d(x, kernel, { layout: 'channelsLast', padding: 'same', bias }));
      expectAllclose(fast.data, ref.data, SUM_TOL, `conv ${h}×${h}×${cin}→${cout}`);
    }
  });
});

describe('depthwiseConv2d: fast = reference', () => {
  const r = rng(977);
  for (let i = 0; i < 60; i++) {
    const last = r() < 0.7;
    const n = randInt(r, 1, 2);
    const cin = randInt(r, 1, i % 6 === 0 ? 70 : 9);
    const mult = pick(r, [1, 1, 2, 3]);
    const k: [number, number] = [randInt(r, 1, 5), randInt(r, 1, 5)];
    const s: [number, number] = [randInt(r, 1, 2), randInt(r, 1, 3)];
    const d: [number, number] = r() < 0.2 ? [2, randInt(r, 1, 2)] : [1, 1];
    const h = randInt(r, 1, i % 4 === 0 ? 60 : 16);
    const w = randInt(r, 1, i % 4 === 0 ? 60 : 16);
    const padding = randomPadding(r, k);
    if (!fits(h, k[0], d[0], s[0], padding, 0) || !fits(w, k[1], d[1], s[1], padding, 1)) continue;
    const x = image(r, n, h, w, cin, last);
    const kernel = tensor([k[0], k[1], cin, mult], randomArray(r, k[0] * k[1] * cin * mult));
    const bias = r() < 0.6 ? tensor([cin * mult], randomArray(r, cin * mult)) : null;
    it(`#${i} x=[${x.shape}] k=${k} mult=${mult} s=${s} d=${d} p=${JSON.stringify(padding)}`, () => {
      const o = { layout: last ? 'channelsLast' : 'channelsFirst', strides: s, dilations: d, padding, bias } as const;
      const { fast, ref } = both(() => depthwiseConv2d(x, kernel, o));
      expect(fast.shape).toEqual(ref.shape);
      expectAllclose(fast.data, ref.data, SUM_TOL, 'depthwise');
    });
  }
});

describe('pool2d: fast = reference', () => {
  const r = rng(4242);
  for (let i = 0; i < 100; i++) {
    const last = r() < 0.6;
    const mode = r() < 0.5 ? 'max' : 'avg';
    const n = randInt(r, 1, 2);
    const c = randInt(r, 1, i % 5 === 0 ? 70 : 10);
    const k: [number, number] = [randInt(r, 1, 4), randInt(r, 1, 4)];
    const torch = r() < 0.5;
    const s: [number, number] = [randInt(r, 1, 3), randInt(r, 1, 3)];
    const h = randInt(r, 1, i % 4 === 0 ? 64 : 14);
    const w = randInt(r, 1, i % 4 === 0 ? 64 : 14);
    const padding: Padding2D = torch
      ? [randInt(r, 0, k[0] >> 1), randInt(r, 0, k[1] >> 1)]
      : pick(r, ['valid', 'same'] as const);
    const d: [number, number] = torch && mode === 'max' && r() < 0.3 ? [2, 2] : [1, 1];
    if (
      !fits(
        h,
        k[0],
        d[0],
        s[0],
        padding === 'valid' || padding === 'same'
          ? padding
          : [
              [padding[0], padding[0]],
              [padding[1], padding[1]],
            ],
        0,
      )
    )
      continue;
    if (
      !fits(
        w,
        k[1],
        d[1],
        s[1],
        padding === 'valid' || padding === 'same'
          ? padding
          : [
              [padding[0], padding[0]],
              [padding[1], padding[1]],
            ],
        1,
      )
    )
      continue;
    const o: Pool2DOptions = {
      layout: last ? 'channelsLast' : 'channelsFirst',
      mode,
      poolSize: k,
      strides: s,
      padding,
      dilations: d,
      ceilMode: torch && r() < 0.5,
      countIncludePad: torch && r() < 0.5,
      torchPadRule: torch,
    };
    const x = image(r, n, h, w, c, last);
    it(`#${i} ${mode} x=[${x.shape}] k=${k} s=${s} d=${d} p=${JSON.stringify(padding)} ceil=${o.ceilMode} incl=${o.countIncludePad}`, () => {
      const { fast, ref } = both(() => pool2d(x, o));
      expect(fast.shape).toEqual(ref.shape);
      if (mode === 'max') expectBitExact(fast.data, ref.data, 'max pool');
      else expectAllclose(fast.data, ref.data, AVG_TOL, 'avg pool');
    });
  }

  it('max pooling keeps the reference NaN and ±0 behaviour bit for bit', () => {
    const vals = [0, -0, NaN, -Infinity, Infinity, 1, -1];
    const g = rng(5);
    const data = new Float32Array(2 * 9 * 9 * 8).map(() => vals[Math.floor(g() * vals.length)]!);
    for (const layout of ['channelsLast', 'channelsFirst'] as const) {
      const x = tensor(layout === 'channelsLast' ? [2, 9, 9, 8] : [2, 8, 9, 9], data);
      for (const padding of ['valid', 'same'] as const) {
        const { fast, ref } = both(() => pool2d(x, { layout, mode: 'max', poolSize: 3, strides: 2, padding }));
        expectBitExact(fast.data, ref.data, `${layout} ${padding}`);
      }
    }
  });

  it('4-tap windows (the unrolled kernel) keep NaN and ±0 bit for bit, 16- and 4-channel passes', () => {
    const vals = [0, -0, NaN, -Infinity, Infinity, 1, -1, 0.5];
    const g = rng(11);
    for (const c of [20, 8, 3]) {
      const data = new Float32Array(2 * 10 * 9 * c).map(() => vals[Math.floor(g() * vals.length)]!);
      const x = tensor([2, 10, 9, c], data);
      const configs: Pool2DOptions[] = [
        { layout: 'channelsLast', mode: 'max', poolSize: 2 },
        { layout: 'channelsLast', mode: 'max', poolSize: 2, strides: 1, padding: 'same' },
        { layout: 'channelsLast', mode: 'max', poolSize: [1, 4], strides: [1, 2] },
        { layout: 'channelsLast', mode: 'max', poolSize: [4, 1], strides: [3, 1], padding: 'same' },
        { layout: 'channelsLast', mode: 'max', poolSize: 2, dilations: 2, padding: 1, torchPadRule: true },
        { layout: 'channelsFirst', mode: 'max', poolSize: 2, ceilMode: true, padding: 1, torchPadRule: true },
      ];
      for (const o of configs) {
        const { fast, ref } = both(() => pool2d(o.layout === 'channelsLast' ? x : tensor([2, c, 10, 9], data), o));
        expectBitExact(fast.data, ref.data, `c=${c} ${JSON.stringify(o)}`);
      }
    }
  });

  it('the bench pooling layer (several bands)', () => {
    const x = image(rng(9), 1, 112, 112, 64, true);
    const { fast, ref } = both(() => pool2d(x, { layout: 'channelsLast', mode: 'max', poolSize: 2 }));
    expectBitExact(fast.data, ref.data, 'max pool 112×112×64');
  });
});

/**
 * The channels-first kernels (wasm/planes.ts): pooling and depthwise convolution on the planes
 * in place (the loops written for column stride 1, 2 and any other; rows of 16 columns, of 4,
 * and a last partial group), 1×1 convolutions as one GEMM per image (channel counts not a
 * multiple of 4, pixel counts not a multiple of 8, several packed blocks), and the blocked
 * transposes around the general k×k convolution (channels and pixels not a multiple of 4 or
 * 16, several output bands, batch 2).
 */
describe('channels-first kernels: fast = reference', () => {
  const g = rng(6021);
  /** both(), or null when the window does not fit the input (an error both paths share). */
  const bothIfFits = (run: () => Tensor): { fast: Tensor; ref: Tensor } | null => {
    try {
      return both(run);
    } catch (e) {
      if (e instanceof EngineError && e.message.includes('is larger than')) return null;
      throw e;
    }
  };
  const nchw = (n: number, c: number, h: number, w: number): Tensor =>
    tensor([n, c, h, w], randomArray(g, n * c * h * w));

  it('pooling on planes: strides 1, 2, 3, widths past 16 and partial groups, torch padding and ceil mode', () => {
    const configs: Omit<Pool2DOptions, 'layout'>[] = [];
    for (const mode of ['max', 'avg'] as const) {
      for (const s of [1, 2, 3]) {
        configs.push({ mode, poolSize: 3, strides: s, padding: 'same' });
        configs.push({ mode, poolSize: [2, 3], strides: [s, s], padding: 'valid' });
        configs.push({
          mode,
          poolSize: 3,
          strides: s,
          padding: 1,
          ceilMode: true,
          countIncludePad: true,
          torchPadRule: true,
        });
        configs.push({ mode, poolSize: [3, 2], strides: [1, s], padding: [1, 1], ceilMode: true, torchPadRule: true });
      }
      configs.push({ mode, poolSize: 2, strides: 2 });
    }
    configs.push({ mode: 'max', poolSize: 3, strides: 2, dilations: [2, 3], padding: 1, torchPadRule: true });
    for (const [n, c, h, w] of [
      [2, 5, 13, 41],
      [1, 3, 1, 37],
      [1, 6, 9, 7],
      [1, 2, 33, 66],
    ] as const) {
      const x = nchw(n, c, h, w);
      for (const o of configs) {
        const label = `[${n},${c},${h},${w}] ${JSON.stringify(o)}`;
        const res = bothIfFits(() => pool2d(x, { ...o, layout: 'channelsFirst' }));
        if (!res) continue;
        expect(res.fast.shape, label).toEqual(res.ref.shape);
        if (o.mode === 'max') expectBitExact(res.fast.data, res.ref.data, label);
        else expectAllclose(res.fast.data, res.ref.data, AVG_TOL, label);
      }
    }
  });

  it('max pooling on planes keeps NaN (canonical) and ±0 bit for bit, at every column stride', () => {
    const vals = [0, -0, NaN, -Infinity, Infinity, 1, -1, 0.5];
    const data = new Float32Array(2 * 6 * 11 * 45).map(() => vals[Math.floor(g() * vals.length)]!);
    const x = tensor([2, 6, 11, 45], data);
    for (const s of [1, 2, 3]) {
      for (const padding of ['valid', 'same'] as const) {
        const { fast, ref } = both(() =>
          pool2d(x, { layout: 'channelsFirst', mode: 'max', poolSize: 3, strides: s, padding }),
        );
        expect(Array.from(new Uint32Array(fast.data.buffer))).toEqual(Array.from(new Uint32Array(ref.data.buffer)));
      }
    }
  });

  it('pool1d on (N, C, L) sequences (one-row planes)', () => {
    const x = tensor([2, 7, 53], randomArray(g, 2 * 7 * 53));
    for (const o of [
      { mode: 'max', poolSize: 3, stride: 2, padding: 1, ceilMode: true, torchPadRule: true },
      { mode: 'avg', poolSize: 4, stride: 1, padding: 2, countIncludePad: false, torchPadRule: true },
      { mode: 'avg', poolSize: 5, stride: 3 },
    ] as const) {
      const { fast, ref } = both(() => pool1d(x, { ...o, layout: 'channelsFirst' }));
      if (o.mode === 'max') expectBitExact(fast.data, ref.data, JSON.stringify(o));
      else expectAllclose(fast.data, ref.data, AVG_TOL, JSON.stringify(o));
    }
  });

  it('depthwise on planes: strides, dilation, asymmetric padding, multipliers, both kernel layouts, fused activations', () => {
    for (const [n, cin, h, w, mult] of [
      [2, 5, 12, 37, 1],
      [1, 3, 1, 50, 2],
      [1, 7, 19, 18, 3],
      [1, 4, 40, 40, 1],
    ] as const) {
      const x = nchw(n, cin, h, w);
      const cout = cin * mult;
      for (const [kh, kw, s, d, padding] of [
        [3, 3, [1, 1], [1, 1], 'same'],
        [3, 3, [2, 2], [1, 1], 1],
        [
          1,
          5,
          [1, 3],
          [1, 1],
          [
            [0, 0],
            [2, 1],
          ],
        ],
        [
          3,
          2,
          [1, 2],
          [2, 3],
          [
            [2, 0],
            [3, 1],
          ],
        ],
        [5, 5, [3, 1], [1, 1], 'same'],
      ] as const) {
        if (kh > h && padding !== 'same') continue;
        const oihw = g() < 0.5;
        const kernel = tensor(oihw ? [cout, 1, kh, kw] : [kh, kw, 1, cout], randomArray(g, cout * kh * kw));
        const bias = g() < 0.7 ? tensor([cout], randomArray(g, cout)) : null;
        for (const activation of [null, 'relu', 'relu6'] as const) {
          const o: Conv2DOptions = {
            layout: 'channelsFirst',
            kernelLayout: oihw ? 'OIHW' : 'HWIO',
            groups: cin,
            strides: s,
            dilations: d,
            padding,
            bias,
            activation,
          };
          const label = `[${n},${cin},${h},${w}] k${kh}×${kw} mult ${mult} s${s} d${d} p${JSON.stringify(padding)} ${activation}`;
          const { fast, ref } = both(() => conv2d(x, kernel, o));
          expect(fast.shape, label).toEqual(ref.shape);
          expectAllclose(fast.data, ref.data, SUM_TOL, label);
        }
      }
    }
  });

  it('depthwise Conv1d on (N, C, L) sequences', () => {
    const x = tensor([2, 6, 45], randomArray(g, 2 * 6 * 45));
    const k = tensor([12, 1, 5], randomArray(g, 12 * 5));
    const b = tensor([12], randomArray(g, 12));
    for (const o of [
      { stride: 1, padding: 2 },
      { stride: 2, padding: [3, 1] as [number, number], dilation: 2 },
    ]) {
      const { fast, ref } = both(() => conv1d(x, k, { layout: 'channelsFirst', groups: 6, bias: b, ...o }));
      expectAllclose(fast.data, ref.data, SUM_TOL, JSON.stringify(o));
    }
  });

  it('1×1 convolutions as one GEMM: odd channel and pixel counts, batch 2, several blocks, fused activations', () => {
    for (const [n, cin, cout, h, w] of [
      [2, 3, 5, 7, 9],
      [1, 1, 13, 4, 4],
      [1, 17, 1, 1, 23],
      [1, 256, 22, 30, 29],
      [2, 40, 64, 8, 8],
    ] as const) {
      const x = nchw(n, cin, h, w);
      const oihw = g() < 0.7;
      const kernel = tensor(oihw ? [cout, cin, 1, 1] : [1, 1, cin, cout], randomArray(g, cout * cin));
      const bias = g() < 0.7 ? tensor([cout], randomArray(g, cout)) : null;
      for (const activation of [null, 'relu', 'relu6'] as const) {
        const label = `[${n},${cin},${h},${w}]→${cout} ${activation}`;
        const o: Conv2DOptions = { layout: 'channelsFirst', kernelLayout: oihw ? 'OIHW' : 'HWIO', bias, activation };
        const { fast, ref } = both(() => conv2d(x, kernel, o));
        expect(fast.shape, label).toEqual(ref.shape);
        expectAllclose(fast.data, ref.data, SUM_TOL, label);
      }
    }
  });

  it('k×k convolutions through the blocked transposes: odd channels and widths, bands, batch 2', () => {
    for (const [n, cin, cout, h, w, k] of [
      [2, 3, 21, 37, 35, 3],
      [1, 9, 70, 45, 47, 3],
      [1, 5, 6, 1, 40, 3],
      [2, 6, 11, 17, 18, 1],
    ] as const) {
      const x = nchw(n, cin, h, w);
      const kernel = tensor([cout, cin, k, k], randomArray(g, cout * cin * k * k));
      const bias = tensor([cout], randomArray(g, cout));
      for (const o of [
        { padding: 'same', activation: 'relu' },
        {
          padding: [
            [1, 0],
            [0, 2],
          ],
          strides: [1, 2],
        },
        { padding: 1, strides: 2 },
      ] as const) {
        const label = `[${n},${cin},${h},${w}]→${cout} k${k} ${JSON.stringify(o)}`;
        const res = bothIfFits(() => conv2d(x, kernel, { layout: 'channelsFirst', bias, ...o }));
        if (!res) continue;
        expect(res.fast.shape, label).toEqual(res.ref.shape);
        expectAllclose(res.fast.data, res.ref.data, SUM_TOL, label);
      }
    }
  });
});
