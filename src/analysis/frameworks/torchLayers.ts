/**
 * PyTorch padding modules (ZeroPad2d, ConstantPad1d/2d, ReflectionPad1d/2d, ReplicationPad1d/2d),
 * InstanceNorm1d/2d, PixelShuffle/PixelUnshuffle, PReLU and Hardtanh (torch.nn signatures and
 * defaults, torch 1.13), and the functional forms F.pad, F.pixel_shuffle, F.pixel_unshuffle,
 * F.hardtanh (F.layer_norm and the other functions taking a layer's tensors: torchFunctional.ts). A padding is written last dimension first: (left, right, top, bottom).
 */
import type { LayerCfg } from '../../model/ir';
import { asIntList, asString, type Value } from '../interp/values';
import { bind, boolOr, intOr, numOr, type Bound, type CallArgs } from './args';

type Builder = { params: string[]; build: (b: Bound) => LayerCfg };

const MODES = ['constant', 'reflect', 'replicate', 'circular'] as const;

function unreadable(what: string): LayerCfg {
  return { kind: 'unknown', reason: `its ${what} could not be read` };
}

/**
 * A padding as PyTorch takes it: an int (the module's `dims` axes, both sides) or a flat tuple,
 * last dimension first. A tuple says how many axes it pads, for the modules as for F.pad (the
 * modules hand it to F.pad as it is: ZeroPad2d((1, 2)) pads the width only); `dims` null: F.pad.
 */
export function padCfg(v: Value | undefined, dims: 1 | 2 | null, mode: string, value: number): LayerCfg {
  const flat = asIntList(v);
  if (!flat) return unreadable('padding');
  const single = flat.length === 1 && dims !== null && (v?.t === 'num' || v?.t === 'bool');
  const values = single ? new Array<number>(2 * dims).fill(flat[0]!) : flat;
  const m = MODES.find((x) => x === mode);
  const base = { kind: 'pad' as const, mode: m ?? 'constant', value, pads: [] as [number, number][] };
  if (!m) return { ...base, invalid: `mode='${mode}' is not one of ${MODES.map((x) => `'${x}'`).join(', ')}` };
  if (values.length % 2 !== 0)
    return { ...base, invalid: `padding length must be divisible by 2, got ${values.length}` };
  // pairs outermost axis first: (l, r, t, b) → [[t, b], [l, r]]
  const pads: [number, number][] = [];
  for (let i = values.length - 2; i >= 0; i -= 2) pads.push([values[i]!, values[i + 1]!]);
  return { ...base, pads };
}

function padModule(dims: 1 | 2, mode: string, withValue = false): Builder {
  return {
    params: withValue ? ['padding', 'value'] : ['padding'],
    build: (b) => padCfg(b.values.get('padding'), dims, mode, withValue ? numOr(b.values.get('value'), 0) : 0),
  };
}

function instanceNorm(rank: 1 | 2): Builder {
  return {
    params: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
    build: (b) => ({
      kind: 'instanceNorm',
      rank,
      numFeatures: intOr(b.values.get('num_features'), null),
      epsilon: numOr(b.values.get('eps'), 1e-5),
      affine: boolOr(b.values.get('affine'), false),
      trackStats: boolOr(b.values.get('track_running_stats'), false),
    }),
  };
}

export function pixelShuffleCfg(v: Value | undefined, inverse: boolean): LayerCfg {
  const r = intOr(v, null);
  return r === null || r < 1
    ? unreadable(inverse ? 'downscale_factor' : 'upscale_factor')
    : { kind: 'pixelShuffle', factor: r, inverse };
}

export function hardtanhCfg(b: Bound): LayerCfg {
  return {
    kind: 'activation',
    fn: 'hardtanh',
    range: [numOr(b.values.get('min_val'), -1), numOr(b.values.get('max_val'), 1)],
  };
}

export const TORCH_MORE_MODULES: Record<string, Builder> = {
  ZeroPad2d: padModule(2, 'constant'),
  ConstantPad1d: padModule(1, 'constant', true),
  ConstantPad2d: padModule(2, 'constant', true),
  ReflectionPad1d: padModule(1, 'reflect'),
  ReflectionPad2d: padModule(2, 'reflect'),
  ReplicationPad1d: padModule(1, 'replicate'),
  ReplicationPad2d: padModule(2, 'replicate'),
  InstanceNorm1d: instanceNorm(1),
  InstanceNorm2d: instanceNorm(2),
  PixelShuffle: { params: ['upscale_factor'], build: (b) => pixelShuffleCfg(b.values.get('upscale_factor'), false) },
  PixelUnshuffle: {
    params: ['downscale_factor'],
    build: (b) => pixelShuffleCfg(b.values.get('downscale_factor'), true),
  },
  PReLU: {
    params: ['num_parameters', 'init'],
    build: (b) => {
      const n = intOr(b.values.get('num_parameters'), 1);
      if (n === null || n < 1) return unreadable('num_parameters');
      return { kind: 'channelPrelu', numParameters: n, init: numOr(b.values.get('init'), 0.25) };
    },
  },
  Hardtanh: { params: ['min_val', 'max_val', 'inplace'], build: hardtanhCfg },
};

/** F.pad's mode and value: mode='constant' (None is refused, as PyTorch refuses it), value=None (0). */
export function functionalPadCfg(b: Bound): LayerCfg {
  const modeV = b.values.get('mode');
  if (modeV?.t === 'none')
    return { kind: 'pad', mode: 'constant', value: 0, pads: [], invalid: 'mode must be a string, got None' };
  const mode = modeV === undefined ? 'constant' : asString(modeV);
  if (mode === null) return unreadable('mode');
  return padCfg(b.values.get('pad'), null, mode, numOr(b.values.get('value'), 0));
}

/** F.pad, F.pixel_shuffle, F.pixel_unshuffle, F.hardtanh → a layer config; null for other names. */
export function torchLayerFunctionCfg(fn: string, args: CallArgs): LayerCfg | null {
  switch (fn) {
    case 'pad':
      return functionalPadCfg(bind(['input', 'pad', 'mode', 'value'], args));
    case 'pixel_shuffle':
      return pixelShuffleCfg(bind(['input', 'upscale_factor'], args).values.get('upscale_factor'), false);
    case 'pixel_unshuffle':
      return pixelShuffleCfg(bind(['input', 'downscale_factor'], args).values.get('downscale_factor'), true);
    case 'hardtanh':
      return hardtanhCfg(bind(['input', 'min_val', 'max_val', 'inplace'], args));
    default:
      return null;
  }
}
