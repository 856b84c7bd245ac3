/**
 * Constructor arguments a layer's config leaves out, so that none is ignored silently: each becomes
 * an `unsupported-argument` warning on the argument (analyze.ts). Two kinds:
 * - an argument ConvLens does not read at all: a keyword outside the builder's parameters (and the
 *   arguments every layer takes that change nothing ConvLens shows: names, dtypes, initializers,
 *   regularizers, …), or a positional argument past them;
 * - a value ConvLens reads but computes as another: PyTorch `return_indices=True`, an Upsample mode other than
 *   'nearest'/'bilinear', `divisor_override` with `ceil_mode=True`; Keras `data_format=
 *   'channels_first'`, an UpSampling2D interpolation other than 'nearest'/'bilinear', Resizing's
 *   crop_to_aspect_ratio/pad_to_aspect_ratio.
 */
import type { UnmodelledArg } from '../../model/ir';
import { asString, truthy, type Value } from '../interp/values';
import type { Bound, CallArgs } from './args';

/** Keyword arguments every PyTorch module takes that change no shape or value ConvLens shows. */
const TORCH_COMMON = new Set(['device', 'dtype']);

/** Keyword arguments of Keras' base Layer (and the config keys it writes) that change nothing ConvLens shows. */
const KERAS_COMMON = new Set([
  'name',
  'dtype',
  'trainable',
  'input_shape',
  'batch_input_shape',
  'batch_size',
  'input_dim',
  'input_length',
  'shape',
  'batch_shape',
  'activity_regularizer',
  'autocast',
  'seed',
  'noise_shape',
  'synchronized',
  'renorm',
  'sparse',
  'ragged',
  'weights',
]);
/** Keras arguments that change nothing ConvLens shows while None (lora_rank adds LoRA weights). */
const KERAS_WHEN_NONE = new Set(['lora_rank', 'lora_alpha']);
const KERAS_COMMON_SUFFIX = /_(initializer|regularizer|constraint)$/;

/** Python-like source text of a value, for the message. */
export function valueText(v: Value): string {
  switch (v.t) {
    case 'str':
      return `'${v.v}'`;
    case 'num':
      // a Python float keeps its point: 1.0, not 1
      return v.float && Number.isInteger(v.v) ? v.v.toFixed(1) : String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
    case 'list': {
      const items = v.items.map(valueText).join(', ');
      return v.t === 'list' ? `[${items}]` : `(${items}${v.items.length === 1 ? ',' : ''})`;
    }
    case 'qual':
      return v.path;
    default:
      return '…';
  }
}

function isTrue(v: Value | undefined): boolean {
  return v !== undefined && v.t !== 'none' && truthy(v) === true;
}

function str(v: Value | undefined): string | null {
  return v === undefined ? null : asString(v);
}

/** The value rules: an argument read, whose value here is computed as another. */
function torchValues(cls: string, v: Map<string, Value>): UnmodelledArg[] {
  const out: UnmodelledArg[] = [];
  if (/^(Adaptive)?MaxPool[12]d$/.test(cls) && isTrue(v.get('return_indices')))
    out.push({ arg: 'return_indices', value: 'True', modelled: 'no-indices' });
  if (/^AvgPool2d$/.test(cls) && v.get('divisor_override') && v.get('divisor_override')!.t !== 'none') {
    if (isTrue(v.get('ceil_mode')))
      out.push({
        arg: 'divisor_override',
        value: valueText(v.get('divisor_override')!),
        modelled: 'divisor-ceil',
      });
  }
  if (cls === 'Upsample') {
    const m = str(v.get('mode'));
    if (m !== null && m !== 'nearest' && m !== 'bilinear')
      out.push({ arg: 'mode', value: `'${m}'`, modelled: 'resize-modes' });
  }
  return out;
}

