/**
 * PyTorch functions that take a layer's tensors as arguments, as subclasses of layers write
 * their forward: F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, …),
 * F.layer_norm, F.group_norm, F.instance_norm, F.conv1d/conv2d(x, self.weight, self.bias,
 * stride, padding, dilation, groups) and F.linear(x, self.weight, self.bias). When the weight
 * is a layer's (`self.weight` of a module built in the file), the call is that layer's operation
 * with the arguments given; its parameters belong to the module and are counted there. Without
 * a known weight, a normalization keeps the shape and a convolution or linear map is unknown.
 */
import type { LayerCfg } from '../../model/ir';
import type { ConvCfg } from '../../model/layers/conv';
import { asIntList, asString, type Value } from '../interp/values';
import { bind, boolOr, intOr, numOr, type CallArgs } from './args';

const SIGNATURES: Record<string, string[]> = {
  batch_norm: ['input', 'running_mean', 'running_var', 'weight', 'bias', 'training', 'momentum', 'eps'],
  instance_norm: ['input', 'running_mean', 'running_var', 'weight', 'bias', 'use_input_stats', 'momentum', 'eps'],
  layer_norm: ['input', 'normalized_shape', 'weight', 'bias', 'eps'],
  group_norm: ['input', 'num_groups', 'weight', 'bias', 'eps'],
  conv1d: ['input', 'weight', 'bias', 'stride', 'padding', 'dilation', 'groups'],
  conv2d: ['input', 'weight', 'bias', 'stride', 'padding', 'dilation', 'groups'],
  linear: ['input', 'weight', 'bias'],
};

/** The layer whose tensor an argument is (`self.weight`, `self.bn.running_mean`), if any. */
function ownerCfg(...vals: (Value | undefined)[]): LayerCfg | null {
  for (const v of vals) if (v?.t === 'param' && v.layer.spec.framework === 'pytorch') return v.layer.spec.cfg;
  return null;
}

function spread(v: Value | undefined, rank: number, dflt: number): number[] | null {
  // (None is refused by convCfg before)
  if (v === undefined) return new Array<number>(rank).fill(dflt);
  const l = asIntList(v);
  if (!l) return null;
  if (l.length === 1) return new Array<number>(rank).fill(l[0]!);
  return l.length === rank ? l : null;
}

function convCfg(base: LayerCfg | null, b: ReturnType<typeof bind>): LayerCfg {
  if (!base || base.kind !== 'conv' || base.c.transposed || base.c.depthwise !== 'none')
    return { kind: 'unknown', reason: 'the weight of F.conv is not a convolution layer’s' };
  const c = base.c;
  // PyTorch takes no None here: "conv2d() received an invalid combination of arguments" (TypeError)
  for (const arg of ['stride', 'padding', 'dilation', 'groups'])
    if (b.values.get(arg)?.t === 'none')
      return {
        kind: 'unknown',
        reason: `${arg}=None: conv${c.rank}d() takes ${arg === 'groups' ? 'an int' : arg === 'padding' ? "an int, a tuple of ints, 'valid' or 'same'" : 'an int or a tuple of ints'}, not None`,
        arg,
        invalid: true,
      };
  const strides = spread(b.values.get('stride'), c.rank, 1);
  const dilation = spread(b.values.get('dilation'), c.rank, 1);
  const groups = intOr(b.values.get('groups'), 1);
  const padV = b.values.get('padding');
  const padStr = asString(padV);
  const padInts = padStr === null ? spread(padV, c.rank, 0) : null;
  if (
    !strides ||
    !dilation ||
    groups === null ||
    (padStr === null && !padInts) ||
    (padStr && padStr !== 'same' && padStr !== 'valid')
  )
    return { kind: 'unknown', reason: 'the stride, padding, dilation or groups of F.conv could not be read' };
  const bias = b.values.get('bias');
  const cfg: ConvCfg = {
    ...c,
    strides,
    dilation,
    groups,
    padding: padStr === 'same' || padStr === 'valid' ? padStr : padInts!.map((p) => [p, p] as const),
    useBias: bias !== undefined && bias.t !== 'none',
  };
  return { kind: 'conv', c: cfg };
}

/** The layer configuration of F.<fn>(…) with a layer's tensors, or null when fn is not one of these. */
export function weightFunctionCfg(fn: string, args: CallArgs): LayerCfg | null {
  const params = SIGNATURES[fn];
  if (!params) return null;
  const b = bind(params, args);
  const v = (k: string): Value | undefined => b.values.get(k);
  const has = (k: string): boolean => v(k) !== undefined && v(k)!.t !== 'none';
  switch (fn) {
    case 'batch_norm': {
      const base = ownerCfg(v('weight'), v('bias'), v('running_mean'), v('running_var'));
      if (base?.kind === 'batchNorm') return { ...base, epsilon: numOr(v('eps'), base.epsilon) };
      return {
        kind: 'batchNorm',
        numFeatures: null,
        epsilon: numOr(v('eps'), 1e-5),
        center: has('bias'),
        scale: has('weight'),
        trackStats: has('running_mean'),
      };
    }
    case 'instance_norm': {
      const base = ownerCfg(v('weight'), v('bias'));
      // the running statistics are used only with use_input_stats=False
      const ownStats = boolOr(v('use_input_stats'), true);
      if (base?.kind === 'instanceNorm')
        return { ...base, epsilon: numOr(v('eps'), base.epsilon), trackStats: base.trackStats && !ownStats };
      // (N, C, L) normalizes over L, (N, C, H, W) over H and W
      const x = v('input');
      return {
        kind: 'instanceNorm',
        rank: x?.t === 'tensor' && x.shape?.length === 3 ? 1 : 2,
        numFeatures: null,
        epsilon: numOr(v('eps'), 1e-5),
        affine: has('weight'),
        trackStats: false,
      };
    }
    case 'layer_norm': {
      const base = ownerCfg(v('weight'), v('bias'));
      if (base?.kind === 'layerNorm') return { ...base, epsilon: numOr(v('eps'), base.epsilon) };
      const shape = asIntList(v('normalized_shape'));
      if (!shape) return { kind: 'unknown', reason: 'its normalized_shape could not be read' };
      return {
        kind: 'layerNorm',
        normalizedShape: shape,
        center: has('bias'),
        scale: has('weight'),
        epsilon: numOr(v('eps'), 1e-5),
        axes: null,
      };
    }
    case 'group_norm': {
      const base = ownerCfg(v('weight'), v('bias'));
      const groups = intOr(v('num_groups'), null);
      if (groups === null) return { kind: 'unknown', reason: 'the num_groups of F.group_norm could not be read' };
      if (base?.kind === 'groupNorm') return { ...base, groups, epsilon: numOr(v('eps'), base.epsilon) };
      return {
        kind: 'groupNorm',
        groups,
        numChannels: null,
        epsilon: numOr(v('eps'), 1e-5),
        center: has('bias'),
        scale: has('weight'),
      };
    }
    case 'conv1d':
    case 'conv2d':
      return convCfg(ownerCfg(v('weight')), b);
    case 'linear': {
      const base = ownerCfg(v('weight'));
      return base?.kind === 'dense'
        ? { ...base, useBias: has('bias') }
        : { kind: 'unknown', reason: 'the weight of F.linear is not a Linear layer’s' };
    }
    default:
      return null;
  }
}
