/**
 * timm's model factory: `timm.create_model('resnet50', pretrained=False, **kwargs)` looks the
 * name up in a registry that importing every model module fills (`@register_model`). ConvLens
 * does the same lookup without importing them all: the builder function of that name is found in
 * the modules timm/models/__init__.py star-imports (by their text; only the one that defines it
 * runs) and called with the keyword arguments, None values dropped, as create_model passes them.
 * A pretrained tag (`resnet50.a1_in1k`) names the same architecture; a Hub or local-directory
 * source (`hf-hub:…`, `local-dir:…`) is a configuration file ConvLens does not read.
 */
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { UNKNOWN, type CallArgs, type Value } from '../interp/values';

/** create_model's own parameters, not passed on to the builder. */
const FACTORY_ONLY = new Set([
  'pretrained_cfg_overlay',
  'checkpoint_path',
  'cache_dir',
  'scriptable',
  'exportable',
  'no_jit',
]);

export function timmCreateModel(ip: Interpreter, args: CallArgs, range: Range): Value {
  const nameArg = args.positional[0] ?? args.keywords.get('model_name');
  if (!ip.importer || nameArg?.t !== 'str' || args.incomplete) return UNKNOWN;
  if (/^[\w-]+:/.test(nameArg.v)) return UNKNOWN;
  const arch = nameArg.v.split('.')[0]!;
  const builder = ip.importer.findDefinition(ip, 'timm.models', arch);
  if (!builder) return UNKNOWN;
  const keywords = new Map<string, Value>();
  const kwRanges = new Map<string, Range>();
  const pretrained = args.positional[1] ?? args.keywords.get('pretrained');
  if (pretrained) keywords.set('pretrained', pretrained);
  for (const [k, v] of args.keywords) {
    if (k === 'model_name' || k === 'pretrained' || FACTORY_ONLY.has(k) || v.t === 'none') continue;
    keywords.set(k, v);
    const r = args.kwRanges.get(k);
    if (r) kwRanges.set(k, r);
  }
  return ip.call(builder, { positional: [], keywords, posRanges: [], kwRanges }, range);
}

/** Library functions the framework layer gives a meaning to, by the file that defines them. */
export function timmLibraryCall(
  ip: Interpreter,
  file: string,
  name: string,
  args: CallArgs,
  range: Range,
): Value | undefined {
  if (name === 'create_model' && /(^|[\\/])timm[\\/]models[\\/]_factory\.py$/.test(file))
    return timmCreateModel(ip, args, range);
  return undefined;
}
