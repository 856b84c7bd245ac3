/**
 * Weights that load but hold NaN or infinite values: kept as they are (the model computes with
 * them, as the framework would), and said once per tensor where the weights are loaded.
 */
import { fmtInt } from './errors';
import type { WeightTensor } from './weightFile';
import { printable } from './weightLimits';

/** Tensors named one by one; past this, one line counts the rest. */
const MAX_NAMED = 10;

/** One warning per tensor with NaN or ±Infinity values, naming it and the counts. */
export function nonFiniteWarnings(file: string, tensors: readonly WeightTensor[]): string[] {
  const out: string[] = [];
  let more = 0;
  for (const t of tensors) {
    let nan = 0;
    let inf = 0;
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v - v !== 0) {
        if (v !== v) nan++;
        else inf++;
      }
    }
    if (nan + inf === 0) continue;
    if (out.length >= MAX_NAMED) {
      more++;
      continue;
    }
    const parts = [nan ? `${fmtInt(nan)} NaN` : '', inf ? `${fmtInt(inf)} infinite` : ''].filter(Boolean);
    out.push(
      `${file}: tensor '${printable(t.name)}' has ${parts.join(' and ')} value${nan + inf === 1 ? '' : 's'} of ${fmtInt(d.length)} (kept as they are)`,
    );
  }
  if (more) out.push(`${file}: ${fmtInt(more)} more tensor${more === 1 ? '' : 's'} with NaN or infinite values`);
  return out;
}
