/**
 * The parameter tensors each layer needs, with the shapes and names the frameworks use:
 * Keras `kernel`/`bias`/`gamma`/`beta`/`moving_mean`/`moving_variance`/`depthwise_kernel`/
 * `pointwise_kernel`; PyTorch `weight`/`bias`/`running_mean`/`running_var`.
 * Default values follow each framework's initializers, seeded:
 * - Keras: Glorot-uniform kernels, bound sqrt(6 / (fan_in + fan_out)); zero biases; γ = 1, β = 0,
 *   moving mean 0, moving variance 1.
 * - PyTorch: kaiming_uniform(a=√5) weights, bound 1/sqrt(fan_in); biases U(±1/sqrt(fan_in));
 *   BatchNorm weight 1, bias 0, running mean 0, running var 1.
 */
import type { LayerNode } from '../model/ir';
import { isKnown } from '../shared/dims';
import { layerSeed, mulberry32, uniform } from './random';
import type { InitSpec } from '../model/ir';

export interface ParamSpec {
  name: string;
  shape: number[];
  role: 'kernel' | 'bias' | 'gamma' | 'beta' | 'mean' | 'variance';
}

function channelsIn(node: LayerNode): number | null {
  const s = node.inputShapes[0];
  if (!s || s.length < 2) return null;
  const d = node.spec.framework === 'keras' ? s[s.length - 1]! : s[1]!;
  return isKnown(d) ? d : null;
}

/** The parameters a layer owns, in the framework's order; empty for layers without weights. */
export function paramSpecs(node: LayerNode): ParamSpec[] | null {
  const cfg = node.spec.cfg;
  const keras = node.spec.framework === 'keras';
  const out: ParamSpec[] = [];
  const bias = (n: number): ParamSpec => ({ name: 'bias', shape: [n], role: 'bias' });
  if (cfg.kind === 'conv') {
    const c = cfg.c;
    const cin = c.inChannels ?? channelsIn(node);
    if (cin === null) return null;
    const k = c.kernel;
    if (c.depthwise === 'depthwise') {
      out.push({ name: 'kernel', shape: [...k, cin, c.depthMultiplier], role: 'kernel' });
      if (c.useBias) out.push(bias(cin * c.depthMultiplier));
      return out;
    }
    const cout = c.filters;
    if (cout === null) return null;
    if (c.depthwise === 'separable') {
      out.push({ name: 'depthwise_kernel', shape: [...k, cin, c.depthMultiplier], role: 'kernel' });
      out.push({ name: 'pointwise_kernel', shape: [1, 1, cin * c.depthMultiplier, cout], role: 'kernel' });
      if (c.useBias) out.push(bias(cout));
      return out;
    }
    const g = c.groups;
    if (keras) out.push({ name: 'kernel', shape: c.transposed ? [...k, cout, cin] : [...k, cin / g, cout], role: 'kernel' });
    // PyTorch: Conv weight (out, in/g, *k); ConvTranspose weight (in, out/g, *k)
    else out.push({ name: 'weight', shape: c.transposed ? [cin, cout / g, ...k] : [cout, cin / g, ...k], role: 'kernel' });
    if (c.useBias) out.push(bias(cout));
    return out;
  }
  if (cfg.kind === 'dense') {
    const last = node.inputShapes[0]?.[node.inputShapes[0].length - 1];
    const inF = cfg.inFeatures ?? (last !== undefined && isKnown(last) ? last : null);
    if (inF === null || cfg.units === null) return null;
    out.push(keras ? { name: 'kernel', shape: [inF, cfg.units], role: 'kernel' } : { name: 'weight', shape: [cfg.units, inF], role: 'kernel' });
    if (cfg.useBias) out.push(bias(cfg.units));
    return out;
  }
  if (cfg.kind === 'batchNorm') {
    const c = cfg.numFeatures ?? channelsIn(node);
    if (c === null) return null;
    if (cfg.affine) {
      out.push({ name: keras ? 'gamma' : 'weight', shape: [c], role: 'gamma' });
      out.push({ name: keras ? 'beta' : 'bias', shape: [c], role: 'beta' });
    }
    if (cfg.trackStats) {
      out.push({ name: keras ? 'moving_mean' : 'running_mean', shape: [c], role: 'mean' });
      out.push({ name: keras ? 'moving_variance' : 'running_var', shape: [c], role: 'variance' });
    }
    return out;
  }
  return out;
}

/**
 * fan_in / fan_out as each framework computes them from the stored shape: Keras uses the last
 * two axes (…, in, out) times the receptive field; PyTorch uses dims 1 and 0 times the rest.
 */
export function fans(shape: readonly number[], framework: 'keras' | 'pytorch'): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  if (framework === 'keras') {
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

export function sample(init: InitSpec, shape: readonly number[], framework: 'keras' | 'pytorch', rand: () => number, fanShape: readonly number[] = shape): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  switch (init.kind) {
    case 'zeros': return new Float32Array(n);
    case 'ones': return new Float32Array(n).fill(1);
    case 'constant': return new Float32Array(n).fill(init.value);
    case 'uniform': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = init.low + (init.high - init.low) * rand();
      return out;
    }
    case 'normal': return normals(rand, n, init.mean, init.std, init.truncated);
    case 'variance-scaling': {
      const f = fans(fanShape, framework);
      const fan = init.mode === 'fan_in' ? f.fanIn : init.mode === 'fan_out' ? f.fanOut : (f.fanIn + f.fanOut) / 2;
      const variance = init.scale / Math.max(1, fan);
      if (init.distribution === 'uniform') return uniform(rand, n, Math.sqrt(3 * variance));
      // a truncated normal at ±2σ has a smaller spread; Keras divides by 0.8796… to keep the variance
      return init.distribution === 'truncated_normal' ? normals(rand, n, 0, Math.sqrt(variance) / 0.87962566103423978, true) : normals(rand, n, 0, Math.sqrt(variance), false);
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
  const written = node.spec.init?.[p.name] ?? (framework === 'keras' && p.role !== 'kernel' ? node.spec.init?.[KERAS_INIT_NAME[p.role]] : undefined);
  if (written) return sample(written, p.shape, framework, rand);
  const kernelShape = paramSpecs(node)?.find((q) => q.role === 'kernel')?.shape ?? p.shape;
  switch (p.role) {
    case 'kernel':
      return framework === 'keras'
        ? sample({ kind: 'variance-scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' }, p.shape, framework, rand)
        // kaiming_uniform(a=√5): bound = sqrt(6 / ((1 + 5) · fan_in)) = 1 / sqrt(fan_in)
        : uniform(rand, p.shape.reduce((a, b) => a * b, 1), 1 / Math.sqrt(Math.max(1, fans(p.shape, framework).fanIn)));
    case 'bias':
      return framework === 'keras' ? new Float32Array(p.shape[0]!) : uniform(rand, p.shape[0]!, 1 / Math.sqrt(Math.max(1, fans(kernelShape, framework).fanIn)));
    case 'gamma':
    case 'variance':
      return new Float32Array(p.shape[0]!).fill(1);
    case 'beta':
    case 'mean':
      return new Float32Array(p.shape[0]!);
  }
}

/** Keras names the BatchNormalization initializers after the variables. */
const KERAS_INIT_NAME: Record<ParamSpec['role'], string> = {
  kernel: 'kernel', bias: 'bias', gamma: 'gamma', beta: 'beta', mean: 'moving_mean', variance: 'moving_variance',
};
