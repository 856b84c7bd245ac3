/**
 * The contestants: ConvLens's engine in three modes — fast (WebAssembly SIMD kernels, one
 * thread), fast on 2 threads (the calling thread + 1 worker_thread on shared memory) and pure
 * TypeScript (the reference path) — and TensorFlow.js on its CPU (plain JS) and WASM (XNNPACK,
 * SIMD, one thread) backends. Each prepares a case once (inputs built up front, outside the
 * timing) and exposes `run()` — one full op call — and `output()` — the NHWC result, for the
 * correctness check.
 */
import path from 'node:path';
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import {
  activeKernels,
  conv2d,
  depthwiseConv2d,
  pool2d,
  setKernelPath,
  tensor,
  type Tensor,
} from '../../src/engine/index';
import { suspendThreadPool } from '../../src/engine/wasm/runtime';
import { enableEngineThreads } from '../../src/worker/threads';
import { hwioToOihw, nchwToNhwc, nhwcToNchw, type BenchCase, type CaseData } from './cases';

export type ConvLensMode = 'convlens' | 'convlens-2w' | 'convlens-ts';
/** 'convlens-cf': ConvLens fast (1 thread) on the same case in PyTorch's layout (NCHW input, OIHW weights). */
export type PeerId = ConvLensMode | 'convlens-cf' | 'tfjs-cpu' | 'tfjs-wasm';
export const CONVLENS_MODES: readonly ConvLensMode[] = ['convlens', 'convlens-2w', 'convlens-ts'];
export const PEER_LABEL: Record<PeerId, string> = {
  convlens: 'ConvLens fast (1 thread)',
  'convlens-2w': 'ConvLens fast (2 workers)',
  'convlens-ts': 'ConvLens pure TS',
  'convlens-cf': 'ConvLens fast, NCHW',
  'tfjs-cpu': 'tfjs-cpu',
  'tfjs-wasm': 'tfjs-wasm',
};

/**
 * Puts the engine in a mode, and checks that it is really in it (the bench must not time the
 * reference path while calling it "fast"). Starting the 2-thread pool takes ~30 ms, outside any
 * timing; the other modes keep it up but unused (its helper asleep), so that the bench can
 * switch between modes from one sample to the next (disableEngineThreads stops it at the end).
 */
export function useConvLens(mode: ConvLensMode): void {
  if (mode === 'convlens-2w') {
    setKernelPath('fast');
    suspendThreadPool(false);
    if (activeKernels() !== 'wasm-simd-threads' && !enableEngineThreads(2))
      throw new Error('could not start the engine threads');
  } else {
    suspendThreadPool(true);
    setKernelPath(mode === 'convlens' ? 'fast' : 'reference');
  }
  const want = { convlens: 'wasm-simd', 'convlens-2w': 'wasm-simd-threads', 'convlens-ts': 'reference' }[mode];
  if (activeKernels() !== want) throw new Error(`${mode}: engine runs ${activeKernels()}, expected ${want}`);
}

export interface Runner {
  /** One call of the op, with the work really done (tfjs: dataSync), result discarded. */
  run(): void;
  /** The result as NHWC, for checking. */
  output(): Float32Array;
  dispose(): void;
}

// ---------------------------------------------------------------- ConvLens

/** Call with the mode already selected (useConvLens). */
export function convLensRunner(c: BenchCase, d: CaseData): Runner {
  const [, h, w, cin] = d.xShape;
  const [kh, kw] = d.kernelShape;
  const first = c.layout === 'channelsFirst';
  const x = first ? tensor([1, cin, h, w], nhwcToNchw(d.x, h, w, cin)) : tensor(d.xShape, d.x);
  const bias = d.bias ? tensor([d.bias.length], d.bias) : null;
  let op: () => Tensor;
  switch (c.kind) {
    case 'conv': {
      // PyTorch Conv2d: OIHW weights, NCHW activations; the padding is the case's own (for odd
      // kernels at stride 1 'same' is PyTorch's padding=k//2), so both layouts compute the same numbers.
      const kernel = first
        ? tensor([c.cout, cin, kh, kw], hwioToOihw(d.kernel, kh, kw, cin, c.cout))
        : tensor(d.kernelShape, d.kernel);
      op = () =>
        conv2d(x, kernel, {
          layout: c.layout,
          padding: c.padding,
          strides: c.stride,
          bias,
          activation: c.activation ?? null,
        });
      break;
    }
    case 'depthwise': {
      if (first) {
        // PyTorch Conv2d(cin, cin·mult, k, groups=cin): weights (cin·mult, 1, kh, kw).
        const kernel = tensor([c.cout, 1, kh, kw], hwioToOihw(d.kernel, kh, kw, 1, c.cout));
        op = () =>
          conv2d(x, kernel, {
            layout: 'channelsFirst',
            padding: c.padding,
            strides: c.stride,
            groups: cin,
            bias,
            activation: c.activation ?? null,
          });
      } else {
        const kernel = tensor(d.kernelShape, d.kernel);
        op = () =>
          depthwiseConv2d(x, kernel, {
            layout: 'channelsLast',
            padding: c.padding,
            strides: c.stride,
            bias,
            activation: c.activation ?? null,
          });
      }
      break;
    }
    case 'maxpool':
      op = () => pool2d(x, { layout: c.layout, mode: 'max', poolSize: c.k, strides: c.stride, padding: c.padding });
      break;
  }
  let sink = 0;
  return {
    run() {
      const y = op();
      sink += y.data[0]!; // keep the result observably used
    },
    output() {
      const y = op();
      const [, oh, ow, co] = d.yShape;
      const expect = first ? [1, co, oh, ow] : d.yShape;
      if (y.shape.join() !== expect.join()) {
        throw new Error(`${c.id}: ConvLens output shape [${y.shape.join(', ')}], expected [${expect.join(', ')}]`);
      }
      return first ? nchwToNhwc(y.data, oh, ow, co) : y.data;
    },
    dispose() {
      if (Number.isNaN(sink)) console.error(`${c.id}: ConvLens produced NaN`);
    },
  };
}

