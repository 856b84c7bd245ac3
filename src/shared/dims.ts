/**
 * Dimensions that may be unknown. A known size is a number; an unknown one is a symbol with a
 * display text ("H", "H-2", "(H-2)//2") and, when it is an affine function of one input symbol,
 * that base and offset so that stride-1 layers keep simple texts.
 */

export interface SymDim {
  readonly sym: string;
  readonly base?: string;
  readonly offset?: number;
}

export type Dim = number | SymDim;
export type Shape = readonly Dim[];

/** A size that cannot be known at all (a layer width read from an unknown value). */
export const UNKNOWN_DIM: SymDim = { sym: '?' };

export function sym(name: string): SymDim {
  return { sym: name, base: name, offset: 0 };
}

export function isKnown(d: Dim): d is number {
  return typeof d === 'number';
}

export function allKnown(s: Shape): s is readonly number[] {
  return s.every(isKnown);
}

export function dimText(d: Dim): string {
  return typeof d === 'number' ? String(d) : d.sym;
}

function affine(base: string, offset: number): SymDim {
  return { sym: offset === 0 ? base : `${base}${offset > 0 ? '+' : '-'}${Math.abs(offset)}`, base, offset };
}

function wrap(d: SymDim): string {
  return /^[A-Za-z_]\w*$/.test(d.sym) ? d.sym : `(${d.sym})`;
}

/** d + c */
export function addDim(d: Dim, c: number): Dim {
  if (typeof d === 'number') return d + c;
  if (d.base !== undefined) return affine(d.base, (d.offset ?? 0) + c);
  return { sym: c === 0 ? d.sym : `${d.sym}${c > 0 ? '+' : '-'}${Math.abs(c)}` };
}

/** floor((d + c) / s) */
export function floorDivDim(d: Dim, c: number, s: number): Dim {
  if (typeof d === 'number') return Math.floor((d + c) / s);
  if (s === 1) return addDim(d, c);
  const inner = addDim(d, c) as SymDim;
  return { sym: `${wrap(inner)}//${s}` };
}

/** ceil((d + c) / s) */
export function ceilDivDim(d: Dim, c: number, s: number): Dim {
  if (typeof d === 'number') return Math.ceil((d + c) / s);
  if (s === 1) return addDim(d, c);
  const inner = addDim(d, c) as SymDim;
  return { sym: `ceil(${inner.sym}/${s})` };
}

export function mulDim(d: Dim, m: number): Dim {
  if (typeof d === 'number') return d * m;
  if (m === 1) return d;
  return { sym: `${m}*${wrap(d)}` };
}

/** Product of dims: a number when all are known. */
export function productDim(dims: readonly Dim[]): Dim {
  let known = 1;
  const syms: SymDim[] = [];
  for (const d of dims) {
    if (typeof d === 'number') known *= d;
    else syms.push(d);
  }
  if (syms.length === 0) return known;
  const parts = [...(known !== 1 ? [String(known)] : []), ...syms.map(wrap)];
  return { sym: parts.join('*') };
}

export function sameDim(a: Dim, b: Dim): boolean {
  return typeof a === 'number' || typeof b === 'number' ? a === b : a.sym === b.sym;
}

export function shapeText(s: Shape, batch: string | null = null): string {
  const dims = s.map(dimText);
  if (batch !== null && dims.length > 0) dims[0] = batch;
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}
