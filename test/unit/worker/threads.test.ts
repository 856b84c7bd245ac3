/**
 * The engine's kernels split across worker_threads (src/worker/threads.ts) give exactly the
 * single-thread fast path's result (each output value is computed by one thread, in the same
 * order), which the reference path confirms within float32 rounding. Sizes are chosen so every
 * op is really split (at least 2^19 multiply-adds or window taps per share).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeKernels,
  conv2d,
  depthwiseConv2d,
  installThreadPool,
  pool2d,
  setKernelPath,
  tensor,
  uninstallThreadPool,
  type Share,
  type SplitKernel,
  type Tensor,
  type ThreadPool,
  type WasmMemory,
  type WasmModule,
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
  cases.push([
    'conv2d NHWC batch 2, same, stride 1',
    () => conv2d(x, k, { layout: 'channelsLast', padding: 'same', bias }),
  ]);
  cases.push([
    'conv2d NHWC strided, dilated, grouped',
    () =>
      conv2d(x, tensor([3, 3, 12, 40], k.data.subarray(0, 3 * 3 * 12 * 40)), {
        layout: 'channelsLast',
        padding: [
          [1, 2],
          [0, 1],
        ],
        strides: [1, 2],
        dilations: [2, 1],
        groups: 2,
      }),
  ]);
  const xf = tensor([1, 24, 31, 33], randomArray(r, 24 * 31 * 33));
  const kf = tensor([21, 24, 3, 3], randomArray(r, 21 * 24 * 3 * 3));
  const bf = tensor([21], randomArray(r, 21));
  cases.push(['conv2d NCHW OIHW, padding 1', () => conv2d(xf, kf, { layout: 'channelsFirst', padding: 1, bias: bf })]);
  const xd = tensor([1, 70, 70, 36], randomArray(r, 70 * 70 * 36));
  const kd = tensor([3, 3, 36, 2], randomArray(r, 3 * 3 * 72));
  cases.push(['depthwise 3×3 mult 2', () => depthwiseConv2d(xd, kd, { padding: 'same' })]);
  cases.push([
    'max pool 3×3 /2 same',
    () => pool2d(xd, { layout: 'channelsLast', mode: 'max', poolSize: 3, strides: 2, padding: 'same' }),
  ]);
  cases.push([
    'avg pool 2×2 count_include_pad NCHW',
    () =>
      pool2d(tensor([1, 36, 70, 70], xd.data), {
        layout: 'channelsFirst',
        mode: 'avg',
        poolSize: 2,
        padding: 1,
        countIncludePad: true,
        torchPadRule: true,
      }),
  ]);
  // Channels-first on the planes in place: depthwise (split by output rows of all planes) and
  // a 1×1 convolution as one GEMM (split by 8-pixel panels, each thread packing its own block).
  const xp = tensor([2, 36, 70, 70], randomArray(r, 2 * 36 * 70 * 70));
  const kp = tensor([72, 1, 3, 3], randomArray(r, 72 * 9));
  cases.push([
    'depthwise NCHW mult 2, stride 2, ReLU6',
    () => conv2d(xp, kp, { layout: 'channelsFirst', groups: 36, padding: 1, strides: 2, activation: 'relu6' }),
  ]);
  const k1 = tensor([45, 36, 1, 1], randomArray(r, 45 * 36));
  const b1 = tensor([45], randomArray(r, 45));
  cases.push([
    '1×1 NCHW batch 2, bias, ReLU',
    () => conv2d(xp, k1, { layout: 'channelsFirst', bias: b1, activation: 'relu' }),
  ]);
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
        if (!Object.is(y.data[i], one.data[i]))
          throw new Error(`${name}: index ${i}: 2 threads ${y.data[i]}, 1 thread ${one.data[i]}`);
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

describe('many jobs in a row on 2 threads (chunks handed out from a counter, tagged per job)', () => {
  afterAll(() => {
    disableEngineThreads();
  });

  it('alternating ops of different sizes give the single-thread bits every time', () => {
    const g = rng(99);
    const ops: (() => Tensor)[] = [];
    for (const [h, w, cin, cout] of [
      [9, 11, 8, 12],
      [31, 29, 16, 24],
      [64, 48, 4, 40],
      [17, 5, 33, 9],
    ] as const) {
      const x = tensor([1, h, w, cin], randomArray(g, h * w * cin));
      const k = tensor([3, 3, cin, cout], randomArray(g, 9 * cin * cout));
      ops.push(() => conv2d(x, k, { layout: 'channelsLast', padding: 'same' }));
      ops.push(() => depthwiseConv2d(x, tensor([3, 3, cin, 1], randomArray(rng(h), 9 * cin)), { padding: 'same' }));
    }
    setKernelPath('fast');
    disableEngineThreads();
    const one = ops.map((op) => op());
    expect(enableEngineThreads(2)).toBe(true);
    for (let round = 0; round < 40; round++) {
      const i = (round * 7) % ops.length;
      const y = ops[i]!();
      const want = one[i]!;
      for (let j = 0; j < y.data.length; j++) {
        if (!Object.is(y.data[j], want.data[j]))
          throw new Error(`round ${round}, op ${i}, index ${j}: ${y.data[j]} vs ${want.data[j]}`);
      }
    }
  });
});

/**
 * Pools written here, on the calling thread (their "helpers" run synchronously on their own
 * instance of the module, on the same shared memory): they pin down what the runtime asks of a
 * ThreadPool, whatever the worker implementation does.
 */
