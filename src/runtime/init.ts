/**
 * Initial parameter values when no weight file gives them: the initializer written in the
 * source, else the framework's default, seeded by the model seed and the layer name.
 * - Keras: Glorot-uniform kernels, bound sqrt(6 / (fan_in + fan_out)); zero biases; γ = 1, β = 0,
 *   moving mean 0, moving variance 1.
 * - PyTorch: kaiming_uniform(a=√5) weights, bound 1/sqrt(fan_in); biases U(±1/sqrt(fan_in));
 *   BatchNorm weight 1, bias 0, running mean 0, running var 1.
 * The parameters themselves (names, shapes) are the layer families' (src/model/layers).
 */
import type { Framework, ParamRole } from '../model/conventions';
import { conventions } from '../model/conventions';
import type { InitSpec, LayerNode } from '../model/ir';
import type { ParamSpec } from '../model/layers';
import { paramSpecs } from '../model/nodes';
import { layerSeed, mulberry32, uniform } from './random';

export type { ParamSpec };
export { paramSpecs };

/**
 * fan_in / fan_out as each framework computes them from the stored shape: Keras uses the last
 * two axes (…, in, out) times the receptive field; PyTorch uses dims 1 and 0 times the rest.
 */
export function fans(shape: readonly number[], framework: Framework): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  if (conventions(framework).channelsLast) {
    const rf = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    return { fanIn: shape[shape.length - 2]! * rf, fanOut: shape[shape.length - 1]! * rf };
  }
  const rf = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * rf, fanOut: shape[0]! * rf };
}

function normals(rand: () => number, n: number, mean: number, std: number, truncated: boolean): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let z: number;
    do {
      // Box–Muller; truncated draws are redrawn beyond two standard deviations (Keras, PyTorch)
      z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    } while (truncated && Math.abs(z) > 2);
    out[i] = mean + std * z;
  }
  return out;
}

export function sample(
  init: InitSpec,
  shape: readonly number[],
  framework: Framework,
  rand: () => number,
  fanShape: readonly number[] = shape,
): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  switch (init.kind) {
    case 'zeros':
      return new Float32Array(n);
    case 'ones':
      return new Float32Array(n).fill(1);
    case 'constant':
      return new Float32Array(n).fill(init.value);
    case 'uniform': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = init.low + (init.high - init.low) * rand();
      return out;
    }
    case 'normal':
      return normals(rand, n, init.mean, init.std, init.truncated);
    case 'variance-scaling': {
      const f = fans(fanShape, framework);
      const fan = init.mode === 'fan_in' ? f.fanIn : init.mode === 'fan_out' ? f.fanOut : (f.fanIn + f.fanOut) / 2;
      const variance = init.scale / Math.max(1, fan);
      if (init.distribution === 'uniform') return uniform(rand, n, Math.sqrt(3 * variance));
      // a truncated normal at ±2σ has a smaller spread; Keras divides by 0.8796… to keep the variance
      return init.distribution === 'truncated_normal'
        ? normals(rand, n, 0, Math.sqrt(variance) / 0.87962566103423978, true)
        : normals(rand, n, 0, Math.sqrt(variance), false);
    }
  }
}

/**
 * The initial value of one parameter: the initializer written in the source if there is one,
 * else the framework's default; random draws are seeded by the model seed and the layer name.
 */
export function initialValue(p: ParamSpec, node: LayerNode, seed: number): Float32Array {
  const framework = node.spec.framework;
  const rand = mulberry32(layerSeed(seed, `${node.name}/${p.name}`));
  // an initializer is keyed by the argument's name (gamma_initializer, moving_mean_initializer)
  const written =
    node.spec.init?.[p.name] ??
    (p.role !== 'kernel' ? node.spec.init?.[conventions(framework).paramName[p.role]] : undefined);
  if (written) return sample(written, p.shape, framework, rand);
  // PReLU(init=…): every slope starts at the constructor's value
  if (p.role === 'alpha' && node.spec.cfg.kind === 'channelPrelu')
    return new Float32Array(size(p.shape)).fill(node.spec.cfg.init);
  const kernelShape = paramSpecs(node)?.find((q) => q.role === 'kernel')?.shape ?? p.shape;
  return DEFAULT_INIT[framework](p, rand, kernelShape);
}

/**
 * The initial value of a kernel as a stream, when it is drawn at random by the framework's default
 * (no initializer written): `fill(dst)` writes its next dst.length values, in memory order, the
 * same values initialValue gives. A layer too large to hold its kernel at once (VGG16's fc1)
 * computes from pieces of it (engine/dense.ts denseStreamed). Null for anything else.
 */
export function initialStream(p: ParamSpec, node: LayerNode, seed: number): ((dst: Float32Array) => void) | null {
  const framework = node.spec.framework;
  if (p.role !== 'kernel') return null;
  if (node.spec.init?.[p.name] !== undefined) return null;
  const rand = mulberry32(layerSeed(seed, `${node.name}/${p.name}`));
  const bound = defaultKernelBound(p.shape, framework);
  return (dst) => rand.fillSigned(dst, bound);
}

/** The bound of the default kernel initializer's uniform draw: Keras glorot_uniform, PyTorch kaiming_uniform(a=√5). */
function defaultKernelBound(shape: readonly number[], framework: Framework): number {
  if (framework === 'pytorch') return 1 / Math.sqrt(Math.max(1, fans(shape, 'pytorch').fanIn));
  const f = fans(shape, 'keras');
  const variance = 1 / Math.max(1, (f.fanIn + f.fanOut) / 2);
  return Math.sqrt(3 * variance);
}

type DefaultInit = (p: ParamSpec, rand: () => number, kernelShape: readonly number[]) => Float32Array;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const STATISTICS: Record<Exclude<ParamRole, 'kernel' | 'bias'>, (n: number) => Float32Array> = {
  gamma: (n) => new Float32Array(n).fill(1),
  variance: (n) => new Float32Array(n).fill(1),
  beta: (n) => new Float32Array(n),
  mean: (n) => new Float32Array(n),
  // Keras Normalization's sample count before adapt()
  count: (n) => new Float32Array(n),
  // Keras PReLU's alpha_initializer default
  alpha: (n) => new Float32Array(n),
};

const DEFAULT_INIT: Record<Framework, DefaultInit> = {
  keras: (p, rand) => {
    if (p.role === 'kernel')
      return sample(
        { kind: 'variance-scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' },
        p.shape,
        'keras',
        rand,
      );
    if (p.role === 'bias') return new Float32Array(p.shape[0]!);
    return STATISTICS[p.role](size(p.shape));
  },
  pytorch: (p, rand, kernelShape) => {
    // kaiming_uniform(a=√5): bound = sqrt(6 / ((1 + 5) · fan_in)) = 1 / sqrt(fan_in)
    if (p.role === 'kernel')
      return uniform(rand, size(p.shape), 1 / Math.sqrt(Math.max(1, fans(p.shape, 'pytorch').fanIn)));
    if (p.role === 'bias')
      return uniform(rand, p.shape[0]!, 1 / Math.sqrt(Math.max(1, fans(kernelShape, 'pytorch').fanIn)));
    return STATISTICS[p.role](size(p.shape));
  },
};
