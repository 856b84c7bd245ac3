/** The Python builtins model-building code uses, and methods of lists and dicts. */
import type { Range } from '../python/ast';
import { joinStrings, strFormat, strOf } from './strings';
import {
  NONE,
  UNKNOWN,
  asNumber,
  equal,
  float,
  iterItems,
  num,
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
  'print',
  'isinstance',
  'super',
  'getattr',
  'setattr',
  'hasattr',
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
}

export function callBuiltin(ip: BuiltinHost, name: string, self: Value | null, args: CallArgs, range: Range): Value {
  const a = args.positional;
  if (self) return callMethod(ip, self, name, args);
  void range;
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
      const n = asNumber(a[0]);
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
      for (const it of items) {
        let seen: boolean | null = false;
        for (const o of out) {
          const e = equal(it, o);
          if (e === null) return UNKNOWN;
          if (e) {
            seen = true;
            break;
          }
        }
        if (!seen) out.push(it);
      }
      return { t: 'list', items: out };
    }
    case 'reversed': {
      const items = a[0] ? iterItems(a[0]) : null;
      return items ? { t: 'list', items: [...items].reverse() } : UNKNOWN;
    }
    case 'sorted': {
      const items = a[0] ? iterItems(a[0]) : null;
      const n = items ? nums(items) : null;
      return n ? { t: 'list', items: n.sort((x, y) => x - y).map(num) } : UNKNOWN;
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
    case 'max':
    case 'min':
    case 'sum': {
      const src = a.length === 1 ? iterItems(a[0]!) : a;
      const n = src ? nums(src) : null;
      if (!n || (n.length === 0 && name !== 'sum')) return UNKNOWN;
      return num(name === 'sum' ? n.reduce((x, y) => x + y, 0) : name === 'max' ? Math.max(...n) : Math.min(...n));
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
        return a.length === 0 ? { t: 'str', v: self.v.trim() } : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }
  return UNKNOWN;
}

/** Python values the interpreter knows the type of: what isinstance(x, T) says for builtin T. */
const PLAIN = new Set(['num', 'str', 'bool', 'none', 'tuple', 'list', 'dict', 'range']);

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
  if (x.t === 'instance') {
    // an instance of a class read here: its classes are known, a framework base stands for itself
    if (t.t === 'class') return bool(subclassOf(x.cls, (c) => c === t) ?? false);
    if (t.t === 'qual') return bool(subclassOf(x.cls, (c) => c.t === 'qual' && c.path === t.path) || null);
    return UNKNOWN;
  }
  if (!PLAIN.has(x.t)) return UNKNOWN;
  const name = t.t === 'builtin' && t.self === null ? t.name : t.t === 'qual' ? t.path.split('.').pop()! : null;
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
function subclassOf(cls: ClassValue, is: (c: Value) => boolean, depth = 0): boolean {
  if (is(cls)) return true;
  if (depth > 20) return false;
  return cls.bases.some((b) => is(b) || (b.t === 'class' && subclassOf(b, is, depth + 1)));
}
