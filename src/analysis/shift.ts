/**
 * Moving an analysis into other coordinates: a notebook's code cells are analyzed together
 * (notebook.ts), and a cell's ranges are then given relative to the cell itself (an earlier cell's
 * ranges come out negative). Pure: no editor types.
 */
import type { AnalysisResult } from './analyze';
import type { LayerSpec, Range } from '../model/ir';

function shift<T extends Range>(r: T, base: number): T {
  return { ...r, from: r.from - base, to: r.to - base };
}

/** A copy of the result with every range moved by −base (layers sharing a spec still share it). */
export function shiftResult(r: AnalysisResult, base: number): AnalysisResult {
  if (base === 0) return r;
  const specs = new Map<number, LayerSpec>();
  const spec = (s: LayerSpec): LayerSpec => {
    let c = specs.get(s.id);
    if (!c)
      specs.set(
        s.id,
        (c = { ...s, range: shift(s.range, base), ...(s.sites ? { sites: s.sites.map((r) => shift(r, base)) } : {}) }),
      );
    return c;
  };
  return {
    ...r,
    models: r.models.map((m) => ({
      ...m,
      range: shift(m.range, base),
      layers: m.layers.map((l) => ({
        ...l,
        spec: spec(l.spec),
        callRange: shift(l.callRange, base),
        ...(l.via ? { via: l.via.map((v) => ({ ...v, range: shift(v.range, base) })) } : {}),
        argRanges: Object.fromEntries(Object.entries(l.argRanges).map(([k, v]) => [k, shift(v, base)])),
      })),
    })),
    diagnostics: r.diagnostics.map((d) => ({
      ...d,
      range: shift(d.range, base),
      ...(d.fix ? { fix: { ...d.fix, edits: d.fix.edits.map((e) => ({ ...e, range: shift(e.range, base) })) } } : {}),
    })),
  };
}
