/**
 * Binding a call's arguments to a framework signature, and the conversions layer constructors
 * need (int-or-tuple, padding specs, activation names).
 */
import type { Range } from '../python/ast';
import { asInt, asIntList, asString, type CallArgs, type Value } from '../interp/values';

export type { CallArgs };

export interface Bound {
  values: Map<string, Value>;
  ranges: Record<string, Range>;
}

/** Binds positional arguments to `params` in order; keywords by name. Unknown keywords are kept. */
export function bind(params: readonly string[], args: CallArgs): Bound {
  const values = new Map<string, Value>();
  const ranges: Record<string, Range> = {};
  args.positional.forEach((v, i) => {
    const p = params[i];
    if (p === undefined) return;
    values.set(p, v);
    const r = args.posRanges[i];
    if (r) ranges[p] = r;
  });
  for (const [k, v] of args.keywords) {
    values.set(k, v);
    const r = args.kwRanges.get(k);
    if (r) ranges[k] = r;
  }
  return { values, ranges };
}

/** An int or a tuple of `rank` ints; a single int is repeated. null when not known. */
export function intTuple(v: Value | undefined, rank: number, dflt: number | null): number[] | null {
  if (v === undefined || v.t === 'none') return dflt === null ? null : new Array<number>(rank).fill(dflt);
  const l = asIntList(v);
  if (!l) return null;
  if (l.length === 1) return new Array<number>(rank).fill(l[0]!);
  return l.length === rank ? l : null;
}

export function intOr(v: Value | undefined, dflt: number | null): number | null {
  if (v === undefined || v.t === 'none') return dflt;
  return asInt(v);
}

export function numOr(v: Value | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (v.t === 'num') return v.v;
  return dflt;
}

export function boolOr(v: Value | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (v.t === 'bool') return v.v;
  if (v.t === 'num') return v.v !== 0;
  if (v.t === 'none') return false;
  return dflt;
}

/** Activation argument: a string, a framework function (keras.activations.relu, tf.nn.relu), or None. */
export function activationName(v: Value | undefined): string | null {
  if (v === undefined || v.t === 'none') return null;
  const s = asString(v);
  if (s !== null) return s === 'linear' ? null : s;
  if (v.t === 'qual') {
    const last = v.path.split('.').pop()!;
    return last === 'linear' ? null : last;
  }
  return 'unknown';
}
