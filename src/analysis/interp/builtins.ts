/** The Python builtins model-building code uses, and methods of lists and dicts. */
import type { Range } from '../python/ast';
import { frameworkIsInstance } from './layerTypes';
import { joinStrings, strFormat, strOf } from './strings';
import {
  NONE,
  UNKNOWN,
  asNumber,
  equal,
  float,
  iterItems,
  num,
  primitiveKey,
  rangeLength,
  sizeOf,
  str,
  truthy,
  type CallArgs,
  type ClassValue,
  type Value,
} from './values';

const NAMES = new Set([
  'range',
  'len',
  'int',
  'float',
  'bool',
  'str',
  'list',
  'tuple',
  'dict',
  'max',
  'min',
  'sum',
  'abs',
  'round',
  'enumerate',
  'zip',
  'reversed',
  'sorted',
  'map',
  'filter',
  'print',
  'isinstance',
  'super',
  'getattr',
  'setattr',
  'hasattr',
  'dir',
  'OrderedDict',
  'iter',
  'next',
  'any',
  'all',
  'type',
  'chr',
  'ord',
  'set',
  'frozenset',
]);

export function isBuiltinName(name: string): boolean {
  return NAMES.has(name);
}

/** Comparisons set() makes of values that have no key (tuples, objects) before it gives up. */
const MAX_SET_COMPARISONS = 2_000_000;

/** Builtins whose work does not grow with their arguments (a range is made lazily, len is known). */
const CONSTANT_TIME = new Set([
  'range',
  'len',
  'int',
  'float',
  'bool',
  'abs',
  'round',
  'chr',
  'ord',
  'print',
  'isinstance',
  'super',
  'getattr',
  'setattr',
  'hasattr',
  'type',
  'iter',
  'next',
]);

/** Methods that cost one step: list.append charges its item through BuiltinHost.extend, extend its items. */
const CONSTANT_METHODS = new Set(['append', 'extend', 'startswith', 'endswith', 'lower', 'upper']);

/**
 * The steps a builtin call costs beyond its own: every element it read or built (the items of its
 * arguments and of its result; a method also reads its object), so `sorted()` of a long list or
 * `len(str(list(range(n))))` in a loop spends the analysis's budget as a loop over them would.
 */
export function builtinWork(name: string, self: Value | null, args: CallArgs, out: Value): number {
  if (self) {
    if (CONSTANT_METHODS.has(name) && (self.t === 'list' || name !== 'extend')) return 0;
    if (self.t !== 'list' && self.t !== 'dict' && self.t !== 'str' && self.t !== 'tuple') return 0;
    return sizeOf(self) + argsWork(args) + sizeOf(out);
  }
  if (CONSTANT_TIME.has(name)) return 0;
  return argsWork(args) + sizeOf(out);
}

function argsWork(args: CallArgs): number {
  let n = 0;
  for (const a of args.positional) n += sizeOf(a);
  for (const a of args.keywords.values()) n += sizeOf(a);
  return n;
}

