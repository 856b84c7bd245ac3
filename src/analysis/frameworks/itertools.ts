/**
 * The itertools functions model code uses to build its layer lists: repeat, chain, product,
 * accumulate, islice. Each returns a list (the analyzer has no lazy iterators), bounded by the
 * interpreter's list limit; anything not known gives an unknown value.
 */
import { UNKNOWN, asInt, iterItems, num, type CallArgs, type Value } from '../interp/values';

const MAX_ITEMS = 100_000;

function list(items: Value[] | null): Value {
  return items && items.length <= MAX_ITEMS ? { t: 'list', items } : UNKNOWN;
}

export function itertoolsCall(fn: string, args: CallArgs): Value {
  const a = args.positional;
  if (args.incomplete) return UNKNOWN;
  switch (fn) {
    case 'repeat': {
      const times = asInt(a[1] ?? args.keywords.get('times'));
      // without `times` the iterator is endless: only zip() could bound it
      if (!a[0] || times === null || times > MAX_ITEMS) return UNKNOWN;
      return list(Array.from({ length: Math.max(0, times) }, () => a[0]!));
    }
    case 'chain': {
      const out: Value[] = [];
      for (const it of a) {
        const items = iterItems(it);
        if (!items) return UNKNOWN;
        out.push(...items);
        if (out.length > MAX_ITEMS) return UNKNOWN;
      }
      return list(out);
    }
    case 'product': {
      if (args.keywords.size > 0) return UNKNOWN;
      let out: Value[][] = [[]];
      for (const it of a) {
        const items = iterItems(it);
        if (!items || out.length * items.length > MAX_ITEMS) return UNKNOWN;
        out = out.flatMap((p) => items.map((x) => [...p, x]));
      }
      return list(out.map((items) => ({ t: 'tuple', items })));
    }
    case 'accumulate': {
      const items = a[0] ? iterItems(a[0]) : null;
      if (!items || a.length > 1 || args.keywords.size > 0) return UNKNOWN;
      const out: Value[] = [];
      let sum = 0;
      for (const x of items) {
        if (x.t !== 'num') return UNKNOWN;
        sum += x.v;
        out.push(num(sum));
      }
      return list(out);
    }
    case 'islice': {
      const items = a[0] ? iterItems(a[0]) : null;
      if (!items) return UNKNOWN;
      const [start, stop, step] =
        a.length === 2
          ? [0, asInt(a[1]), 1]
          : [asInt(a[1]) ?? 0, a[2]?.t === 'none' ? null : asInt(a[2]), asInt(a[3]) ?? 1];
      if (step <= 0) return UNKNOWN;
      const end = stop === null ? items.length : Math.min(stop, items.length);
      const out: Value[] = [];
      for (let i = start; i < end; i += step) out.push(items[i]!);
      return list(out);
    }
    default:
      return UNKNOWN;
  }
}
