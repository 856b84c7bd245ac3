/**
 * The engine's kernels split across worker_threads (src/worker/threads.ts) give exactly the
 * single-thread fast path's result (each output value is computed by one thread, in the same
 * order), which the reference path confirms within float32 rounding. Sizes are chosen so every
 * op is really split (at least 2^19 multiply-adds or window taps per share).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeKernels, conv2d, depthwiseConv2d, pool2d, setKernelPath, tensor, type Tensor,
} from '../../../src/engine';
import { disableEngineThreads, enableEngineThreads } from '../../../src/worker/threads';
import { expectAllclose } from '../helpers/allclose';
import { randomArray, rng } from '../helpers/random';

const r = rng(31337);
const cases: [string, () => Tensor][] = [];
{
  const x = tensor([2, 23, 29, 24], randomArray(r, 2 * 23 * 29 * 24));
  const k = tensor([3, 3, 24, 40], randomArray(r, 3 * 3 * 24 * 40));
  const bias = tensor([40], randomArray(r, 40));
  cases.push(['conv2d NHWC batch 2, same, stride 1', () => conv2d(x, k, { layout: 'channelsLast', padding: 'same', bias })]);
  cases.push(['conv2d NHWC strided, dilated, grouped', () => conv2d(x, tensor([3, 3, 12, 40], k.data.subarray(0, 3 * 3 * 12 * 40)), { layout: 'channelsLast', padding: [[1, 2], [0, 1]], strides: [1, 2], dilations: [2, 1], groups: 2 })]);
  const xf = tensor([1, 24, 31, 33], randomArray(r, 24 * 31 * 33));
  const kf = tensor([21, 24, 3, 3], randomArray(r, 21 * 24 * 3 * 3));
  const bf = tensor([21], randomArray(r, 21));
  cases.push(['conv2d NCHW OIHW, padding 1', () => conv2d(xf, kf, { layout: 'channelsFirst', padding: 1, bias: bf })]);
  const xd = tensor([1, 70, 70, 36], randomArray(r, 70 * 70 * 36));
  const kd = tensor([3, 3, 36, 2], randomArray(r, 3 * 3 * 72));
  cases.push(['depthwise 3×3 mult 2', () => depthwiseConv2d(xd, kd, { padding: 'same' })]);
  cases.push(['max pool 3×3 /2 same', () => pool2d(xd, { layout: 'channelsLast', mode: 'max', poolSize: 3, strides: 2, padding: 'same' })]);
  cases.push(['avg pool 2×2 count_include_pad NCHW', () => pool2d(tensor([1, 36, 70, 70], xd.data), { layout: 'channelsFirst', mode: 'avg', poolSize: 2, padding: 1, countIncludePad: true, torchPadRule: true })]);
}

describe('engine kernels on 2 threads', () => {
  const single = new Map<string, Tensor>();
  const reference = new Map<string, Tensor>();

  beforeAll(() => {
    setKernelPath('reference');
    for (const [name, run] of cases) reference.set(name, run());
    setKernelPath('fast');
    for (const [name, run] of cases) single.set(name, run());
    expect(enableEngineThreads(2)).toBe(true);
  });

  afterAll(() => {
    disableEngineThreads();
  });

  it('the threaded runtime is active', () => {
    expect(activeKernels()).toBe('wasm-simd-threads');
  });

  for (const [name, run] of cases) {
    it(`${name}: same bits as one thread, close to the reference`, () => {
      const y = run();
      const one = single.get(name)!;
      expect(y.shape).toEqual(one.shape);
      for (let i = 0; i < y.data.length; i++) {
        if (!Object.is(y.data[i], one.data[i])) throw new Error(`${name}: index ${i}: 2 threads ${y.data[i]}, 1 thread ${one.data[i]}`);
      }
      expectAllclose(y.data, reference.get(name)!.data, { atol: 3e-5, rtol: 1e-5 }, name);
    });
  }

  it('can be switched off and on again', () => {
    disableEngineThreads();
    expect(activeKernels()).toBe('wasm-simd');
    expect(enableEngineThreads(2)).toBe(true);
    expect(activeKernels()).toBe('wasm-simd-threads');
  });

  it('enableEngineThreads(1) keeps one thread', () => {
    expect(enableEngineThreads(1)).toBe(false);
    expect(activeKernels()).toBe('wasm-simd');
  });
});
