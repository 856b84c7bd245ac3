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
import { isKnown } from '../model/dims';
import { layerSeed, mulberry32, uniform } from './random';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** fan_in / fan_out of the framework's initializer, for kernels. */
  fanIn: number;
  fanOut: number;
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
  const bias = (n: number, fanIn: number): ParamSpec => ({ name: 'bias', shape: [n], fanIn, fanOut: n, role: 'bias' });
  if (cfg.kind === 'conv') {
    const c = cfg.c;
    const cin = c.inChannels ?? channelsIn(node);
    if (cin === null) return null;
    const k = c.kernel;
    const area = k.reduce((a, b) => a * b, 1);
    if (c.depthwise === 'depthwise') {
      const cout = cin * c.depthMultiplier;
      out.push({ name: 'kernel', shape: [...k, cin, c.depthMultiplier], fanIn: area, fanOut: area * c.depthMultiplier, role: 'kernel' });
      if (c.useBias) out.push(bias(cout, area));
      return out;
    }
    const cout = c.filters;
    if (cout === null) return null;
    if (c.depthwise === 'separable') {
      out.push({ name: 'depthwise_kernel', shape: [...k, cin, c.depthMultiplier], fanIn: area, fanOut: area * c.depthMultiplier, role: 'kernel' });
      out.push({ name: 'pointwise_kernel', shape: [1, 1, cin * c.depthMultiplier, cout], fanIn: cin * c.depthMultiplier, fanOut: cout, role: 'kernel' });
      if (c.useBias) out.push(bias(cout, cin * c.depthMultiplier));
      return out;
    }
    const g = c.groups;
    if (keras) {
      const shape = c.transposed ? [...k, cout, cin] : [...k, cin / g, cout];
      // Keras Glorot fans: receptive field × input/output channels of the kernel as stored
      const fanIn = c.transposed ? area * cout : area * (cin / g);
      const fanOut = c.transposed ? area * cin : area * cout;
      out.push({ name: 'kernel', shape, fanIn, fanOut, role: 'kernel' });
      if (c.useBias) out.push(bias(cout, fanIn));
    } else {
      // PyTorch: Conv weight (out, in/g, *k), fan_in = in/g·area; ConvTranspose weight (in, out/g, *k), fan_in = out/g·area
      const shape = c.transposed ? [cin, cout / g, ...k] : [cout, cin / g, ...k];
      const fanIn = (c.transposed ? cout / g : cin / g) * area;
      out.push({ name: 'weight', shape, fanIn, fanOut: 0, role: 'kernel' });
      if (c.useBias) out.push(bias(cout, fanIn));
    }
    return out;
  }
  if (cfg.kind === 'dense') {
    const last = node.inputShapes[0]?.[node.inputShapes[0].length - 1];
    const inF = cfg.inFeatures ?? (last !== undefined && isKnown(last) ? last : null);
    if (inF === null || cfg.units === null) return null;
    out.push(keras
      ? { name: 'kernel', shape: [inF, cfg.units], fanIn: inF, fanOut: cfg.units, role: 'kernel' }
      : { name: 'weight', shape: [cfg.units, inF], fanIn: inF, fanOut: 0, role: 'kernel' });
    if (cfg.useBias) out.push(bias(cfg.units, inF));
    return out;
  }
  if (cfg.kind === 'batchNorm') {
    const c = cfg.numFeatures ?? channelsIn(node);
    if (c === null) return null;
    if (cfg.affine) {
      out.push({ name: keras ? 'gamma' : 'weight', shape: [c], fanIn: 0, fanOut: 0, role: 'gamma' });
      out.push({ name: keras ? 'beta' : 'bias', shape: [c], fanIn: 0, fanOut: 0, role: 'beta' });
    }
    if (cfg.trackStats) {
      out.push({ name: keras ? 'moving_mean' : 'running_mean', shape: [c], fanIn: 0, fanOut: 0, role: 'mean' });
      out.push({ name: keras ? 'moving_variance' : 'running_var', shape: [c], fanIn: 0, fanOut: 0, role: 'variance' });
    }
    return out;
  }
  return out;
}

/** The framework's default initial value of one parameter, seeded by model seed and layer name. */
export function defaultValue(p: ParamSpec, framework: 'keras' | 'pytorch', layerName: string, seed: number): Float32Array {
  const n = p.shape.reduce((a, b) => a * b, 1);
  switch (p.role) {
    case 'kernel': {
      const rand = mulberry32(layerSeed(seed, `${layerName}/${p.name}`));
      const bound = framework === 'keras' ? Math.sqrt(6 / (p.fanIn + p.fanOut)) : 1 / Math.sqrt(p.fanIn);
      return uniform(rand, n, bound);
    }
    case 'bias':
      return framework === 'keras' ? new Float32Array(n) : uniform(mulberry32(layerSeed(seed, `${layerName}/bias`)), n, 1 / Math.sqrt(p.fanIn));
    case 'gamma':
    case 'variance':
      return new Float32Array(n).fill(1);
    case 'beta':
    case 'mean':
      return new Float32Array(n);
  }
}
