/**
 * Oracle tests: the engine's activations against TensorFlow.js ops (and tfjs-layers'
 * activation functions where Keras defines them), on inputs spanning [-8, 8]: a 0.1 grid,
 * seeded random values, and the breakpoints ±3, ±2.5, 0.
 *
 * Tolerances: both sides evaluate in float64 from the same float32 inputs and round to
 * float32, so element-wise results agree to a few float32 ulps: atol 1e-6, rtol 1e-5 unless a
 * case says otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { activation, softmax, tensor, type ActivationOptions } from '../../../src/engine';
import { expectAllclose, type Tolerance } from '../helpers/allclose';
import { randomArray, rng } from '../helpers/random';

const TOL: Tolerance = { atol: 1e-6, rtol: 1e-5 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 161 grid points −8…8, 200 seeded random values in [-8, 8), and the breakpoints. */
function inputs(): Float32Array {
  const grid = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
  const rand = Array.from(randomArray(rng(2468), 200), (v) => v * 8);
  return Float32Array.from([...grid, ...rand, -3, 3, -2.5, 2.5, 0, -0, 8, -8, 1e-4, -1e-4]);
}
const X = inputs();

function engineAct(name: string, o: ActivationOptions = {}): Float32Array {
  return activation(tensor([X.length], X), name, o).data;
}
function tfAct(f: (x: tf.Tensor) => tf.Tensor): Float32Array {
  return tf.tidy(() => f(tf.tensor1d(X)).dataSync() as Float32Array);
}
/** tfjs-layers' activation function (tf.layers.activation) on the same inputs. */
function layerAct(
  id: 'hardSigmoid' | 'softsign' | 'swish' | 'gelu' | 'gelu_new' | 'selu' | 'elu' | 'softplus',
): Float32Array {
  return tf.tidy(
    () => (tfl.layers.activation({ activation: id }).apply(tf.tensor1d(X)) as tf.Tensor).dataSync() as Float32Array,
  );
}

describe(`tf oracle: element-wise activations on ${X.length} inputs in [-8, 8]`, () => {
  const cases: [string, ActivationOptions, (x: tf.Tensor) => tf.Tensor][] = [
    ['relu', {}, (x) => tf.relu(x)],
    ['relu6', {}, (x) => tf.relu6(x)],
    ['leaky_relu', { alpha: 0.2 }, (x) => tf.leakyRelu(x, 0.2)],
    ['leaky_relu', { alpha: 0.3 }, (x) => tf.leakyRelu(x, 0.3)],
    ['elu', {}, (x) => tf.elu(x)],
    ['selu', {}, (x) => tf.selu(x)],
    ['sigmoid', {}, (x) => tf.sigmoid(x)],
    ['tanh', {}, (x) => tf.tanh(x)],
    ['softplus', {}, (x) => tf.softplus(x)],
    ['softsign', {}, (x) => tf.div(x, tf.add(1, tf.abs(x)))],
    ['swish', {}, (x) => tf.mul(x, tf.sigmoid(x))],
    ['silu', {}, (x) => tf.mul(x, tf.sigmoid(x))],
    // Keras 3 hard_sigmoid = relu6(x + 3) / 6
    ['hard_sigmoid', {}, (x) => tf.div(tf.relu6(tf.add(x, 3)), 6)],
    ['linear', {}, (x) => x],
  ];
  for (const [name, o, f] of cases) {
    it(`${name}${o.alpha !== undefined ? ` alpha=${o.alpha}` : ''} = tf composition`, () => {
      expectAllclose(engineAct(name, o), tfAct(f), TOL, name);
    });
  }

  it('hard_sigmoid_legacy = tf.layers hardSigmoid (clip(0.2x + 0.5, 0, 1), tf.keras 2)', () => {
    expectAllclose(engineAct('hard_sigmoid_legacy'), layerAct('hardSigmoid'), TOL, 'hard_sigmoid_legacy');
  });
  it('hard_sigmoid (Keras 3) differs from the legacy one at x = 1', () => {
    const y = activation(tensor([2], [1, 2.5]), 'hard_sigmoid').data;
    const legacy = activation(tensor([2], [1, 2.5]), 'hard_sigmoid_legacy').data;
    expectAllclose(y, [4 / 6, 5.5 / 6], TOL, 'hard_sigmoid');
    expectAllclose(legacy, [0.7, 1], TOL, 'legacy');
  });
  for (const id of ['softsign', 'swish', 'selu', 'elu', 'softplus'] as const) {
    it(`${id} = tf.layers activation '${id}'`, () => {
      expectAllclose(engineAct(id), layerAct(id), TOL, id);
    });
  }
  it('leaky_relu alpha=0.3 = tf.layers.leakyReLU() default (Keras LeakyReLU layer)', () => {
    const ref = tf.tidy(() => (tfl.layers.leakyReLU().apply(tf.tensor1d(X)) as tf.Tensor).dataSync() as Float32Array);
    expectAllclose(engineAct('leaky_relu', { alpha: 0.3 }), ref, TOL, 'leaky_relu');
  });
});

