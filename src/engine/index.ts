/**
 * The ConvLens CNN engine: ops on flat Float32Arrays, exact per framework. Convolution and
 * pooling run on WebAssembly SIMD kernels when available, with pure TypeScript reference loops
 * as the fallback (and under `setKernelPath('reference')`).
 */
export * from './errors';
export * from './tensor';
export * from './geometry';
export * from './conv';
export * from './convTranspose';
export * from './pool';
export * from './dense';
export * from './shapeOps';
export * from './padding';
export * from './norm';
export * from './activations';
export * from './pointwise';
export * from './broadcast';
export * from './axes';
export * from './relayout';
export {
  setKernelPath,
  getKernelPath,
  simdSupported,
  installThreadPool,
  uninstallThreadPool,
  releaseFastMemory,
  activeKernels,
  relaxedSimdSupported,
  setFmaKernels,
  fmaKernelsActive,
  type KernelPath,
  type ThreadPool,
  type Share,
  type SplitKernel,
  type WasmMemory,
  type WasmModule,
} from './wasm/runtime';
export * from './sampling';
export { fastFillSigned } from './wasm/random';