function kerasValues(cls: string, v: Map<string, Value>): UnmodelledArg[] {
  const out: UnmodelledArg[] = [];
  const df = str(v.get('data_format'));
  if (df === 'channels_first') out.push({ arg: 'data_format', value: "'channels_first'", modelled: 'channels-last' });
  if (cls === 'Resizing')
    for (const arg of ['crop_to_aspect_ratio', 'pad_to_aspect_ratio'])
      if (isTrue(v.get(arg))) out.push({ arg, value: 'True', modelled: 'stretch' });
  if (cls === 'UpSampling2D') {
    const m = str(v.get('interpolation'));
    if (m !== null && m !== 'nearest' && m !== 'bilinear')
      out.push({ arg: 'interpolation', value: `'${m}'`, modelled: 'resize-modes' });
  }
  return out;
}

/**
 * The arguments of one constructor call that its config does not model, in source order of the
 * rules above. `params` are the builder's parameters, `bound` the call bound to them.
 */
export function unmodelledArguments(
  framework: 'keras' | 'pytorch',
  cls: string,
  params: readonly string[],
  args: CallArgs,
  bound: Bound,
): UnmodelledArg[] {
  const out: UnmodelledArg[] = [];
  // nn.Identity takes any arguments and ignores them, as documented
  if (framework === 'pytorch' && cls === 'Identity') return out;
  for (let i = params.length; i < args.positional.length; i++) {
    const range = args.posRanges[i];
    out.push({ arg: `#${i + 1}`, value: valueText(args.positional[i]!), ...(range ? { range } : {}) });
  }
  for (const [k, v] of args.keywords) {
    if (params.includes(k)) continue;
    if (framework === 'pytorch' ? TORCH_COMMON.has(k) : KERAS_COMMON.has(k) || KERAS_COMMON_SUFFIX.test(k)) continue;
    if (framework === 'keras' && KERAS_WHEN_NONE.has(k) && v.t === 'none') continue;
    out.push({ arg: k, value: valueText(v) });
  }
  out.push(...(framework === 'pytorch' ? torchValues(cls, bound.values) : kerasValues(cls, bound.values)));
  return out;
}

/**
 * The arguments of a torch.nn.functional call its config leaves out: arguments past `params` (the
 * signature ConvLens reads, `input` first), `return_indices=True` of the max pools, and
 * F.interpolate's modes other than 'nearest'/'bilinear' and `antialias=True`.
 */
export function functionalUnmodelled(
  fn: string,
  params: readonly string[],
  args: CallArgs,
  bound: Bound,
): UnmodelledArg[] {
  const out: UnmodelledArg[] = [];
  for (let i = params.length; i < args.positional.length; i++) {
    const range = args.posRanges[i];
    out.push({ arg: `#${i + 1}`, value: valueText(args.positional[i]!), ...(range ? { range } : {}) });
  }
  for (const [k, v] of args.keywords) {
    const range = args.kwRanges.get(k);
    if (!params.includes(k)) out.push({ arg: k, value: valueText(v), ...(range ? { range } : {}) });
  }
  const at = (arg: string): { range?: UnmodelledArg['range'] } => {
    const i = params.indexOf(arg);
    const range = args.kwRanges.get(arg) ?? (i >= 0 ? args.posRanges[i] : undefined);
    return range ? { range } : {};
  };
  const v = bound.values;
  if (/^max_pool[12]d$/.test(fn) && isTrue(v.get('return_indices')))
    out.push({ arg: 'return_indices', value: 'True', modelled: 'no-indices', ...at('return_indices') });
  if (fn === 'interpolate' || fn === 'upsample') {
    const m = str(v.get('mode'));
    if (m !== null && m !== 'nearest' && m !== 'bilinear')
      out.push({ arg: 'mode', value: `'${m}'`, modelled: 'resize-modes', ...at('mode') });
    if (isTrue(v.get('antialias'))) out.push({ arg: 'antialias', value: 'True', ...at('antialias') });
  }
  return out;
}
