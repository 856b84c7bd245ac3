/**
 * argparse, as training scripts use it to size models: `parser.add_argument('--num-classes',
 * type=int, default=10)` then `args.num_classes` is the default (ConvLens runs no command line).
 * An option without a default is None, as argparse leaves it; a positional argument is unknown.
 */
import type { Interpreter } from '../interp/interpreter';
import { NONE, UNKNOWN, asString, type CallArgs, type Value } from '../interp/values';

type ObjectValue = Extract<Value, { t: 'object' }>;

export function argumentParser(): Value {
  return { t: 'object', kind: 'argparse-parser', attrs: new Map(), what: 'argparse.ArgumentParser' };
}

export function argparseMethod(ip: Interpreter, self: ObjectValue, name: string, args: CallArgs): Value | undefined {
  if (self.kind !== 'argparse-parser') return undefined;
  switch (name) {
    case 'add_argument':
      addArgument(ip, self, args);
      return NONE;
    case 'add_argument_group':
    case 'add_mutually_exclusive_group':
      return self; // a group's options land in the same namespace
    case 'set_defaults':
      for (const [k, v] of args.keywords) self.attrs.set(k, v);
      return NONE;
    case 'parse_args':
      return namespace(self);
    case 'parse_known_args':
      return { t: 'tuple', items: [namespace(self), { t: 'list', items: [] }] };
    default:
      return UNKNOWN;
  }
}

function namespace(parser: ObjectValue): Value {
  return { t: 'object', kind: 'argparse-namespace', attrs: new Map(parser.attrs), what: 'argparse.Namespace' };
}

function addArgument(ip: Interpreter, parser: ObjectValue, args: CallArgs): void {
  const flags = args.positional.map(asString).filter((s): s is string => s !== null);
  const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => f.startsWith('-'));
  const positional = flags.find((f) => !f.startsWith('-'));
  const dest = asString(args.keywords.get('dest')) ?? (long ?? positional ?? '').replace(/^-+/, '').replace(/-/g, '_');
  if (!dest) return;
  const action = asString(args.keywords.get('action'));
  let value: Value;
  if (args.keywords.has('default')) value = args.keywords.get('default')!;
  else if (action === 'store_true') value = { t: 'bool', v: false };
  else if (action === 'store_false') value = { t: 'bool', v: true };
  else value = positional && !long ? UNKNOWN : NONE;
  // argparse passes a string default through type=
  const type = args.keywords.get('type');
  if (value.t === 'str' && type && type.t === 'builtin' && !type.self)
    value = ip.call(
      type,
      { positional: [value], keywords: new Map(), posRanges: [], kwRanges: new Map() },
      {
        from: 0,
        to: 0,
      },
    );
  if (!parser.attrs.has(dest) || args.keywords.has('default')) parser.attrs.set(dest, value);
}

export function objectAttr(obj: ObjectValue, name: string): Value | undefined {
  if (obj.kind === 'argparse-namespace') return obj.attrs.get(name) ?? UNKNOWN;
  return undefined;
}
