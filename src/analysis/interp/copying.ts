/**
 * The copy module: copy.copy (a new list, dict or object holding the same items) and copy.deepcopy
 * (lists, tuples and dicts copied all the way down, shared and cyclic parts copied once, as
 * Python's memo does). A layer deep-copied is a new layer with the same configuration; a module
 * instance, container or tensor deep-copied is not modelled and reads as unknown.
 */
import { UNKNOWN, type Value } from './values';

export function shallowCopy(v: Value, nextId: () => number): Value {
  if (v.t === 'list') return { t: 'list', items: [...v.items] };
  if (v.t === 'dict') return { t: 'dict', keys: [...v.keys], vals: [...v.vals] };
  // an object: a new one of the same class whose attributes hold the same values
  if (v.t === 'instance')
    return {
      ...v,
      id: nextId(),
      attrs: new Map(v.attrs),
      children: [...v.children],
      varName: null,
      usedAsChild: false,
    };
  return v;
}

export function deepCopy(v: Value, nextId: () => number, memo = new Map<Value, Value>()): Value {
  const done = memo.get(v);
  if (done) return done;
  switch (v.t) {
    case 'list':
    case 'tuple': {
      const out = { t: v.t, items: [] as Value[] };
      memo.set(v, out);
      for (const it of v.items) out.items.push(deepCopy(it, nextId, memo));
      return out;
    }
    case 'dict': {
      const out = { t: 'dict' as const, keys: [] as Value[], vals: [] as Value[] };
      memo.set(v, out);
      for (const [i, k] of v.keys.entries()) {
        out.keys.push(deepCopy(k, nextId, memo));
        out.vals.push(deepCopy(v.vals[i]!, nextId, memo));
      }
      return out;
    }
    case 'layer': {
      const out: Value = { ...v, spec: { ...v.spec, id: nextId() } };
      memo.set(v, out);
      return out;
    }
    case 'instance':
    case 'container':
    case 'tensor':
    case 'kmodel':
    case 'object':
      return UNKNOWN;
    default:
      return v;
  }
}
