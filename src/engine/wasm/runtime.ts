/**
 * The WebAssembly SIMD runtime behind the engine's fast path: instantiates the kernels embedded
 * in kernels.gen.ts, owns their linear memory, and splits kernel calls across threads when a
 * thread pool is installed (src/worker/threads.ts does that under Node).
 *
 * - Pure TypeScript with no DOM or Node types: the WebAssembly API is reached through
 *   `globalThis` with the few signatures declared below, so the engine still compiles with
 *   `lib: ES2022` and runs wherever WebAssembly exists. Without SIMD (checked once with
 *   WebAssembly.validate on a tiny SIMD module), or without WebAssembly at all, `fastRuntime()`
 *   returns null and every op takes the reference TypeScript path.
 * - `setKernelPath('reference')` forces the reference path (the tests run both paths).
 * - Where the runtime has relaxed SIMD (checked once, like SIMD), the kernels are the variant
 *   with fused multiply-adds (f32x4.relaxed_madd; scripts/gen-wasm.mjs): the same code, sums
 *   rounded once per multiply-add instead of twice, so results differ from the plain kernels in
 *   the last bits. `setFmaKernels(false)` keeps the plain ones.
 * - Memory is a bump arena reset by each op (`reserve`): an op plans all its regions, grows the
 *   memory once, then writes. The memory only grows (wasm cannot shrink it); `releaseFastMemory`
 *   drops it. Ops are synchronous, so one op owns the arena at a time.
 */
import {
  KERNELS_FMA_SHARED_WASM_BASE64,
  KERNELS_FMA_WASM_BASE64,
  KERNELS_SHARED_WASM_BASE64,
  KERNELS_WASM_BASE64,
  RELAXED_PROBE_WASM_BASE64,
  SIMD_PROBE_WASM_BASE64,
} from './kernels.gen';

// ---------------------------------------------------------------- WebAssembly, as used here

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** Exported kernels (see the .wat files for the parameter blocks). */
export interface KernelExports {
  conv_run(params: number, m0: number, m1: number, scratch: number): void;
  dw_run(params: number, r0: number, r1: number): void;
  pool_run(params: number, r0: number, r1: number): void;
  plane_run(params: number, r0: number, r1: number): void;
  pw_run(params: number, j0: number, j1: number, scratch: number): void;
  fill_border(
    ptr: number,
    n: number,
    hp: number,
    wp: number,
    c: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
    v: number,
  ): void;
  stage(params: number): void;
  unstage(params: number): void;
  stage_cf(params: number): void;
  stage_planes(params: number): void;
  unstage_cf(params: number): void;
  pack_b(params: number): void;
  rand_signed(ptr: number, n: number, state: number, bound: number): void;
}

/** Kernels that can be split over threads: each call covers [begin, end) of an index range. */
export type SplitKernel = 'conv_run' | 'dw_run' | 'pool_run' | 'plane_run' | 'pw_run';

/** One share of a split call: [begin, end), and for conv_run and pw_run the share's own scratch address. */
export interface Share {
  begin: number;
  end: number;
  scratch: number;
}

/**
 * Helper threads running the same kernels on the same (shared) memory. `threads` counts the
 * calling thread, which always takes part in the work itself.
 */
export interface ThreadPool {
  readonly threads: number;
  /** Starts shares 1… on the helpers and returns at once. */
  start(fn: SplitKernel, params: number, shares: readonly Share[]): void;
  /** Blocks until the helpers' shares are done; throws if a helper failed. */
  wait(): void;
  /**
   * Optional, preferred over start/wait: runs `fn` over [0, total) in chunks of `chunk`
   * ([i·chunk, min(total, (i+1)·chunk))) taken one at a time from a shared counter by every
   * thread — the caller too, through `local(begin, end)` — so a thread slowed down by a busy
   * machine takes fewer chunks instead of holding the others back, and a helper that has not
   * woken up yet holds no one. `scratch[i]` is thread i's scratch address (0 = the caller).
   * `done(begin, end)`, when given, is called on the calling thread once for every chunk after
   * it is finished, whoever ran it (the pool may merge consecutive chunks into one call), so the
   * caller can copy results out while the helpers still compute. Returns when every chunk is
   * done; throws if one failed.
   */
  run?(
    fn: SplitKernel,
    params: number,
    total: number,
    chunk: number,
    scratch: readonly number[],
    local: (begin: number, end: number) => void,
    done?: (begin: number, end: number) => void,
  ): void;
  dispose(): void;
}

const PAGE = 65536;
/** Low memory holds the parameter blocks; the arena starts above. */
export const PARAMS = {
  conv: 64,
  stage: 256,
  unstage: 384,
  packB: 512,
  window: 640,
  stageCf: 704,
  unstageCf: 752,
  plane: 784,
  pw: 896,
  stagePlanes: 944,
} as const;
const ARENA_START = 1024;

export type KernelPath = 'fast' | 'reference';
let path: KernelPath = 'fast';

/** Chooses the kernels: 'fast' (WebAssembly SIMD when available, the default) or 'reference'. */
export function setKernelPath(p: KernelPath): KernelPath {
  const prev = path;
  path = p;
  return prev;
}

