/** Python operators on interpreter values; tensors are handed to the framework hooks. */
import type { Range } from '../python/ast';
import { percentFormat } from './strings';
import { UNKNOWN, equal, float, isFloat, iterItems, num, rangeLength, type CallArgs, type Value } from './values';

export function compareOp(op: string, l: Value, r: Value): Value | undefined {
  const bool = (b: boolean | null): Value => (b === null ? UNKNOWN : { t: 'bool', v: b });
  switch (op) {
    case '==':
      return bool(equal(l, r));
    case '!=': {
      const e = equal(l, r);
      return bool(e === null ? null : !e);
    }
    // an unknown value may be None or not: `weights is not None` stays unknown
    case 'is':
    case 'is not': {
      const same = identical(l, r);
      return bool(same === null ? null : op === 'is' ? same : !same);
    }
    case 'in':
    case 'not in': {
      // `x in range(…)`: arithmetic, without making the range's items
      if (r.t === 'range' && l.t === 'num') {
        const i = (l.v - r.start) / r.step;
        const has = Number.isInteger(l.v) && Number.isInteger(i) && i >= 0 && i < rangeLength(r);
        return bool(op === 'in' ? has : !has);
      }
      const items = iterItems(r);
      if (r.t === 'str' && l.t === 'str') return bool(op === 'in' ? r.v.includes(l.v) : !r.v.includes(l.v));
      if (!items) return UNKNOWN;
      let found: boolean | null = false;
      for (const it of items) {
        const e = equal(l, it);
        if (e === true) {
          found = true;
          break;
        }
        if (e === null) found = null;
      }
      return bool(found === null ? null : op === 'in' ? found : !found);
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (l.t !== 'num' || r.t !== 'num')
        return l.t === 'str' && r.t === 'str' ? bool(cmp(op, l.v < r.v ? -1 : l.v > r.v ? 1 : 0)) : UNKNOWN;
      return bool(cmp(op, l.v - r.v));
    }
    default:
      return undefined;
  }
}

function cmp(op: string, d: number): boolean {
  return op === '<' ? d < 0 : op === '>' ? d > 0 : op === '<=' ? d <= 0 : d >= 0;
}

/** What an operator with a tensor on either side becomes (the framework hooks decide). */
export type TensorOperator = (op: string, l: Value, r: Value, range: Range) => Value;

export function binaryOp(onTensor: TensorOperator, op: string, l: Value, r: Value, range: Range): Value {
  if (l.t === 'tensor' || r.t === 'tensor') return onTensor(op, l, r, range);
  const ln = l.t === 'bool' ? num(l.v ? 1 : 0) : l;
  const rn = r.t === 'bool' ? num(r.v ? 1 : 0) : r;
  if (ln.t === 'num' && rn.t === 'num') {
    const a = ln.v;
    const b = rn.v;
    // a float with anything is a float (2.0 * 3 is 6.0)
    const n = isFloat(ln) || isFloat(rn) ? float : num;
    switch (op) {
      case '+':
        return n(a + b);
      case '-':
        return n(a - b);
      case '*':
        return n(a * b);
      case '/':
        return b === 0 ? UNKNOWN : float(a / b);
      case '//':
        return b === 0 ? UNKNOWN : n(Math.floor(a / b));
      case '%':
        return b === 0 ? UNKNOWN : n(((a % b) + b) % b);
      case '**': {
        const p = a ** b;
        return Number.isFinite(p) && Math.abs(p) < 2 ** 53 ? (b < 0 ? float(p) : n(p)) : UNKNOWN;
      }
      case '<<':
        return num(a * 2 ** b);
      case '>>':
        return num(Math.floor(a / 2 ** b));
      case '&':
        return num(a & b);
      case '|':
        return num(a | b);
      case '^':
        return num(a ^ b);
      default:
        return UNKNOWN;
    }
  }
  if (op === '+') {
    if (l.t === 'str' && r.t === 'str') return l.v.length + r.v.length > 100_000 ? UNKNOWN : { t: 'str', v: l.v + r.v };
    if ((l.t === 'list' && r.t === 'list') || (l.t === 'tuple' && r.t === 'tuple')) {
      if (l.items.length + r.items.length > 100_000) return UNKNOWN;
      return { t: l.t, items: [...l.items, ...r.items] };
    }
  }
  if (op === '*') {
    const seq = l.t === 'list' || l.t === 'tuple' ? l : r.t === 'list' || r.t === 'tuple' ? r : null;
    const n = seq === l ? rn : ln;
    if (
      seq &&
      (seq.t === 'list' || seq.t === 'tuple') &&
      n.t === 'num' &&
      Number.isInteger(n.v) &&
      n.v >= 0 &&
      n.v * seq.items.length <= 100_000
    ) {
      const items: Value[] = [];
      for (let i = 0; i < n.v; i++) items.push(...seq.items);
      return { t: seq.t, items };
    }
    if (l.t === 'str' && rn.t === 'num' && rn.v >= 0 && rn.v * l.v.length <= 100_000)
      return { t: 'str', v: l.v.repeat(rn.v) };
  }
  if (op === '%' && l.t === 'str') {
    const out = percentFormat(l.v, r);
    return out === null ? UNKNOWN : { t: 'str', v: out };
  }
  return UNKNOWN;
}

