/**
 * The items of a subscript applied to a tensor (`x[:, :d]`, `x[..., 0]`, `x[:, None]`), each
 * evaluated: a one-axis slice with its bounds, Ellipsis, or a value (an int, None, …). The
 * framework layer (FrameworkHooks.tensorIndex) says what the indexing gives.
 */
import type { Expr } from '../python/ast';
import type { Value } from './values';

export type TensorIndexItem =
  { k: 'slice'; start: Value; stop: Value; step: Value } | { k: 'ellipsis' } | { k: 'value'; v: Value };

/** The items of `index` in `x[index]`; null when the subscript could not be parsed into items. */
export function tensorIndexItems(index: Expr, evaluate: (e: Expr) => Value): TensorIndexItem[] | null {
  const NONE: Value = { t: 'none' };
  const item = (e: Expr): TensorIndexItem | null => {
    if (e.k === 'slice') {
      if (!e.bounds) return null;
      const at = (x: Expr | null): Value => (x ? evaluate(x) : NONE);
      return { k: 'slice', start: at(e.bounds[0]), stop: at(e.bounds[1]), step: at(e.bounds[2]) };
    }
    if (e.k === 'name' && e.id === 'Ellipsis') return { k: 'ellipsis' };
    return { k: 'value', v: evaluate(e) };
  };
  const parts = index.k === 'slice' && index.axes ? index.axes : index.k === 'tuple' ? index.items : [index];
  const out: TensorIndexItem[] = [];
  for (const p of parts) {
    const it = item(p);
    if (!it) return null;
    out.push(it);
  }
  return out;
}
