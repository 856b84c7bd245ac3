/**
 * Run by fma-kernels.test.ts in a child process with relaxed SIMD switched on (a V8 flag, set
 * before the engine is loaded): convolutions, channels-last and channels-first (whose kernels
 * differ), on the fused multiply-add kernels against the reference path and against the plain
 * kernels. Prints one JSON line.
 */
import { setFlagsFromString } from 'node:v8';
import type * as Engine from '../../../../src/engine';

setFlagsFromString('--experimental-wasm-relaxed-simd');

async function main(): Promise<void> {
  const E = await import('../../../../src/engine');
  const { randomArray, rng } = await import('../../helpers/random');

  const g = rng(404);
  type Case = { x: Engine.Tensor; k: Engine.Tensor; o: Engine.Conv2DOptions; dw?: boolean };
  const img = (shape: number[]): Engine.Tensor =>
    E.tensor(
      shape,
      randomArray(
        g,
        shape.reduce((a, b) => a * b, 1),
      ),
    );
  const cases: Case[] = [
    {
      x: img([1, 30, 30, 24]),
      k: img([3, 3, 24, 40]),
      o: { layout: 'channelsLast', padding: 'same', bias: img([40]) },
    },
    {
      x: img([2, 12, 17, 13]),
      k: img([21, 4, 3, 3]),
      o: { layout: 'channelsFirst', padding: 'valid', strides: 2, groups: 3, bias: img([21]), activation: 'relu' },
    },
    {
      x: img([1, 56, 56, 64]),
      k: img([3, 3, 64, 64]),
      o: { layout: 'channelsLast', padding: 'same', activation: 'relu6' },
    },
    {
      x: img([1, 20, 20, 19]),
      k: img([3, 3, 19, 2]),
      o: { padding: 'same', bias: img([38]), activation: 'relu' } as Engine.Conv2DOptions,
      dw: true,
    },
    // Channels-first on the planes in place: depthwise (stride 1 and 2 loops) and a 1×1 GEMM.
    {
      x: img([2, 7, 21, 37]),
      k: img([14, 1, 3, 3]),
      o: { layout: 'channelsFirst', padding: 1, groups: 7, bias: img([14]), activation: 'relu6' },
    },
    {
      x: img([1, 6, 20, 41]),
      k: img([6, 1, 3, 3]),
      o: { layout: 'channelsFirst', padding: 1, strides: 2, groups: 6 },
    },
    {
      x: img([2, 33, 9, 11]),
      k: img([13, 33, 1, 1]),
      o: { layout: 'channelsFirst', bias: img([13]), activation: 'relu' },
    },
  ];
  const run = (c: Case): Float32Array => (c.dw ? E.depthwiseConv2d(c.x, c.k, c.o) : E.conv2d(c.x, c.k, c.o)).data;

  const supported = E.relaxedSimdSupported();
  const fmaActive = E.fmaKernelsActive();
  let maxVsRef = 0;
  let differsFromPlain = 0;
  for (const c of cases) {
    const fma = run(c);
    E.setKernelPath('reference');
    const ref = run(c);
    E.setKernelPath('fast');
    E.setFmaKernels(false);
    const plainActive = E.fmaKernelsActive();
    const plain = run(c);
    E.setFmaKernels(true);
    if (plainActive) throw new Error('setFmaKernels(false) left the FMA kernels on');
    for (let i = 0; i < ref.length; i++) {
      const scale = Math.max(1, Math.abs(ref[i]!));
      maxVsRef = Math.max(maxVsRef, Math.abs(fma[i]! - ref[i]!) / scale);
      if (!Object.is(fma[i], plain[i])) differsFromPlain++;
    }
  }
  console.log(JSON.stringify({ supported, fmaActive, maxVsRef, differsFromPlain }));
}

void main();