/**
 * `seq[start:stop:step]` of a list, tuple or string, as Python slices: negative bounds count
 * from the end, bounds past either end are clipped, a negative step walks backwards. Bounds
 * that are not known integers (or a step of 0, which Python refuses) give unknown.
 */
export function sliceValue(seq: Value, start: Value, stop: Value, step: Value): Value {
  const bound = (v: Value): number | null | undefined => (v.t === 'none' ? undefined : asIntValue(v));
  const [lo, hi, st] = [bound(start), bound(stop), bound(step)];
  if (lo === null || hi === null || st === null || st === 0) return UNKNOWN;
  const items: Value[] | string[] | null =
    seq.t === 'list' || seq.t === 'tuple' ? seq.items : seq.t === 'str' ? [...seq.v] : null;
  if (!items) return UNKNOWN;
  const n = items.length;
  const s = st ?? 1;
  const clip = (x: number, min: number, max: number): number => Math.min(Math.max(x < 0 ? x + n : x, min), max);
  const out: (Value | string)[] = [];
  if (s > 0) {
    const end = hi === undefined ? n : clip(hi, 0, n);
    for (let i = lo === undefined ? 0 : clip(lo, 0, n); i < end; i += s) out.push(items[i]!);
  } else {
    const end = hi === undefined ? -1 : clip(hi, -1, n - 1);
    for (let i = lo === undefined ? n - 1 : clip(lo, -1, n - 1); i > end; i += s) out.push(items[i]!);
  }
  if (seq.t === 'str') return { t: 'str', v: (out as string[]).join('') };
  return { t: seq.t === 'tuple' ? 'tuple' : 'list', items: out as Value[] };
}

function asIntValue(v: Value): number | null {
  if (v.t === 'bool') return v.v ? 1 : 0;
  return v.t === 'num' && Number.isInteger(v.v) ? v.v : null;
}

/** A partial's arguments, then the call's: positional ones appended, keywords overridden. */
export function partialArgs(bound: CallArgs, args: CallArgs): CallArgs {
  const out: CallArgs = {
    positional: [...bound.positional, ...args.positional],
    keywords: new Map([...bound.keywords, ...args.keywords]),
    posRanges: [...bound.posRanges, ...args.posRanges],
    kwRanges: new Map([...bound.kwRanges, ...args.kwRanges]),
  };
  if (bound.incomplete || args.incomplete) out.incomplete = true;
  return out;
}

/**
 * `l is r`: None, True and False are singletons (`skip is True`); small integers and interned
 * names are not relied on (unknown); framework names compare by path; other objects by identity.
 */
function identical(l: Value, r: Value): boolean | null {
  if (l.t === 'unknown' || r.t === 'unknown') return null;
  if (l.t === 'none' || r.t === 'none') return l.t === r.t;
  if (l.t === 'bool' || r.t === 'bool') return l.t === 'bool' && r.t === 'bool' && l.v === r.v;
  if (l.t === 'num' || r.t === 'num' || l.t === 'str' || r.t === 'str') return l === r ? true : null;
  if (l.t === 'qual' && r.t === 'qual') return l.path === r.path ? true : null;
  return l === r;
}