/**
 * tfjs-core has no gelu op. The exact (erf) gelu is compared against a float64 reference
 * built on an erf written here independently of the engine's (Taylor series for |z| < 2.5,
 * erfc continued fraction beyond), and also against tfjs-layers' 'gelu', which uses tf.erf
 * (Abramowitz–Stegun 7.1.26, |error| ≤ 1.5e-7 — hence atol 2e-6 there, for |x| ≤ 8).
 */
function erf64(z: number): number {
  const a = Math.abs(z);
  let r: number;
  if (a < 2.5) {
    // erf(z) = 2/√π Σ (−1)ⁿ z^(2n+1) / (n! (2n+1))
    let term = a,
      sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …)))))
    let f = a;
    for (let k = 120; k >= 1; k--) f = a + k / 2 / f;
    r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  }
  return z < 0 ? -r : r;
}

describe('gelu (no tfjs-core op: float64 reference and tfjs-layers)', () => {
  it("the test's erf64 matches known values", () => {
    // erf(0.5), erf(1), erf(2), erf(3) from tables (15+ digits)
    expectAllclose(
      [erf64(0.5), erf64(1), erf64(2), erf64(3), erf64(-1)],
      [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.8427007929497149],
      { atol: 1e-13, rtol: 0 },
      'erf64',
    );
  });
  it('gelu (exact) = 0.5·x·(1 + erf(x/√2)) in float64', () => {
    const ref = Array.from(X, (v) => 0.5 * v * (1 + erf64(v / Math.SQRT2)));
    expectAllclose(engineAct('gelu'), ref, TOL, 'gelu');
  });
  it("gelu (exact) = tf.layers activation 'gelu' (tf.erf)", () => {
    expectAllclose(engineAct('gelu'), layerAct('gelu'), { atol: 2e-6, rtol: 1e-5 }, 'gelu');
  });
  it("gelu approximate=true = tf.layers activation 'gelu_new' (tanh form)", () => {
    expectAllclose(engineAct('gelu', { approximate: true }), layerAct('gelu_new'), TOL, 'gelu tanh');
  });
});

describe('tf oracle: softmax / log_softmax', () => {
  const shapes: [number[], number][] = [
    [[4, 7], -1],
    [[2, 3, 16], -1],
    [[1, 9], -1],
    [[3, 1], -1],
    [[2, 5, 3], 1],
    [[2, 3, 4, 5], 3],
  ];
  for (const [shape, axis] of shapes) {
    for (const log of [false, true]) {
      it(`${log ? 'log_softmax' : 'softmax'} x=[${shape.join(',')}] axis=${axis}`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = Float32Array.from(randomArray(rng(n * 13 + shape.length), n), (v) => v * 8);
        const y = softmax(tensor(shape, x), axis, log);
        const ref = tf.tidy(() => {
          const rank = shape.length;
          const a = axis < 0 ? axis + rank : axis;
          // tf.softmax works on the last axis: move `a` there and back.
          const perm = Array.from({ length: rank }, (_, i) => i)
            .filter((i) => i !== a)
            .concat(a);
          const inv = perm.map((_, i) => perm.indexOf(i));
          const t = tf.transpose(tf.tensor(x, shape), perm);
          return tf.transpose(log ? tf.logSoftmax(t) : tf.softmax(t), inv).dataSync() as Float32Array;
        });
        expect(y.shape).toEqual(shape);
        expectAllclose(y.data, ref, TOL, log ? 'log_softmax' : 'softmax');
        if (!log && axis === -1) {
          const len = shape[shape.length - 1]!;
          for (let r = 0; r < n / len; r++)
            expect(y.data.subarray(r * len, (r + 1) * len).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
        }
      });
    }
  }
  it("softmax via activation(x, 'softmax') = tf.softmax on inputs in [-8, 8]", () => {
    const m = Math.floor(X.length / 2);
    const x = tensor([m, 2], X.slice(0, 2 * m));
    expectAllclose(
      activation(x, 'softmax').data,
      tf.tidy(() => tf.softmax(tf.tensor(x.data, [...x.shape])).dataSync() as Float32Array),
      TOL,
      'softmax',
    );
    expectAllclose(
      activation(x, 'log_softmax').data,
      tf.tidy(() => tf.logSoftmax(tf.tensor(x.data, [...x.shape])).dataSync() as Float32Array),
      TOL,
      'log_softmax',
    );
  });
});