export function getKernelPath(): KernelPath {
  return path;
}

function wasmApi(): WasmApi | null {
  const w = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return w && typeof w.validate === 'function' ? w : null;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes base64 (the kernels' modules): with `atob` where the environment has one (browsers,
 * workers, Node ≥ 16: native, some twenty times faster than a loop on a cold start), else
 * decodeBase64Loop.
 */
export function decodeBase64(s: string): Uint8Array {
  const atob = (globalThis as { atob?: (data: string) => string }).atob;
  if (typeof atob !== 'function') return decodeBase64Loop(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let B64_VALUE: Int8Array | null = null;

/** Decodes base64 in plain TypeScript (no atob or Buffer needed). */
export function decodeBase64Loop(s: string): Uint8Array {
  if (!B64_VALUE) {
    B64_VALUE = new Int8Array(128).fill(-1);
    for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
  }
  const table = B64_VALUE;
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0,
    acc = 0,
    o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) throw new Error(`bad base64 character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** True when this JavaScript engine runs WebAssembly SIMD (checked once). */
let simdOk: boolean | undefined;
export function simdSupported(): boolean {
  if (simdOk === undefined) {
    const w = wasmApi();
    try {
      simdOk = !!w && w.validate(decodeBase64(SIMD_PROBE_WASM_BASE64));
    } catch {
      simdOk = false;
    }
  }
  return simdOk;
}

/** True when this JavaScript engine runs relaxed SIMD (f32x4.relaxed_madd; checked once). */
let relaxedOk: boolean | undefined;
export function relaxedSimdSupported(): boolean {
  if (relaxedOk === undefined) {
    const w = wasmApi();
    try {
      relaxedOk = !!w && simdSupported() && w.validate(decodeBase64(RELAXED_PROBE_WASM_BASE64));
    } catch {
      relaxedOk = false;
    }
  }
  return relaxedOk;
}

let fmaAllowed = true;

/**
 * Allows (the default) or forbids the fused multiply-add kernels, where relaxed SIMD exists.
 * Takes effect for the single-thread runtime at once (it is rebuilt) and for a thread pool at
 * its next install. Returns the previous setting.
 */
export function setFmaKernels(allow: boolean): boolean {
  const prev = fmaAllowed;
  if (allow !== prev) {
    fmaAllowed = allow;
    plain = undefined;
  }
  return prev;
}

function useFma(): boolean {
  return fmaAllowed && relaxedSimdSupported();
}

export class FastRuntime {
  f32!: Float32Array;
  i32!: Int32Array;
  private top = ARENA_START;

  constructor(
    readonly memory: WasmMemory,
    readonly k: KernelExports,
    readonly pool: ThreadPool | null,
    /** Whether these are the fused multiply-add kernels. */
    readonly fma = false,
  ) {
    this.refresh();
  }

  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  private refresh(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  /**
   * Lays out regions of the given float counts (64-byte aligned) in a fresh arena and grows the
   * memory to hold them. Returns their byte addresses, or null when the memory cannot grow
   * (the caller falls back to the reference path).
   */
  reserve(floats: readonly number[]): number[] | null {
    this.top = ARENA_START;
    const at: number[] = [];
    for (const n of floats) {
      at.push(this.top);
      this.top += Math.ceil((n * 4) / 64) * 64;
    }
    if (this.top > 0xffff0000) return null;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      try {
        this.memory.grow(Math.ceil((this.top - have) / PAGE));
      } catch {
        return null;
      }
    }
    if (this.f32.buffer !== this.memory.buffer || this.f32.length * 4 !== this.memory.buffer.byteLength) this.refresh();
    return at;
  }

  /** Writes an i32 parameter block at `addr`. */
  params(addr: number, fields: readonly number[]): void {
    this.i32.set(fields, addr >> 2);
  }

  /**
   * Runs a split kernel over [0, total): alone, or on all the pool's threads when a pool is
   * installed and there is at least MIN_WORK_PER_SHARE of `work` per thread. With a pool that
   * has `run`, the range is handed out in chunks (multiples of `grain`, each worth about
   * CHUNK_WORK units of `work`); otherwise in one fixed share per thread (boundaries multiples
   * of `grain`). `scratch` gives each thread's scratch address (conv_run), by thread index.
   * `done(begin, end)` is called (on this thread) for finished parts of the range, covering it
   * once; with a pool that has `run`, while the other threads still compute.
   */
  split(
    fn: SplitKernel,
    params: number,
    total: number,
    grain: number,
    work: number,
    scratch: (i: number) => number = () => 0,
    done?: (begin: number, end: number) => void,
  ): void {
    const pool = this.pool;
    const units = Math.ceil(total / grain);
    const t = pool ? Math.min(pool.threads, units) : 1;
    if (!pool || t < 2 || work / t < MIN_WORK_PER_SHARE) {
      this.call(fn, params, 0, total, scratch(0));
      done?.(0, total);
      return;
    }
    if (pool.run) {
      const perUnit = work / units;
      const chunk = Math.max(1, Math.ceil(CHUNK_WORK / perUnit)) * grain;
      const scr: number[] = [];
      for (let i = 0; i < pool.threads; i++) scr.push(scratch(i));
      const s0 = scr[0]!;
      pool.run(fn, params, total, chunk, scr, (b, e) => this.call(fn, params, b, e, s0), done);
      return;
    }
    const shares: Share[] = [];
    for (let i = 0; i < t; i++) {
      const begin = Math.min(total, Math.round((units * i) / t) * grain);
      const end = Math.min(total, Math.round((units * (i + 1)) / t) * grain);
      shares.push({ begin, end, scratch: scratch(i) });
    }
    pool.start(fn, params, shares);
    try {
      this.call(fn, params, shares[0]!.begin, shares[0]!.end, shares[0]!.scratch);
    } finally {
      pool.wait();
    }
    done?.(0, total);
  }

  private call(fn: SplitKernel, params: number, begin: number, end: number, scratch: number): void {
    if (fn === 'conv_run' || fn === 'pw_run') this.k[fn](params, begin, end, scratch);
    else this.k[fn](params, begin, end);
  }
}

/** Below this many multiply-adds (or window taps) per thread, waking a helper costs more than it saves. */
const MIN_WORK_PER_SHARE = 1 << 19;
/**
 * Work units per chunk of a split call (≈ 50–100 µs of conv_run): small enough that the
 * threads finish within a chunk of each other, large enough that taking a chunk (one atomic
 * add) costs nothing.
 */
const CHUNK_WORK = 1 << 20;

let plain: FastRuntime | null | undefined;
let threaded: FastRuntime | null = null;
let suspended = false;

/**
 * While `true`, ops run on the single-thread runtime although a thread pool is installed (the
 * pool stays up, its helpers asleep). For benchmarks comparing both modes back to back without
 * restarting the helpers; not exported from the engine's index. Returns the previous value.
 */
export function suspendThreadPool(s: boolean): boolean {
  const prev = suspended;
  suspended = s;
  return prev;
}

function instantiate(w: WasmApi, module: WasmModule, memory: WasmMemory): KernelExports {
  return new w.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

/** The runtime ops use now, or null for the reference path. */
export function fastRuntime(): FastRuntime | null {
  if (path !== 'fast') return null;
  if (threaded && !suspended) return threaded;
  return singleThreadRuntime();
}

/**
 * The single-thread runtime (its own, unshared memory), even when a thread pool is installed:
 * for work that only the calling thread does, since V8 copies between JS arrays and shared
 * memory more slowly (with relaxed atomic accesses, not memcpy: 15–60 % slower measured here).
 * Null for the reference path.
 */
export function singleThreadRuntime(): FastRuntime | null {
  if (path !== 'fast') return null;
  if (plain === undefined) {
    plain = null;
    const w = wasmApi();
    if (w && simdSupported()) {
      try {
        const memory = new w.Memory({ initial: 16 });
        const fma = useFma();
        const bytes = decodeBase64(fma ? KERNELS_FMA_WASM_BASE64 : KERNELS_WASM_BASE64);
        plain = new FastRuntime(memory, instantiate(w, new w.Module(bytes), memory), null, fma);
      } catch {
        plain = null;
      }
    }
  }
  return plain;
}

/** Largest shared memory the threaded runtime may grow to (pages): 2 GiB. */
const SHARED_MAX_PAGES = 32768;

/**
 * Switches the fast path to a shared memory and a pool of helper threads made by `makePool`
 * from that memory and the shared-memory module (src/worker/threads.ts). Returns false (and
 * changes nothing) when SIMD or shared memory is unavailable.
 */
export function installThreadPool(makePool: (memory: WasmMemory, module: WasmModule) => ThreadPool): boolean {
  const w = wasmApi();
  if (!w || !simdSupported() || typeof SharedArrayBuffer === 'undefined') return false;
  uninstallThreadPool();
  const memory = new w.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true });
  const fma = useFma();
  const module = new w.Module(decodeBase64(fma ? KERNELS_FMA_SHARED_WASM_BASE64 : KERNELS_SHARED_WASM_BASE64));
  const k = instantiate(w, module, memory);
  threaded = new FastRuntime(memory, k, makePool(memory, module), fma);
  suspended = false;
  return true;
}

export function uninstallThreadPool(): void {
  threaded?.pool?.dispose();
  threaded = null;
}

/** Which kernels conv/pool ops run now. */
export function activeKernels(): 'wasm-simd-threads' | 'wasm-simd' | 'reference' {
  const rt = fastRuntime();
  return !rt ? 'reference' : rt.pool ? 'wasm-simd-threads' : 'wasm-simd';
}

/** Whether the fast path now runs the fused multiply-add kernels (false on the reference path). */
export function fmaKernelsActive(): boolean {
  return fastRuntime()?.fma ?? false;
}

/** Drops the single-thread runtime's memory (it is rebuilt on the next op). */
export function releaseFastMemory(): void {
  plain = undefined;
}
