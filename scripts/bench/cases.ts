/**
 * The benchmark configurations and their input data.
 *
 * Every case is defined channels-last (NHWC input, HWIO kernel — Keras's layout, which is also
 * what TensorFlow.js uses). Its channels-first twin (layout 'channelsFirst', made by the bench)
 * reuses the same numbers transposed to NCHW / OIHW (PyTorch's layout); only ConvLens runs it,
 * and its output is transposed back to NHWC to be checked against tfjs-cpu.
 */
import { mulberry32 } from '../../src/runtime/random';

export type CaseKind = 'conv' | 'depthwise' | 'maxpool';

export interface BenchCase {
  /** Stable id, used by --filter and in the JSON. */
  id: string;
  /** Display name for the table. */
  name: string;
  kind: CaseKind;
  h: number;
  w: number;
  cin: number;
  /** Output channels (conv), channels·multiplier (depthwise) or cin (pooling). */
  cout: number;
  /** Kernel or pool size (square). */
  k: number;
  stride: number;
  /** Keras padding for the channels-last call. */
  padding: 'same' | 'valid';
  /** 'channelsFirst' = PyTorch layout, ConvLens only (tfjs has no NCHW conv on CPU/WASM): the bench's twin of a case. */
  layout: 'channelsLast' | 'channelsFirst';
  /** For convolutions: add a bias (Keras's default, use_bias=True). */
  bias: boolean;
  /** For convolutions: an activation after the bias (fused into the kernel by both engines). */
  activation?: 'relu' | 'relu6';
}

export function outSize(c: BenchCase): { oh: number; ow: number } {
  if (c.padding === 'same') return { oh: Math.ceil(c.h / c.stride), ow: Math.ceil(c.w / c.stride) };
  return { oh: Math.floor((c.h - c.k) / c.stride) + 1, ow: Math.floor((c.w - c.k) / c.stride) + 1 };
}

/**
 * Work per call. Convolutions: 2·MACs (a multiply and an add per kernel tap, padding taps
 * included, bias not counted), the usual "FLOPs" of conv layers. Pooling has no multiply-adds;
 * it counts one compare per window element.
 */
export function flopsOf(c: BenchCase): number {
  const { oh, ow } = outSize(c);
  const taps = c.k * c.k;
  switch (c.kind) {
    case 'conv':
      return 2 * oh * ow * c.cout * taps * c.cin;
    case 'depthwise':
      return 2 * oh * ow * c.cout * taps;
    case 'maxpool':
      return oh * ow * c.cout * taps;
  }
}

function conv(
  id: string,
  name: string,
  h: number,
  w: number,
  cin: number,
  cout: number,
  k: number,
  stride = 1,
  layout: BenchCase['layout'] = 'channelsLast',
  activation?: BenchCase['activation'],
): BenchCase {
  return {
    id,
    name,
    kind: 'conv',
    h,
    w,
    cin,
    cout,
    k,
    stride,
    padding: 'same',
    layout,
    bias: true,
    ...(activation ? { activation } : {}),
  };
}