// ---------------------------------------------------------------- TensorFlow.js

export interface TfjsInfo {
  core: string;
  cpu: string;
  wasm: string;
  /** The .wasm binary tfjs-backend-wasm asked for (recorded through the path map). */
  wasmBinary: string;
  simd: boolean;
  wasmThreads: number;
}

const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/**
 * Registers both backends. The wasm binaries are loaded from node_modules by file path (Node has
 * no fetch of relative URLs; Emscripten reads a plain path with fs). The path map is a Proxy so
 * we can record which binary the backend picked — tfjs chooses the SIMD build when
 * WebAssembly.validate accepts a SIMD probe, and never the threaded one under Node.
 */
export async function initTfjs(): Promise<TfjsInfo> {
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const files: Record<string, string> = {};
  for (const name of WASM_BINARIES) {
    const p = path.join(dir, name);
    if (!fs.existsSync(p)) throw new Error(`missing ${p} (is @tensorflow/tfjs-backend-wasm installed?)`);
    files[name] = p;
  }
  const requested = new Set<string>();
  let recording = false;
  const map = new Proxy(files, {
    get(target, key) {
      if (recording && typeof key === 'string' && key.endsWith('.wasm')) requested.add(key);
      return Reflect.get(target, key) as unknown;
    },
  });
  setWasmPaths(map);
  recording = true;
  // Prod mode: skips tfjs's debug-time argument checks, as a deployed app would.
  tf.enableProdMode();
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') {
    throw new Error('could not initialise the tfjs wasm backend');
  }
  recording = false;
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const wasmThreads = getThreadsCount();
  if (!(await tf.setBackend('cpu')) || tf.getBackend() !== 'cpu')
    throw new Error('could not initialise the tfjs cpu backend');
  const picked = [...requested];
  if (picked.length !== 1)
    throw new Error(`tfjs-backend-wasm requested ${picked.length} binaries: ${picked.join(', ')}`);
  return { core: tf.version_core, cpu: version_cpu, wasm: version_wasm, wasmBinary: picked[0]!, simd, wasmThreads };
}

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (tf.getBackend() !== name) {
    await tf.setBackend(name);
    if (tf.getBackend() !== name) throw new Error(`tfjs: failed to switch to the ${name} backend`);
  }
}

/** Call with the backend already selected (useBackend); tensors live on that backend. */
export function tfjsRunner(c: BenchCase, d: CaseData): Runner {
  if (c.layout !== 'channelsLast') throw new Error(`${c.id}: tfjs runs channels-last cases only`);
  const before = tf.memory().numTensors;
  const x = tf.tensor4d(d.x.slice(), d.xShape, 'float32');
  const filter = c.kind === 'maxpool' ? null : tf.tensor4d(d.kernel.slice(), d.kernelShape, 'float32');
  const bias = d.bias ? tf.tensor1d(d.bias.slice(), 'float32') : undefined;
  const strides: [number, number] = [c.stride, c.stride];
  let op: () => tf.Tensor;
  switch (c.kind) {
    case 'conv':
      op = () =>
        tf.fused.conv2d({
          x,
          filter: filter!,
          strides,
          pad: c.padding,
          bias,
          ...(c.activation ? { activation: c.activation } : {}),
        });
      break;
    case 'depthwise':
      op = () =>
        tf.fused.depthwiseConv2d({
          x,
          filter: filter!,
          strides,
          pad: c.padding,
          bias,
          ...(c.activation ? { activation: c.activation } : {}),
        });
      break;
    case 'maxpool':
      op = () => tf.maxPool(x, c.k, c.stride, c.padding);
      break;
  }
  return {
    run() {
      const y = op();
      y.dataSync();
      y.dispose();
    },
    output() {
      const y = op();
      if (y.shape.join() !== d.yShape.join()) {
        const s = y.shape.join(', ');
        y.dispose();
        throw new Error(`${c.id}: tfjs output shape [${s}], expected [${d.yShape.join(', ')}]`);
      }
      const out = Float32Array.from(y.dataSync());
      y.dispose();
      return out;
    },
    dispose() {
      x.dispose();
      filter?.dispose();
      bias?.dispose();
      const leaked = tf.memory().numTensors - before;
      if (leaked !== 0) console.warn(`${c.id}: ${leaked} tfjs tensor(s) leaked on ${tf.getBackend()}`);
    },
  };
}