function nums(vals: Value[]): number[] | null {
  const out: number[] = [];
  for (const v of vals) {
    const n = asNumber(v);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

/** What builtins need of the interpreter running them. */
export interface BuiltinHost {
  extend(list: Extract<Value, { t: 'list' }>, items: readonly Value[]): void;
  getAttr(obj: Value, name: string): Value;
  setInstanceAttr(inst: Extract<Value, { t: 'instance' }>, name: string, v: Value): void;
  /** Calls a Python callable (a `key=` function, map's function) with positional arguments. */
  callValue(fn: Value, positional: Value[], range: Range): Value;
  /** The names `dir(obj)` lists, when known (a module read from a file, a framework namespace). */
  namesOf(obj: Value): readonly string[] | null;
}

const DUNDER_ATTR: Record<string, string> = {
  __setattr__: 'setattr',
  __getattr__: 'getattr',
  __getattribute__: 'getattr',
};

export function callBuiltin(ip: BuiltinHost, name: string, self: Value | null, args: CallArgs, range: Range): Value {
  const a = args.positional;
  // obj.__setattr__(name, v) / obj.__getattr__(name) are setattr(obj, name, v) / getattr(obj, name)
  if (self?.t === 'instance' && DUNDER_ATTR[name])
    return callBuiltin(ip, DUNDER_ATTR[name], null, { ...args, positional: [self, ...a] }, range);
  if (self) return callMethod(ip, self, name, args);
  // a builtin called with `*x` that could not be read: what it returns is not known either
  if (args.incomplete) return UNKNOWN;
  switch (name) {
    case 'range': {
      const n = nums(a);
      if (!n || n.length === 0 || n.some((x) => !Number.isInteger(x))) return UNKNOWN;
      const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
      return step === 0 ? UNKNOWN : { t: 'range', start, stop, step };
    }
    case 'len': {
      // a tensor's length is its first dimension
      if (a[0]?.t === 'tensor') return typeof a[0].shape?.[0] === 'number' ? num(a[0].shape[0]) : UNKNOWN;
      // a range's length is known without making its items
      if (a[0]?.t === 'range') return num(rangeLength(a[0]));
      const items = a[0] ? iterItems(a[0]) : null;
      return items ? num(items.length) : UNKNOWN;
    }
    case 'int': {
      const n = asNumber(a[0]);
      if (n !== null) return num(Math.trunc(n));
      if (a[0]?.t === 'str' && /^\s*-?\d+\s*$/.test(a[0].v)) return num(parseInt(a[0].v, 10));
      return UNKNOWN;
    }
    case 'float': {
      if (a[0]?.t === 'str') {
        const t = a[0].v.trim().replace(/_/g, '');
        if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return float(Number(t));
        if (/^[+-]?(inf|infinity)$/i.test(t)) return float(t.startsWith('-') ? -Infinity : Infinity);
        return UNKNOWN;
      }
      const n = asNumber(a[0] ?? num(0));
      return n !== null ? float(n) : UNKNOWN;
    }
    case 'bool': {
      const t = a[0] ? truthy(a[0]) : false;
      return t === null ? UNKNOWN : { t: 'bool', v: t };
    }
    case 'str': {
      const s = a[0] ? strOf(a[0]) : '';
      return s === null ? UNKNOWN : { t: 'str', v: s };
    }
    case 'list':
    case 'tuple': {
      if (!a[0]) return { t: name, items: [] };
      const items = iterItems(a[0]);
      return items ? { t: name, items: [...items] } : UNKNOWN;
    }
    case 'set':
    case 'frozenset': {
      // sets are read as lists without repeats, in first-seen order
      if (!a[0]) return { t: 'list', items: [] };
      const items = iterItems(a[0]);
      if (!items) return UNKNOWN;
      const out: Value[] = [];
      // numbers and strings are found by their key; other values are compared with every item kept
      const byKey = new Set<string>();
      const others: Value[] = [];
      let compared = 0;
      for (const it of items) {
        const pk = primitiveKey(it);
        let seen: boolean | null = false;
        const against = pk === null ? out : others;
        // many tuples or objects, each compared with all kept: not worked out
        if ((compared += against.length) > MAX_SET_COMPARISONS) return UNKNOWN;
        for (const o of against) {
          const e = equal(it, o);
          if (e === null) return UNKNOWN;
          if (e) {
            seen = true;
            break;
          }
        }
        if (!seen && pk !== null && byKey.has(pk)) seen = true;
        if (seen) continue;
        out.push(it);
        if (pk === null) others.push(it);
        else byKey.add(pk);
      }
      return { t: 'list', items: out };
    }
    case 'reversed': {
      const items = a[0] ? iterItems(a[0]) : null;
      return items ? { t: 'list', items: [...items].reverse() } : UNKNOWN;
    }
    case 'sorted': {
      const items = a[0] ? iterItems(a[0]) : null;
      if (!items) return UNKNOWN;
      const key = args.keywords.get('key');
      const keys = key && key.t !== 'none' ? items.map((x) => ip.callValue(key, [x], range)) : items;
      const order = items.map((_, i) => i);
      let comparable = true;
      order.sort((i, j) => {
        const c = compareValues(keys[i]!, keys[j]!);
        if (c === null) comparable = false;
        return c ?? 0;
      });
      if (!comparable) return UNKNOWN;
      if (truthy(args.keywords.get('reverse') ?? NONE) === true) order.reverse();
      return { t: 'list', items: order.map((i) => items[i]!) };
    }
    case 'map': {
      const fn = a[0];
      const lists = a.slice(1).map((x) => iterItems(x));
      if (!fn || lists.length === 0 || lists.some((l) => !l)) return UNKNOWN;
      const n = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++)
        out.push(
          ip.callValue(
            fn,
            lists.map((l) => l![i]!),
            range,
          ),
        );
      return { t: 'list', items: out };
    }
    case 'filter': {
      const fn = a[0];
      const items = a[1] ? iterItems(a[1]) : null;
      if (!fn || !items) return UNKNOWN;
      const out: Value[] = [];
      for (const x of items) {
        const keep = truthy(fn.t === 'none' ? x : ip.callValue(fn, [x], range));
        if (keep === null) return UNKNOWN;
        if (keep) out.push(x);
      }
      return { t: 'list', items: out };
    }
    case 'dict':
    case 'OrderedDict': {
      const keys: Value[] = [];
      const vals: Value[] = [];
      const items = a[0] ? iterItems(a[0]) : [];
      if (a[0]?.t === 'dict') return { t: 'dict', keys: [...a[0].keys], vals: [...a[0].vals] };
      for (const it of items ?? []) {
        const pair = iterItems(it);
        if (pair && pair.length === 2) {
          keys.push(pair[0]!);
          vals.push(pair[1]!);
        }
      }
      for (const [k, v] of args.keywords) {
        keys.push({ t: 'str', v: k });
        vals.push(v);
      }
      return { t: 'dict', keys, vals };
    }
    case 'sum': {
      // sum(lists, []) concatenates
      const start = a[1] ?? args.keywords.get('start');
      if (start && (start.t === 'list' || start.t === 'tuple')) {
        const items = a[0] ? iterItems(a[0]) : null;
        const out: Value[] = [...start.items];
        for (const it of items ?? []) {
          if (it.t !== start.t) return UNKNOWN;
          out.push(...it.items);
          if (out.length > 100_000) return UNKNOWN;
        }
        return items ? { t: start.t, items: out } : UNKNOWN;
      }
      const src = a[0] ? iterItems(a[0]) : null;
      const n = src ? nums(src) : null;
      const s0 = start ? asNumber(start) : 0;
      if (!n || s0 === null) return UNKNOWN;
      return num(n.reduce((x, y) => x + y, s0));
    }
    case 'max':
    case 'min': {
      const src = a.length === 1 ? iterItems(a[0]!) : a;
      if (!src) return UNKNOWN;
      if (src.length === 0) return args.keywords.get('default') ?? UNKNOWN;
      const key = args.keywords.get('key');
      const keys = key && key.t !== 'none' ? src.map((x) => ip.callValue(key, [x], range)) : src;
      // the first of equal extremes, as Python returns
      let best = 0;
      for (let i = 1; i < src.length; i++) {
        const c = compareValues(keys[i]!, keys[best]!);
        if (c === null) return UNKNOWN;
        if (name === 'max' ? c > 0 : c < 0) best = i;
      }
      return src[best]!;
    }
    case 'abs': {
      const n = asNumber(a[0]);
      return n === null ? UNKNOWN : num(Math.abs(n));
    }
    case 'round': {
      const n = asNumber(a[0]);
      if (n === null) return UNKNOWN;
      const r = Math.round(n);
      // Python rounds halves to even
      return num(Math.abs(n % 1) === 0.5 ? 2 * Math.round(n / 2) : r);
    }
    case 'enumerate': {
      const items = a[0] ? iterItems(a[0]) : null;
      const start = asNumber(a[1] ?? args.keywords.get('start')) ?? 0;
      return items ? { t: 'list', items: items.map((v, i) => ({ t: 'tuple', items: [num(i + start), v] })) } : UNKNOWN;
    }
    case 'zip': {
      const lists = a.map((x) => iterItems(x));
      if (lists.some((l) => !l)) return UNKNOWN;
      // zip() of nothing is empty (Math.min() of nothing would be Infinity)
      const n = lists.length === 0 ? 0 : Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push({ t: 'tuple', items: lists.map((l) => l![i]!) });
      return { t: 'list', items: out };
    }
    case 'any':
    case 'all': {
      const items = a[0] ? iterItems(a[0]) : null;
      if (!items) return UNKNOWN;
      const ts = items.map(truthy);
      if (ts.includes(null)) return UNKNOWN;
      return { t: 'bool', v: name === 'any' ? ts.includes(true) : !ts.includes(false) };
    }
    case 'chr': {
      const n = asNumber(a[0]);
      return n !== null && Number.isInteger(n) && n >= 0 && n <= 0x10ffff
        ? { t: 'str', v: String.fromCodePoint(n) }
        : UNKNOWN;
    }
    case 'ord':
      return a[0]?.t === 'str' && [...a[0].v].length === 1 ? num(a[0].v.codePointAt(0)!) : UNKNOWN;
    case 'setattr':
      // setattr(self, name, module) registers the module as `self.name = module` does
      if (a[0]?.t === 'instance' && a[1]?.t === 'str' && a[2]) ip.setInstanceAttr(a[0], a[1].v, a[2]);
      return NONE;
    case 'print':
      return NONE;
    case 'isinstance':
      return a[0] && a[1] ? isInstance(a[0], a[1]) : UNKNOWN;
    case 'dir': {
      const names = a[0] ? ip.namesOf(a[0]) : null;
      return names ? { t: 'list', items: [...names].sort().map(str) } : UNKNOWN;
    }
    case 'hasattr': {
      const [obj, attr] = a;
      if (!obj || attr?.t !== 'str') return UNKNOWN;
      if (obj.t === 'instance') return ip.getAttr(obj, attr.v).t === 'builtin' ? UNKNOWN : { t: 'bool', v: true };
      const names = ip.namesOf(obj);
      return names ? { t: 'bool', v: names.includes(attr.v) } : UNKNOWN;
    }
    case 'getattr': {
      const obj = a[0];
      const attr = a[1];
      if (obj && attr?.t === 'str') {
        const v = ip.getAttr(obj, attr.v);
        return v.t === 'unknown' && a[2] ? a[2] : v;
      }
      return a[2] ?? UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

const HASHABLE = new Set(['str', 'num', 'bool', 'none', 'tuple', 'qual', 'class', 'func']);

/** Python's ordering of numbers, strings and tuples/lists of them; null when Python would refuse or it is unknown. */
function compareValues(x: Value, y: Value): number | null {
  const nx = asNumber(x);
  const ny = asNumber(y);
  if (nx !== null && ny !== null) return nx - ny;
  if (x.t === 'str' && y.t === 'str') return x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
  if ((x.t === 'tuple' || x.t === 'list') && x.t === y.t) {
    for (let i = 0; i < Math.min(x.items.length, y.items.length); i++) {
      const c = compareValues(x.items[i]!, y.items[i]!);
      if (c !== 0) return c;
    }
    return x.items.length - y.items.length;
  }
  return null;
}

/** The index of a key in a dict's keys (numbers, strings, tuples of them), or -1. */
function keyIndex(keys: Value[], k: Value | undefined): number {
  if (!k) return -1;
  // 1 and 1.0 are the same key
  if (k.t === 'num') return keys.findIndex((key) => key.t === 'num' && key.v === k.v);
  // a float flag does not make another key (1.0 and 1 hash alike)
  const text = (v: Value): string =>
    JSON.stringify(v, (name: string, x: unknown) => (name === 'float' ? undefined : x));
  const want = text(k);
  return keys.findIndex((key) => key.t === k.t && text(key) === want);
}

function callMethod(ip: BuiltinHost, self: Value, name: string, args: CallArgs): Value {
  const a = args.positional;
  if (self.t === 'list') {
    switch (name) {
      case 'append':
        if (a[0]) ip.extend(self, [a[0]]);
        return NONE;
      case 'extend': {
        const items = a[0] ? iterItems(a[0]) : null;
        if (items) ip.extend(self, items);
        return NONE;
      }
      case 'insert': {
        const i = asNumber(a[0]);
        if (i !== null && a[1]) self.items.splice(i, 0, a[1]);
        return NONE;
      }
      case 'pop': {
        if (a.length === 0) return self.items.pop() ?? UNKNOWN;
        const i = asNumber(a[0]);
        if (i === null || !Number.isInteger(i)) return UNKNOWN;
        const at = i < 0 ? i + self.items.length : i;
        return at >= 0 && at < self.items.length ? self.items.splice(at, 1)[0]! : UNKNOWN;
      }
      case 'copy':
        return { t: 'list', items: [...self.items] };
      default:
        return UNKNOWN;
    }
  }
  if (self.t === 'dict') {
    switch (name) {
      case 'items':
        return { t: 'list', items: self.keys.map((k, i) => ({ t: 'tuple', items: [k, self.vals[i]!] })) };
      case 'keys':
        return { t: 'list', items: [...self.keys] };
      case 'values':
        return { t: 'list', items: [...self.vals] };
      case 'get': {
        const k = keyIndex(self.keys, a[0]);
        if (k < 0 && !HASHABLE.has(a[0]?.t ?? '')) return UNKNOWN; // a key not known may be there
        return k >= 0 ? self.vals[k]! : (a[1] ?? NONE);
      }
      case 'pop': {
        const k = keyIndex(self.keys, a[0]);
        if (k < 0) return a[1] ?? UNKNOWN;
        const v = self.vals[k]!;
        self.keys.splice(k, 1);
        self.vals.splice(k, 1);
        return v;
      }
      case 'setdefault': {
        const k = keyIndex(self.keys, a[0]);
        if (k >= 0) return self.vals[k]!;
        if (!a[0]) return UNKNOWN;
        self.keys.push(a[0]);
        self.vals.push(a[1] ?? NONE);
        return a[1] ?? NONE;
      }
      case 'copy':
        return { t: 'dict', keys: [...self.keys], vals: [...self.vals] };
      case 'update': {
        const pairs: [Value, Value][] = [];
        const src = a[0];
        if (src?.t === 'dict') src.keys.forEach((k, i) => pairs.push([k, src.vals[i]!]));
        else if (src) {
          const items = iterItems(src);
          if (!items) return UNKNOWN;
          for (const it of items) {
            const pair = iterItems(it);
            if (!pair || pair.length !== 2) return UNKNOWN;
            pairs.push([pair[0]!, pair[1]!]);
          }
        }
        for (const [k, v] of args.keywords) pairs.push([str(k), v]);
        for (const [k, v] of pairs) {
          const i = keyIndex(self.keys, k);
          if (i >= 0) self.vals[i] = v;
          else {
            self.keys.push(k);
            self.vals.push(v);
          }
        }
        return NONE;
      }
      case 'clear':
        self.keys.length = 0;
        self.vals.length = 0;
        return NONE;
      default:
        return UNKNOWN;
    }
  }
  if (self.t === 'str') {
    switch (name) {
      case 'lower':
        return { t: 'str', v: self.v.toLowerCase() };
      case 'upper':
        return { t: 'str', v: self.v.toUpperCase() };
      case 'format': {
        const s = strFormat(self.v, a, args.keywords);
        return s === null ? UNKNOWN : { t: 'str', v: s };
      }
      case 'join': {
        const s = joinStrings(self.v, a[0]);
        return s === null ? UNKNOWN : { t: 'str', v: s };
      }
      case 'replace':
        if (a[0]?.t === 'str' && a[1]?.t === 'str' && a[0].v) {
          const parts = self.v.split(a[0].v);
          if (self.v.length + parts.length * a[1].v.length <= 100_000) return { t: 'str', v: parts.join(a[1].v) };
        }
        return UNKNOWN;
      case 'startswith':
      case 'endswith':
        return a[0]?.t === 'str'
          ? { t: 'bool', v: name === 'startswith' ? self.v.startsWith(a[0].v) : self.v.endsWith(a[0].v) }
          : UNKNOWN;
      case 'strip':
      case 'lstrip':
      case 'rstrip': {
        const chars = a[0] === undefined || a[0].t === 'none' ? null : a[0].t === 'str' ? a[0].v : undefined;
        if (chars === undefined) return UNKNOWN;
        return str(stripChars(self.v, chars, name !== 'rstrip', name !== 'lstrip'));
      }
      case 'split':
      case 'rsplit': {
        const sep = a[0] ?? args.keywords.get('sep');
        const max = asNumber(a[1] ?? args.keywords.get('maxsplit')) ?? -1;
        if (sep && sep.t !== 'str' && sep.t !== 'none') return UNKNOWN;
        const parts = splitString(self.v, sep?.t === 'str' ? sep.v : null, max, name === 'rsplit');
        return parts ? { t: 'list', items: parts.map(str) } : UNKNOWN;
      }
      case 'partition':
      case 'rpartition': {
        if (a[0]?.t !== 'str' || !a[0].v) return UNKNOWN;
        const i = name === 'partition' ? self.v.indexOf(a[0].v) : self.v.lastIndexOf(a[0].v);
        const items =
          i < 0
            ? name === 'partition'
              ? [self.v, '', '']
              : ['', '', self.v]
            : [self.v.slice(0, i), a[0].v, self.v.slice(i + a[0].v.length)];
        return { t: 'tuple', items: items.map(str) };
      }
      case 'isdigit':
      case 'isnumeric':
      case 'isdecimal':
        return { t: 'bool', v: self.v.length > 0 && /^[0-9]+$/.test(self.v) };
      case 'isalpha':
        return { t: 'bool', v: self.v.length > 0 && /^\p{L}+$/u.test(self.v) };
      case 'find':
      case 'rfind':
        return a[0]?.t === 'str' ? num(name === 'find' ? self.v.indexOf(a[0].v) : self.v.lastIndexOf(a[0].v)) : UNKNOWN;
      case 'count':
        return a[0]?.t === 'str' && a[0].v ? num(self.v.split(a[0].v).length - 1) : UNKNOWN;
      case 'capitalize':
        return str(self.v.charAt(0).toUpperCase() + self.v.slice(1).toLowerCase());
      case 'zfill': {
        const w = asNumber(a[0]);
        if (w === null || w > 10_000) return UNKNOWN;
        const sign = /^[+-]/.test(self.v) ? self.v[0]! : '';
        return str(sign + self.v.slice(sign.length).padStart(w - sign.length, '0'));
      }
      default:
        return UNKNOWN;
    }
  }
  return UNKNOWN;
}

function stripChars(s: string, chars: string | null, left: boolean, right: boolean): string {
  const drop = (c: string): boolean => (chars === null ? /\s/.test(c) : chars.includes(c));
  let i = 0;
  let j = s.length;
  while (left && i < j && drop(s[i]!)) i++;
  while (right && j > i && drop(s[j - 1]!)) j--;
  return s.slice(i, j);
}

/** str.split / str.rsplit: `sep` null splits on runs of whitespace; maxsplit −1 is no limit. */
function splitString(s: string, sep: string | null, max: number, fromRight: boolean): string[] | null {
  if (sep === '') return null; // ValueError: empty separator
  let parts: string[];
  if (sep === null) parts = s.trim() === '' ? [] : s.trim().split(/\s+/);
  else parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return parts;
  const joiner = sep ?? ' ';
  if (sep === null) return null; // whitespace with a limit keeps the original runs: not modelled
  return fromRight
    ? [parts.slice(0, parts.length - max).join(joiner), ...parts.slice(parts.length - max)]
    : [...parts.slice(0, max), parts.slice(max).join(joiner)];
}

/** Python values the interpreter knows the type of: what isinstance(x, T) says for builtin T. */
const PLAIN = new Set(['num', 'str', 'bool', 'none', 'tuple', 'list', 'dict', 'range']);
const PLAIN_TYPE_NAMES = new Set(['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict', 'Sequence', 'Iterable']);

/**
 * 'class' or 'function' for what Python would call with `()` to build or compute something:
 * classes and functions of the analyzed code, partials, and framework names (a capitalized last
 * part, `nn.ReLU`, is a class); null when it is data or not known.
 */
function isCallableObject(x: Value): 'class' | 'function' | null {
  switch (x.t) {
    case 'class':
      return 'class';
    case 'func':
    case 'lazyfunc':
    case 'partial':
      return 'function';
    case 'qual':
      return /^[A-Z]/.test(x.path.slice(x.path.lastIndexOf('.') + 1)) ? 'class' : null;
    default:
      return null;
  }
}

/**
 * isinstance(x, T) for the builtin types, collections.abc/typing Sequence and Iterable, and
 * tuples of them; unknown when x or T is not known. Numbers have no int/float distinction here, so
 * an integral number is an int and may or may not be a float (unknown), as 3 and 3.0 both read 3.
 */
function isInstance(x: Value, t: Value): Value {
  const bool = (b: boolean | null): Value => (b === null ? UNKNOWN : { t: 'bool', v: b });
  if (t.t === 'tuple') {
    let result: boolean | null = false;
    for (const item of t.items) {
      const r = isInstance(x, item);
      if (r.t === 'bool' && r.v) return r;
      if (r.t !== 'bool') result = null;
    }
    return bool(result);
  }
  const layer = frameworkIsInstance(x, t);
  if (layer !== null) return bool(layer);
  if (x.t === 'instance') {
    // an instance of a class read here: its classes are known, a framework base stands for itself
    if (t.t === 'class') return bool(subclassOf(x.cls, (c) => c === t) ?? false);
    if (t.t === 'qual' && subclassOf(x.cls, (c) => c.t === 'qual' && c.path === t.path)) return bool(true);
    // a class of plain Python (a dataclass config) is none of the builtin data types
    const plainName = t.t === 'builtin' && t.self === null ? t.name : t.t === 'qual' ? t.path.split('.').pop()! : null;
    if (plainName !== null && PLAIN_TYPE_NAMES.has(plainName) && plainPythonClass(x.cls))
      return bool(plainName === 'Iterable' ? definesAny(x.cls, ['__iter__', '__getitem__']) : false);
    return UNKNOWN;
  }
  const name = t.t === 'builtin' && t.self === null ? t.name : t.t === 'qual' ? t.path.split('.').pop()! : null;
  if (x.t === 'tensor') {
    // a tensor is never one of the builtin data types; it is a torch.Tensor / tf.Tensor
    if (name === 'Tensor' || name === 'KerasTensor') return bool(true);
    return name !== null && PLAIN_TYPE_NAMES.has(name) ? bool(false) : UNKNOWN;
  }
  const callable = isCallableObject(x);
  if (callable !== null) {
    // a class or function: callable, a type when a class, never one of the builtin data types
    if (name === 'Callable') return bool(true);
    if (name === 'type') return bool(callable === 'class');
    if (name === 'partial') return bool(x.t === 'partial');
    if (name === 'FunctionType') return bool(x.t === 'func' || x.t === 'lazyfunc');
    return name !== null && PLAIN_TYPE_NAMES.has(name) ? bool(false) : UNKNOWN;
  }
  if (!PLAIN.has(x.t)) return UNKNOWN;
  switch (name) {
    case 'int':
      return bool(x.t === 'bool' || (x.t === 'num' && Number.isInteger(x.v)));
    case 'float':
      return bool(x.t === 'num' ? (Number.isInteger(x.v) ? null : true) : false);
    case 'bool':
      return bool(x.t === 'bool');
    case 'str':
      return bool(x.t === 'str');
    case 'list':
      return bool(x.t === 'list');
    case 'tuple':
      return bool(x.t === 'tuple');
    case 'dict':
      return bool(x.t === 'dict');
    case 'Sequence':
      return bool(x.t === 'list' || x.t === 'tuple' || x.t === 'str' || x.t === 'range');
    case 'Iterable':
      return bool(x.t === 'list' || x.t === 'tuple' || x.t === 'str' || x.t === 'range' || x.t === 'dict');
    default:
      return UNKNOWN;
  }
}

/** Whether `cls` or one of its bases (depth-first) is `is`. */
/** A class whose bases are only classes of Python code and `object`: no framework or builtin type. */
function plainPythonClass(cls: ClassValue, depth = 0): boolean {
  if (depth > 20) return false;
  return cls.bases.every(
    (b) =>
      (b.t === 'builtin' && b.self === null && b.name === 'object') ||
      (b.t === 'class' && plainPythonClass(b, depth + 1)),
  );
}

function definesAny(cls: ClassValue, names: string[], depth = 0): boolean {
  if (names.some((n) => cls.scope.vars.has(n))) return true;
  return depth < 20 && cls.bases.some((b) => b.t === 'class' && definesAny(b, names, depth + 1));
}

function subclassOf(cls: ClassValue, is: (c: Value) => boolean, depth = 0): boolean {
  if (is(cls)) return true;
  if (depth > 20) return false;
  return cls.bases.some((b) => is(b) || (b.t === 'class' && subclassOf(b, is, depth + 1)));
}
