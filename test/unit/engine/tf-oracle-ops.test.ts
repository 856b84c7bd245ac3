/**
 * Oracle tests against TensorFlow.js (channels-last, Keras layouts): pooling, global pooling,
 * dense, batch normalization, upsampling, zero padding, concatenate and flatten, plus a few
 * whole tfjs-layers layers to pin Keras' layer-level defaults.
 *
 * TF semantics checked here: 'same' pooling pads max with −∞ and divides averages by the
 * number of real cells; pooling strides default to the pool size; a 'valid' window larger
 * than the input yields an empty tensor in TF, which the engine refuses with
 * 'kernel-too-large'.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  batchNorm,
  concatenate,
  dense,
  EngineError,
  flatten,
  globalPool2d,
  pool1d,
  pool2d,
  tensor,
  upsample2d,
  zeroPad2d,
  type PoolMode,
  type Tensor,
} from '../../../src/engine';
import { expectAllclose, type Tolerance } from '../helpers/allclose';
import { randInt, randomArray, rng } from '../helpers/random';

/** Max pooling, padding, concatenation and flatten move values: they must match exactly. */
const EXACT: Tolerance = { atol: 0, rtol: 0 };
/** Averages of ≤ 25 float32 values. */
const AVG_TOL: Tolerance = { atol: 1e-6, rtol: 1e-5 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Pad = 'valid' | 'same';
const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;
const ax = (a: number, b: number): string => (a === b ? `${a}` : `${a}x${b}`);
const outLen = (inS: number, k: number, s: number, pad: Pad): number | null =>
  pad === 'same' ? Math.ceil(inS / s) : k > inS ? null : Math.floor((inS - k) / s) + 1;

/** Engine output vs a tf computation, data compared with `tol`. */
function check(y: Tensor, oracle: () => tf.Tensor, tol: Tolerance, shape?: number[]): void {
  const t = tf.tidy(oracle);
  if (shape) expect(t.shape).toEqual(shape);
  expect(y.shape).toEqual(t.shape);
  expectAllclose(y.data, t.dataSync(), tol, 'engine vs tf');
  t.dispose();
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

/** TF's answer for a window that does not fit: an empty shape, or a throw (negative size). */
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

// ---------------------------------------------------------------- pooling 2-D

interface P2 {
  mode: PoolMode;
  n: number;
  h: number;
  w: number;
  c: number;
  ph: number;
  pw: number;
  sh: number | null;
  sw: number | null;
  pad: Pad;
  neg: boolean;
  seed: number;
}
const strideOf = (p: P2): [number, number] => [p.sh ?? p.ph, p.sw ?? p.pw];
function p2Shape(p: P2): number[] | null {
  const [sh, sw] = strideOf(p);
  const oh = outLen(p.h, p.ph, sh, p.pad),
    ow = outLen(p.w, p.pw, sw, p.pad);
  return oh === null || ow === null ? null : [p.n, oh, ow, p.c];
}
function p2Name(p: P2): string {
  const s = p2Shape(p);
  const st = p.sh === null ? `default(${ax(p.ph, p.pw)})` : ax(p.sh, p.sw!);
  return `${p.mode} x=${fmt([p.n, p.h, p.w, p.c])}${p.neg ? ' (all < 0)' : ''} pool=${p.ph}x${p.pw} s=${st} p=${p.pad} → ${s ? fmt(s) : 'kernel-too-large'}`;
}

function checkPool2d(p: P2): void {
  const r = rng(p.seed);
  const x = randomArray(r, p.n * p.h * p.w * p.c);
  if (p.neg) for (let i = 0; i < x.length; i++) x[i] = x[i]! - 2; // all in [-3, -1): a 0 pad would win a max
  const shape = p2Shape(p);
  const run = (): Tensor =>
    pool2d(tensor([p.n, p.h, p.w, p.c], x), {
      layout: 'channelsLast',
      mode: p.mode,
      poolSize: [p.ph, p.pw],
      strides: p.sh === null ? null : [p.sh, p.sw!],
      padding: p.pad,
    });
  const oracle = (): tf.Tensor => {
    const xt = tf.tensor4d(x, [p.n, p.h, p.w, p.c]);
    return p.mode === 'max'
      ? tf.maxPool(xt, [p.ph, p.pw], strideOf(p), p.pad)
      : tf.avgPool(xt, [p.ph, p.pw], strideOf(p), p.pad);
  };
  if (shape === null) {
    expectTfEmpty(oracle);
    expectKernelTooLarge(run);
    return;
  }
  const y = run();
  check(y, oracle, p.mode === 'max' ? EXACT : AVG_TOL, shape);
  if (p.neg && p.mode === 'max') expect(Math.max(...y.data)).toBeLessThan(-1);
}

describe('tf oracle: pool2d (tf.maxPool / tf.avgPool)', () => {
  const b: P2 = {
    mode: 'max',
    n: 1,
    h: 1,
    w: 1,
    c: 1,
    ph: 2,
    pw: 2,
    sh: null,
    sw: null,
    pad: 'valid',
    neg: false,
    seed: 31,
  };
  const edges: P2[] = [];
  for (const mode of ['max', 'avg'] as const) {
    edges.push(
      { ...b, mode, h: 7, w: 6, c: 3, ph: 3, pw: 3, sh: 2, sw: 2, pad: 'same' }, // window > stride, odd/even
      { ...b, mode, h: 5, w: 5, c: 2, ph: 2, pw: 2, pad: 'same' }, // extra cell bottom/right only
      { ...b, mode, h: 5, w: 7, c: 2, ph: 3, pw: 3, sh: 1, sw: 1, pad: 'same', neg: true }, // −∞ pad / real-cell divisor
      { ...b, mode, h: 4, w: 4, c: 1, ph: 4, pw: 4, sh: 1, sw: 1, pad: 'same', neg: true }, // pad on all sides
      { ...b, mode, h: 7, w: 7, c: 2, ph: 3, pw: 2, pad: 'valid' }, // default strides = pool size
      { ...b, mode, h: 9, w: 8, c: 2, ph: 3, pw: 3, sh: 2, sw: 2, pad: 'valid' },
      { ...b, mode, h: 1, w: 1, c: 2, ph: 3, pw: 3, pad: 'same', neg: true },
      { ...b, mode, h: 2, w: 6, c: 1, ph: 3, pw: 2, pad: 'valid' }, // too large on H
    );
  }
  describe('edge cases', () => {
    for (const p of edges) it(p2Name(p), () => checkPool2d(p));
  });
  describe('random sweep (seed 7071)', () => {
    const r = rng(7071);
    const cases: P2[] = [];
    for (let i = 0; i < 60; i++) {
      const dflt = r() < 0.25;
      cases.push({
        mode: r() < 0.5 ? 'max' : 'avg',
        n: randInt(r, 1, 2),
        h: randInt(r, 1, 13),
        w: randInt(r, 1, 13),
        c: randInt(r, 1, 6),
        ph: randInt(r, 1, 5),
        pw: randInt(r, 1, 5),
        sh: dflt ? null : randInt(r, 1, 3),
        sw: dflt ? null : randInt(r, 1, 3),
        pad: r() < 0.5 ? 'same' : 'valid',
        neg: r() < 0.3,
        seed: 7071000 + i,
      });
    }
    for (const p of cases) it(p2Name(p), () => checkPool2d(p));
  });
});

// ---------------------------------------------------------------- pooling 1-D

describe('tf oracle: pool1d (tf pool on a height-1 tensor)', () => {
  const r = rng(8081);
  for (let i = 0; i < 24; i++) {
    const mode: PoolMode = i % 2 === 0 ? 'max' : 'avg';
    const n = randInt(r, 1, 2),
      l = randInt(r, 1, 13),
      c = randInt(r, 1, 6),
      k = randInt(r, 1, 5);
    const s = r() < 0.25 ? null : randInt(r, 1, 3);
    const pad: Pad = r() < 0.5 ? 'same' : 'valid';
    const neg = r() < 0.3;
    const o = outLen(l, k, s ?? k, pad);
    it(`${mode} x=${fmt([n, l, c])}${neg ? ' (all < 0)' : ''} pool=${k} s=${s ?? `default(${k})`} p=${pad} → ${o === null ? 'kernel-too-large' : fmt([n, o, c])}`, () => {
      const x = randomArray(rng(8081000 + i), n * l * c);
      if (neg) for (let j = 0; j < x.length; j++) x[j] = x[j]! - 2;
      const run = (): Tensor =>
        pool1d(tensor([n, l, c], x), { layout: 'channelsLast', mode, poolSize: k, stride: s, padding: pad });
      if (o === null) {
        expectKernelTooLarge(run);
        return;
      }
      check(
        run(),
        () => {
          const x4 = tf.tensor4d(x, [n, 1, l, c]);
          const y =
            mode === 'max' ? tf.maxPool(x4, [1, k], [1, s ?? k], pad) : tf.avgPool(x4, [1, k], [1, s ?? k], pad);
          return tf.reshape(y, [n, o, c]);
        },
        mode === 'max' ? EXACT : AVG_TOL,
        [n, o, c],
      );
    });
  }
});

// ---------------------------------------------------------------- global pooling

describe('tf oracle: global pooling (tf.mean / tf.max over axes 1,2)', () => {
  const shapes: [number, number, number, number][] = [
    [1, 1, 1, 1],
    [2, 7, 6, 3],
    [1, 13, 1, 5],
    [2, 4, 9, 6],
  ];
  for (const shape of shapes) {
    for (const mode of ['avg', 'max'] as const) {
      for (const keep of [false, true]) {
        const [n, , , c] = shape;
        const out = keep ? [n, 1, 1, c] : [n, c];
        it(`${mode} x=${fmt(shape)}${keep ? ' keepDims' : ''} → ${fmt(out)}`, () => {
          const x = randomArray(
            rng(shape.reduce((a, b) => a * 31 + b, 9)),
            shape.reduce((a, b) => a * b, 1),
          );
          for (let i = 0; i < x.length; i++) x[i] = x[i]! - 2; // all negative: max must not see a 0
          const y = globalPool2d(tensor(shape, x), 'channelsLast', mode, keep);
          // Means of ≤ 117 float32 values: accumulation error a few 1e-7.
          check(
            y,
            () => (mode === 'avg' ? tf.mean : tf.max)(tf.tensor4d(x, shape), [1, 2], keep),
            mode === 'max' ? EXACT : { atol: 1e-6, rtol: 1e-5 },
            out,
          );
        });
      }
    }
  }
});

// ---------------------------------------------------------------- dense

describe('tf oracle: dense (kernel in,out)', () => {
  const r = rng(9091);
  for (let i = 0; i < 24; i++) {
    const rank3 = i % 2 === 1;
    const lead = rank3 ? [randInt(r, 1, 2), randInt(r, 1, 5)] : [randInt(r, 1, 4)];
    const inF = randInt(r, 1, 48),
      outF = randInt(r, 1, 10);
    const useBias = r() < 0.7;
    const xShape = [...lead, inF];
    it(`x=${fmt(xShape)} units=${outF}${useBias ? ' +bias' : ''} → ${fmt([...lead, outF])} (${rank3 ? 'tf.layers.dense' : 'tf.matMul'})`, () => {
      const rr = rng(9091000 + i);
      const x = randomArray(
        rr,
        xShape.reduce((a, b) => a * b, 1),
      );
      const k = randomArray(rr, inF * outF);
      const b = randomArray(rr, outF);
      const y = dense(tensor(xShape, x), tensor([inF, outF], k), {
        kernelLayout: 'IO',
        bias: useBias ? tensor([outF], b) : null,
      });
      // Dot products of ≤ 48 terms in [-1, 1]: float32 accumulation differences ≲ 1e-6.
      const tol = { atol: 1e-5, rtol: 1e-4 };
      if (!rank3) {
        check(
          y,
          () => {
            const m = tf.matMul(tf.tensor2d(x, [lead[0]!, inF]), tf.tensor2d(k, [inF, outF]));
            return useBias ? tf.add(m, tf.tensor1d(b)) : m;
          },
          tol,
          [...lead, outF],
        );
        return;
      }
      const layer = tfl.layers.dense({ units: outF, useBias });
      const xt = tf.tensor(x, xShape);
      (layer.apply(xt) as tf.Tensor).dispose();
      layer.setWeights(useBias ? [tf.tensor2d(k, [inF, outF]), tf.tensor1d(b)] : [tf.tensor2d(k, [inF, outF])]);
      check(y, () => layer.apply(xt) as tf.Tensor, tol, [...lead, outF]);
      xt.dispose();
    });
  }
});

// ---------------------------------------------------------------- batch normalization

describe('tf oracle: batch normalization at inference (tf.batchNorm)', () => {
  const cases: { shape: number[]; eps: number; affine: boolean }[] = [
    { shape: [2, 5, 4, 3], eps: 1e-3, affine: true },
    { shape: [1, 3, 3, 6], eps: 1e-3, affine: false },
    { shape: [2, 7, 1, 1], eps: 1e-5, affine: true },
    { shape: [4, 5], eps: 1e-3, affine: true },
    { shape: [3, 6], eps: 1e-5, affine: false },
    { shape: [2, 4, 2], eps: 1e-3, affine: true },
  ];
  cases.forEach(({ shape, eps, affine }, i) => {
    it(`x=${fmt(shape)} eps=${eps}${affine ? ' gamma,beta' : ' no gamma/beta'} → ${fmt(shape)}`, () => {
      const r = rng(1111 + i);
      const c = shape[shape.length - 1]!;
      const x = randomArray(
        r,
        shape.reduce((a, b) => a * b, 1),
      );
      const mean = randomArray(r, c);
      const variance = randomArray(r, c).map((v) => v + 1.05); // in (0.05, 2.05)
      const gamma = randomArray(r, c),
        beta = randomArray(r, c);
      const y = batchNorm(tensor(shape, x), 'channelsLast', {
        mean,
        variance,
        epsilon: eps,
        gamma: affine ? gamma : null,
        beta: affine ? beta : null,
      });
      check(
        y,
        () =>
          tf.batchNorm(tf.tensor(x, shape), mean, variance, affine ? beta : undefined, affine ? gamma : undefined, eps),
        { atol: 1e-5, rtol: 1e-5 },
        shape,
      );
    });
  });
  it('tf.layers.batchNormalization() (epsilon default 1e-3) on x=[2,3,4,5] → [2,3,4,5]', () => {
    const r = rng(1211);
    const x = randomArray(r, 2 * 3 * 4 * 5);
    const [gamma, beta, mean] = [randomArray(r, 5), randomArray(r, 5), randomArray(r, 5)];
    const variance = randomArray(r, 5).map((v) => v * v * 0.01); // tiny: ε matters
    const layer = tfl.layers.batchNormalization();
    const xt = tf.tensor4d(x, [2, 3, 4, 5]);
    (layer.apply(xt) as tf.Tensor).dispose();
    layer.setWeights([gamma, beta, mean, variance].map((a) => tf.tensor1d(a)));
    const y = batchNorm(tensor([2, 3, 4, 5], x), 'channelsLast', { gamma, beta, mean, variance, epsilon: 1e-3 });
    // scale up to 1/sqrt(1e-3) ≈ 32: outputs up to ~60, so the relative tolerance governs.
    check(y, () => layer.apply(xt) as tf.Tensor, { atol: 1e-5, rtol: 1e-5 }, [2, 3, 4, 5]);
    xt.dispose();
  });
});

// ---------------------------------------------------------------- upsampling

describe('tf oracle: upsample2d (tf.image.resize*)', () => {
  const r = rng(1313);
  for (let i = 0; i < 40; i++) {
    const mode = i % 2 === 0 ? 'nearest' : 'bilinear';
    const align = mode === 'bilinear' && i % 4 === 3;
    const n = randInt(r, 1, 2),
      h = randInt(r, 1, 7),
      w = randInt(r, 1, 7),
      c = randInt(r, 1, 4);
    const sh = randInt(r, 1, 3),
      sw = randInt(r, 1, 3);
    const out = [n, h * sh, w * sw, c];
    it(`${mode}${align ? ' alignCorners' : ''} x=${fmt([n, h, w, c])} scale=${ax(sh, sw)} → ${fmt(out)}`, () => {
      const x = randomArray(rng(1313000 + i), n * h * w * c);
      const y = upsample2d(tensor([n, h, w, c], x), {
        layout: 'channelsLast',
        scale: [sh, sw],
        mode,
        alignCorners: align,
      });
      const size: [number, number] = [h * sh, w * sw];
      if (mode === 'nearest') {
        // Integer scales: half-pixel and legacy nearest both repeat each pixel (Keras' rule).
        check(y, () => tf.image.resizeNearestNeighbor(tf.tensor4d(x, [n, h, w, c]), size, false, true), EXACT, out);
        check(y, () => tf.image.resizeNearestNeighbor(tf.tensor4d(x, [n, h, w, c]), size, false, false), EXACT, out);
      } else {
        check(
          y,
          () => tf.image.resizeBilinear(tf.tensor4d(x, [n, h, w, c]), size, align, !align),
          { atol: 1e-6, rtol: 1e-5 },
          out,
        );
      }
    });
  }
  const sized: [number, number, number, number, 'nearest' | 'bilinear', boolean][] = [
    [5, 4, 7, 9, 'bilinear', false],
    [6, 6, 4, 3, 'bilinear', false],
    [3, 5, 8, 2, 'bilinear', true],
    [1, 4, 3, 7, 'bilinear', true],
    [5, 4, 7, 9, 'nearest', false],
    [6, 7, 4, 3, 'nearest', false],
  ];
  for (const [h, w, H, W, mode, align] of sized) {
    // Explicit sizes: tf.image.resize as Keras' Resizing calls it, half-pixel centres for both
    // (PyTorch's 'nearest' is the engine's torchNearest option).
    it(`${mode}${align ? ' alignCorners' : ''} x=[1,${h},${w},2] size=${H}x${W} → [1,${H},${W},2]`, () => {
      const x = randomArray(rng(h * 100 + w * 10 + H), h * w * 2);
      const y = upsample2d(tensor([1, h, w, 2], x), {
        layout: 'channelsLast',
        size: [H, W],
        mode,
        alignCorners: align,
      });
      const xt = (): tf.Tensor4D => tf.tensor4d(x, [1, h, w, 2]);
      check(
        y,
        () =>
          mode === 'nearest'
            ? tf.image.resizeNearestNeighbor(xt(), [H, W], false, true)
            : tf.image.resizeBilinear(xt(), [H, W], align, !align),
        { atol: 1e-6, rtol: 1e-5 },
        [1, H, W, 2],
      );
    });
  }
});

// ---------------------------------------------------------------- zero padding, concatenate, flatten

describe('tf oracle: zeroPad2d (tf.pad)', () => {
  const r = rng(1414);
  for (let i = 0; i < 20; i++) {
    const n = randInt(r, 1, 2),
      h = randInt(r, 1, 7),
      w = randInt(r, 1, 7),
      c = randInt(r, 1, 4);
    const p = [randInt(r, 0, 3), randInt(r, 0, 3), randInt(r, 0, 3), randInt(r, 0, 3)] as const;
    const out = [n, h + p[0] + p[1], w + p[2] + p[3], c];
    it(`x=${fmt([n, h, w, c])} pad=((${p[0]},${p[1]}),(${p[2]},${p[3]})) → ${fmt(out)}`, () => {
      const x = randomArray(rng(1414000 + i), n * h * w * c);
      const y = zeroPad2d(tensor([n, h, w, c], x), 'channelsLast', [
        [p[0], p[1]],
        [p[2], p[3]],
      ]);
      check(
        y,
        () =>
          tf.pad(tf.tensor4d(x, [n, h, w, c]), [
            [0, 0],
            [p[0], p[1]],
            [p[2], p[3]],
            [0, 0],
          ]),
        EXACT,
        out,
      );
    });
  }
});

describe('tf oracle: concatenate (tf.concat)', () => {
  const r = rng(1515);
  for (let i = 0; i < 12; i++) {
    const axis = i < 8 ? -1 : [1, 2, 0, 3][i - 8]!;
    const shape = [randInt(r, 1, 2), randInt(r, 1, 5), randInt(r, 1, 5), randInt(r, 1, 4)];
    const k = randInt(r, 2, 3);
    const a = axis < 0 ? 3 : axis;
    const shapes = Array.from({ length: k }, () => shape.map((d, j) => (j === a ? randInt(r, 1, 4) : d)));
    const out = shape.map((d, j) => (j === a ? shapes.reduce((s, sh) => s + sh[a]!, 0) : d));
    it(`axis=${axis} inputs ${shapes.map(fmt).join(' + ')} → ${fmt(out)}`, () => {
      const rr = rng(1515000 + i);
      const xs = shapes.map((s) =>
        randomArray(
          rr,
          s.reduce((p, q) => p * q, 1),
        ),
      );
      const y = concatenate(
        xs.map((x, j) => tensor(shapes[j]!, x)),
        axis,
      );
      check(
        y,
        () =>
          tf.concat(
            xs.map((x, j) => tf.tensor(x, shapes[j]!)),
            axis,
          ),
        EXACT,
        out,
      );
    });
  }
});

describe('tf oracle: flatten keeps NHWC (h, w, c) order (tf.layers.flatten)', () => {
  for (const shape of [
    [2, 3, 4, 5],
    [1, 1, 7, 2],
    [3, 6, 2],
  ]) {
    const out = [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
    it(`x=${fmt(shape)} → ${fmt(out)}`, () => {
      const x = randomArray(
        rng(shape.length * 17 + shape[1]!),
        shape.reduce((a, b) => a * b, 1),
      );
      const y = flatten(tensor(shape, x));
      check(y, () => tfl.layers.flatten().apply(tf.tensor(x, shape)) as tf.Tensor, EXACT, out);
    });
  }
});

// ---------------------------------------------------------------- whole Keras layers (tfjs-layers)

describe('tf oracle: tfjs-layers layer defaults', () => {
  const layerCase = (
    name: string,
    shape: number[],
    layer: () => tfl.layers.Layer,
    engine: (x: Tensor) => Tensor,
    out: number[],
    tol: Tolerance,
  ): void => {
    it(`${name} on x=${fmt(shape)} → ${fmt(out)}`, () => {
      const x = randomArray(
        rng(name.length * 7 + shape[1]!),
        shape.reduce((a, b) => a * b, 1),
      );
      for (let i = 0; i < x.length; i++) x[i] = x[i]! - 2; // all negative
      check(engine(tensor(shape, x)), () => layer().apply(tf.tensor(x, shape)) as tf.Tensor, tol, out);
    });
  };
  layerCase(
    'MaxPooling2D(pool_size=(3,2)) (strides default to pool size)',
    [1, 7, 7, 2],
    () => tfl.layers.maxPooling2d({ poolSize: [3, 2] }),
    (x) => pool2d(x, { layout: 'channelsLast', mode: 'max', poolSize: [3, 2] }),
    [1, 2, 3, 2],
    EXACT,
  );
  layerCase(
    "MaxPooling2D(2, padding='same')",
    [2, 5, 3, 3],
    () => tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
    (x) => pool2d(x, { layout: 'channelsLast', mode: 'max', poolSize: 2, padding: 'same' }),
    [2, 3, 2, 3],
    EXACT,
  );
  layerCase(
    "AveragePooling2D(3, strides=2, padding='same')",
    [1, 7, 8, 2],
    () => tfl.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    (x) => pool2d(x, { layout: 'channelsLast', mode: 'avg', poolSize: 3, strides: 2, padding: 'same' }),
    [1, 4, 4, 2],
    AVG_TOL,
  );
  layerCase(
    'MaxPooling1D(pool_size=2)',
    [2, 9, 3],
    () => tfl.layers.maxPooling1d({ poolSize: 2 }),
    (x) => pool1d(x, { layout: 'channelsLast', mode: 'max', poolSize: 2 }),
    [2, 4, 3],
    EXACT,
  );
  layerCase(
    'GlobalAveragePooling2D()',
    [2, 5, 4, 3],
    () => tfl.layers.globalAveragePooling2d({}),
    (x) => globalPool2d(x, 'channelsLast', 'avg'),
    [2, 3],
    AVG_TOL,
  );
  layerCase(
    'GlobalMaxPooling2D()',
    [2, 5, 4, 3],
    () => tfl.layers.globalMaxPooling2d({}),
    (x) => globalPool2d(x, 'channelsLast', 'max'),
    [2, 3],
    EXACT,
  );
  // tfjs-layers' bilinear UpSampling2D calls resizeBilinear without half-pixel centres, unlike
  // Python Keras (tf.image.resize): only its nearest mode is a Keras oracle.
  layerCase(
    'UpSampling2D(size=(2,3))',
    [1, 3, 4, 2],
    () => tfl.layers.upSampling2d({ size: [2, 3] }),
    (x) => upsample2d(x, { layout: 'channelsLast', scale: [2, 3], mode: 'nearest' }),
    [1, 6, 12, 2],
    EXACT,
  );
  layerCase(
    'UpSampling2D() (size default 2)',
    [2, 3, 3, 1],
    () => tfl.layers.upSampling2d({}),
    (x) => upsample2d(x, { layout: 'channelsLast', mode: 'nearest' }),
    [2, 6, 6, 1],
    EXACT,
  );
  layerCase(
    'ZeroPadding2D(((1,2),(0,3)))',
    [1, 3, 4, 2],
    () =>
      tfl.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 3],
        ],
      }),
    (x) =>
      zeroPad2d(x, 'channelsLast', [
        [1, 2],
        [0, 3],
      ]),
    [1, 6, 7, 2],
    EXACT,
  );
  layerCase(
    'ZeroPadding2D() (padding default 1)',
    [2, 2, 3, 2],
    () => tfl.layers.zeroPadding2d({}),
    (x) =>
      zeroPad2d(x, 'channelsLast', [
        [1, 1],
        [1, 1],
      ]),
    [2, 4, 5, 2],
    EXACT,
  );
});