export const CASES: readonly BenchCase[] = [
  conv('conv3x3-28x28x1-32', 'conv 3×3 28×28×1→32 (textbook)', 28, 28, 1, 32, 3),
  conv('conv3x3-28x28x32-64', 'conv 3×3 28×28×32→64', 28, 28, 32, 64, 3),
  conv('conv3x3-224x224x3-64', 'conv 3×3 224×224×3→64', 224, 224, 3, 64, 3),
  conv('conv3x3-112x112x64-128', 'conv 3×3 112×112×64→128', 112, 112, 64, 128, 3),
  conv('conv3x3-56x56x128-256', 'conv 3×3 56×56×128→256', 56, 56, 128, 256, 3),
  // 1×1 (pointwise) convolutions: a ResNet bottleneck's reduction, a MobileNet block's expansion
  conv('conv1x1-56x56x256-64', 'conv 1×1 56×56×256→64', 56, 56, 256, 64, 1),
  conv(
    'conv1x1-112x112x32-64-relu6',
    'conv 1×1 112×112×32→64 + ReLU6',
    112,
    112,
    32,
    64,
    1,
    1,
    'channelsLast',
    'relu6',
  ),
  {
    id: 'dwconv3x3-112x112x32',
    name: 'depthwise 3×3 112×112×32',
    kind: 'depthwise',
    h: 112,
    w: 112,
    cin: 32,
    cout: 32,
    k: 3,
    stride: 1,
    padding: 'same',
    layout: 'channelsLast',
    bias: true,
  },
  conv('conv7x7s2-224x224x3-64', 'conv 7×7 /2 224×224×3→64', 224, 224, 3, 64, 7, 2),
  // as VGG's and MobileNet's layers are written: Conv2D(…, activation='relu'), ReLU6 after a depthwise
  conv('conv3x3-224x224x3-64-relu', 'conv 3×3 224×224×3→64 + ReLU', 224, 224, 3, 64, 3, 1, 'channelsLast', 'relu'),
  conv(
    'conv3x3-112x112x64-128-relu',
    'conv 3×3 112×112×64→128 + ReLU',
    112,
    112,
    64,
    128,
    3,
    1,
    'channelsLast',
    'relu',
  ),
  {
    id: 'dwconv3x3-112x112x32-relu6',
    name: 'depthwise 3×3 112×112×32 + ReLU6',
    kind: 'depthwise',
    h: 112,
    w: 112,
    cin: 32,
    cout: 32,
    k: 3,
    stride: 1,
    padding: 'same',
    layout: 'channelsLast',
    bias: true,
    activation: 'relu6',
  },
  {
    id: 'maxpool2x2-224x224x64',
    name: 'max pool 2×2 /2 224×224×64',
    kind: 'maxpool',
    h: 224,
    w: 224,
    cin: 64,
    cout: 64,
    k: 2,
    stride: 2,
    padding: 'valid',
    layout: 'channelsLast',
    bias: false,
  },
];

const rng = mulberry32;

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function uniform(n: number, scale: number, next: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (next() * 2 - 1) * scale;
  return a;
}

/** Inputs of a case, always in channels-last / HWIO order. */
export interface CaseData {
  /** NHWC input, shape [1, h, w, cin]. */
  x: Float32Array;
  xShape: [number, number, number, number];
  /** HWIO kernel (conv) or (kh, kw, cin, mult) kernel (depthwise); empty for pooling. */
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias: Float32Array | null;
  /** NHWC output shape. */
  yShape: [number, number, number, number];
}

/**
 * Dense random data (no zeros: ConvLens's GEMM skips zero inputs, real post-ReLU activations would
 * flatter it). Uniform inputs in [-1, 1], kernels scaled by 1/sqrt(fan-in) so outputs stay O(1).
 * The seed comes from the shape, so the NCHW variant sees exactly the numbers of its NHWC twin.
 */
export function makeData(c: BenchCase): CaseData {
  const next = rng(hash(`${c.kind}:${c.h}x${c.w}x${c.cin}-${c.cout}:k${c.k}s${c.stride}`));
  const x = uniform(c.h * c.w * c.cin, 1, next);
  const { oh, ow } = outSize(c);
  const yShape: CaseData['yShape'] = [1, oh, ow, c.cout];
  if (c.kind === 'maxpool') {
    return {
      x,
      xShape: [1, c.h, c.w, c.cin],
      kernel: new Float32Array(0),
      kernelShape: [0, 0, 0, 0],
      bias: null,
      yShape,
    };
  }
  const kernelShape: CaseData['kernelShape'] =
    c.kind === 'conv' ? [c.k, c.k, c.cin, c.cout] : [c.k, c.k, c.cin, c.cout / c.cin];
  const fanIn = c.k * c.k * (c.kind === 'conv' ? c.cin : 1);
  const kernel = uniform(kernelShape[0] * kernelShape[1] * kernelShape[2] * kernelShape[3], 1 / Math.sqrt(fanIn), next);
  const bias = c.bias ? uniform(c.cout, 0.1, next) : null;
  return { x, xShape: [1, c.h, c.w, c.cin], kernel, kernelShape, bias, yShape };
}

/** [n, h, w, c] → [n, c, h, w] (or back, with the shape read the other way). */
export function nhwcToNchw(a: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = (y * w + x) * c;
      for (let ch = 0; ch < c; ch++) out[(ch * h + y) * w + x] = a[src + ch]!;
    }
  }
  return out;
}

export function nchwToNhwc(a: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const src = (ch * h + y) * w;
      for (let x = 0; x < w; x++) out[(y * w + x) * c + ch] = a[src + x]!;
    }
  }
  return out;
}

/** HWIO (kh, kw, cin, cout) → OIHW (cout, cin, kh, kw). */
export function hwioToOihw(a: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = a[((y * kw + x) * cin + i) * cout + o]!;
      }
    }
  }
  return out;
}
