/**
 * A subscript of a PyTorch tensor in model code (`x[:, :d, :, :]`, `x[:, c:]`, `x[..., 0]`,
 * `x[:, None]`) becomes an 'index' node (model/layers/indexing.ts). Items it cannot read (a
 * tensor as index, a bound that is not a known int) make an 'unknown' node, so the trace says
 * where it stopped. Keras tensors and tensors of numbers keep what they had: no node.
 */
import type { IndexItem } from '../../model/layers/indexing';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import type { TensorIndexItem } from '../interp/tensorIndex';
import { UNKNOWN, asInt, type TensorValue, type Value } from '../interp/values';
import { applyFunctional } from './apply';

function bound(v: Value): number | null | undefined {
  if (v.t === 'none') return null;
  return asInt(v) ?? undefined;
}

function readItems(items: TensorIndexItem[]): IndexItem[] | null {
  const out: IndexItem[] = [];
  for (const it of items) {
    if (it.k === 'ellipsis') out.push({ t: 'ellipsis' });
    else if (it.k === 'slice') {
      const start = bound(it.start);
      const stop = bound(it.stop);
      const step = bound(it.step);
      if (start === undefined || stop === undefined || step === undefined) return null;
      out.push({ t: 'slice', start, stop, step: step ?? 1 });
    } else if (it.v.t === 'none') out.push({ t: 'none' });
    else if (it.v.t === 'bool' || it.v.t === 'tensor') return null;
    else {
      const i = asInt(it.v);
      if (i === null) return null;
      out.push({ t: 'int', i });
    }
  }
  return out;
}

export function tensorIndex(ip: Interpreter, x: TensorValue, items: TensorIndexItem[] | null, range: Range): Value {
  if (x.fw !== 'pytorch' || x.data) {
    if (!items || items.some((it) => it.k === 'slice' || it.k === 'ellipsis')) return UNKNOWN;
    return { t: 'tensor', fw: x.fw, shape: null, rf: null, producer: x.producer };
  }
  const read = items ? readItems(items) : null;
  return applyFunctional(
    ip,
    'pytorch',
    'getitem',
    read
      ? { kind: 'index', items: read }
      : { kind: 'unknown', reason: 'an index that is not read (only ints, slices, None and ...)' },
    [x],
    range,
  );
}