describe('the runtime with other ThreadPool implementations', () => {
  type Exports = Record<SplitKernel, (p: number, b: number, e: number, s?: number) => void>;
  const instantiate = (memory: WasmMemory, module: WasmModule): Exports =>
    new (
      globalThis as unknown as { WebAssembly: { Instance: new (m: WasmModule, i: object) => { exports: Exports } } }
    ).WebAssembly.Instance(module, { env: { memory } }).exports;
  const call = (k: Exports, fn: SplitKernel, p: number, b: number, e: number, scratch: number): void => {
    if (fn === 'conv_run' || fn === 'pw_run') k[fn](p, b, e, scratch);
    else k[fn](p, b, e);
  };

  /** Only start/wait (fixed shares), as before `run` existed. */
  class SharesPool implements ThreadPool {
    readonly threads = 3;
    private pending: (() => void) | null = null;
    shares = 0;
    constructor(private readonly k: Exports) {}
    start(fn: SplitKernel, params: number, shares: readonly Share[]): void {
      this.shares += shares.length;
      this.pending = () => {
        for (const s of shares.slice(1)) if (s.begin < s.end) call(this.k, fn, params, s.begin, s.end, s.scratch);
      };
    }
    wait(): void {
      this.pending?.();
      this.pending = null;
    }
    dispose(): void {}
  }

  /** `run`, handing chunks out in a scrambled order and reporting them to `done` out of order. */
  class ScramblePool implements ThreadPool {
    readonly threads = 2;
    chunks = 0;
    constructor(private readonly k: Exports) {}
    start(): void {
      throw new Error('run should be used');
    }
    wait(): void {}
    run(
      fn: SplitKernel,
      params: number,
      total: number,
      chunk: number,
      scratch: readonly number[],
      local: (b: number, e: number) => void,
      done?: (b: number, e: number) => void,
    ): void {
      const n = Math.ceil(total / chunk);
      const order = [...Array(n).keys()].sort((a, b) => ((a * 37) % 11) - ((b * 37) % 11) || b - a);
      for (const i of order) {
        const b = i * chunk,
          e = Math.min(total, b + chunk);
        if (i % 2) local(b, e);
        else call(this.k, fn, params, b, e, scratch[1]!);
        done?.(b, e);
        this.chunks++;
      }
    }
    dispose(): void {}
  }

  afterAll(() => {
    uninstallThreadPool();
  });

  for (const [name, make] of [
    ['fixed shares (no run)', (k: Exports) => new SharesPool(k)],
    ['run, chunks out of order', (k: Exports) => new ScramblePool(k)],
  ] as const) {
    it(`${name}: same bits as one thread`, () => {
      disableEngineThreads();
      setKernelPath('fast');
      const one = cases.map(([, run]) => run());
      const made: { pool?: SharesPool | ScramblePool } = {};
      expect(installThreadPool((memory, module) => (made.pool = make(instantiate(memory, module))))).toBe(true);
      expect(activeKernels()).toBe('wasm-simd-threads');
      cases.forEach(([label, run], i) => {
        const y = run();
        for (let j = 0; j < y.data.length; j++) {
          if (!Object.is(y.data[j], one[i]!.data[j]))
            throw new Error(`${label}: index ${j}: ${y.data[j]} vs ${one[i]!.data[j]}`);
        }
      });
      const pool = made.pool!;
      const used = pool instanceof SharesPool ? pool.shares : pool.chunks;
      expect(used).toBeGreaterThan(cases.length);
      uninstallThreadPool();
    });
  }
});
