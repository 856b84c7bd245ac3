/**
 * Initializers written in the source → InitSpec. Keras: strings ('zeros', 'he_normal', …) and
 * keras.initializers classes with their arguments; PyTorch: torch.nn.init functions applied to
 * a layer's weight or bias. Keras' named schemes are VarianceScaling: glorot = scale 1, fan_avg;
 * he = scale 2, fan_in; lecun = scale 1, fan_in ('normal' variants draw a truncated normal).
 */
import type { InitSpec } from '../../model/ir';
import { asNumber, asString, type Value } from '../interp/values';
import { bind, numOr, type CallArgs } from './args';

const NAMED: Record<string, InitSpec> = {
  zeros: { kind: 'zeros' },
  ones: { kind: 'ones' },
  glorot_uniform: { kind: 'variance-scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorot_normal: { kind: 'variance-scaling', scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  he_uniform: { kind: 'variance-scaling', scale: 2, mode: 'fan_in', distribution: 'uniform' },
  he_normal: { kind: 'variance-scaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  lecun_uniform: { kind: 'variance-scaling', scale: 1, mode: 'fan_in', distribution: 'uniform' },
  lecun_normal: { kind: 'variance-scaling', scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
  random_normal: { kind: 'normal', mean: 0, std: 0.05, truncated: false },
  random_uniform: { kind: 'uniform', low: -0.05, high: 0.05 },
  truncated_normal: { kind: 'normal', mean: 0, std: 0.05, truncated: true },
};

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A Keras initializer class called with arguments: keras.initializers.Constant(0.5). */
export function kerasInitializer(cls: string, args: CallArgs): InitSpec | null {
  const name = snake(cls).replace(/^glorot_|^he_|^lecun_/, (m) => m);
  const v = (params: string[]) => bind(params, args).values;
  switch (name) {
    case 'constant':
      return { kind: 'constant', value: numOr(v(['value']).get('value'), 0) };
    case 'random_normal': {
      const b = v(['mean', 'stddev', 'seed']);
      return { kind: 'normal', mean: numOr(b.get('mean'), 0), std: numOr(b.get('stddev'), 0.05), truncated: false };
    }
    case 'truncated_normal': {
      const b = v(['mean', 'stddev', 'seed']);
      return { kind: 'normal', mean: numOr(b.get('mean'), 0), std: numOr(b.get('stddev'), 0.05), truncated: true };
    }
    case 'random_uniform': {
      const b = v(['minval', 'maxval', 'seed']);
      return { kind: 'uniform', low: numOr(b.get('minval'), -0.05), high: numOr(b.get('maxval'), 0.05) };
    }
    case 'variance_scaling': {
      const b = v(['scale', 'mode', 'distribution', 'seed']);
      const mode = asString(b.get('mode')) ?? 'fan_in';
      const dist = asString(b.get('distribution')) ?? 'truncated_normal';
      if (
        !['fan_in', 'fan_out', 'fan_avg'].includes(mode) ||
        !['uniform', 'normal', 'truncated_normal', 'untruncated_normal'].includes(dist)
      )
        return null;
      return {
        kind: 'variance-scaling',
        scale: numOr(b.get('scale'), 1),
        mode: mode as 'fan_in',
        distribution: dist === 'untruncated_normal' ? 'normal' : (dist as 'uniform'),
      };
    }
    default:
      return NAMED[name] ?? null;
  }
}

/** The value of a Keras `*_initializer=` argument. */
export function kerasInitializerArg(v: Value | undefined): InitSpec | null {
  if (!v) return null;
  const s = asString(v);
  if (s !== null) return NAMED[snake(s)] ?? NAMED[s] ?? null;
  if (v.t === 'initializer') return v.spec;
  return null;
}

/** torch.nn.init.<fn>(tensor, …): the spec, or null for schemes that are not deterministic to reproduce. */
export function torchInit(fn: string, args: CallArgs): InitSpec | null {
  const rest: CallArgs = { ...args, positional: args.positional.slice(1), posRanges: args.posRanges.slice(1) };
  const v = (params: string[]) => bind(params, rest).values;
  switch (fn.replace(/_$/, '')) {
    case 'zeros':
      return { kind: 'zeros' };
    case 'ones':
      return { kind: 'ones' };
    case 'constant': {
      const val = asNumber(v(['val']).get('val'));
      return val === null ? null : { kind: 'constant', value: val };
    }
    case 'normal': {
      const b = v(['mean', 'std']);
      return { kind: 'normal', mean: numOr(b.get('mean'), 0), std: numOr(b.get('std'), 1), truncated: false };
    }
    case 'uniform': {
      const b = v(['a', 'b']);
      return { kind: 'uniform', low: numOr(b.get('a'), 0), high: numOr(b.get('b'), 1) };
    }
    case 'xavier_uniform':
    case 'xavier_normal': {
      const gain = numOr(v(['gain']).get('gain'), 1);
      return {
        kind: 'variance-scaling',
        scale: gain * gain,
        mode: 'fan_avg',
        distribution: fn.includes('uniform') ? 'uniform' : 'normal',
      };
    }
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const b = v(['a', 'mode', 'nonlinearity']);
      const a = numOr(b.get('a'), 0);
      const nl = asString(b.get('nonlinearity')) ?? 'leaky_relu';
      const gain2 = nl === 'relu' ? 2 : nl === 'leaky_relu' ? 2 / (1 + a * a) : 1;
      const mode = asString(b.get('mode')) === 'fan_out' ? 'fan_out' : 'fan_in';
      return {
        kind: 'variance-scaling',
        scale: gain2,
        mode,
        distribution: fn.includes('uniform') ? 'uniform' : 'normal',
      };
    }
    default:
      return null;
  }
}
