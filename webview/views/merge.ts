/**
 * A merge of several branches (Keras Add/Concatenate/…, PyTorch a + b, torch.cat): every input's
 * maps (A, B, …) beside the output, with the operation written out — A + B = out, or for a
 * concatenation along the channels 16 + 16 = 32 channels, each output map captioned by the input
 * channel it came from. For an element-wise merge of same-shaped inputs the panel recomputes one
 * cell from the inputs and shows it next to the engine's value.
 */
import type { LayerView, MergeOpName, TensorView } from '../../src/shared/protocol';
import { agrees, argmax, at } from '../arithmetic';
import { card, el } from '../dom';
import { fmt } from '../format';
import { t } from '../i18n';
import { rangeFor } from '../raster';
import { store } from '../store';
import { shapeText } from './labels';
import { tileGrid } from './tiles';

export const LETTERS = 'ABCD';

const SYMBOL: Partial<Record<MergeOpName, string>> = {
  add: '+',
  subtract: '−',
  multiply: '×',
  divide: '÷',
};

/** The operation on named inputs: "A + B = out", "max(A, B) = out", "(A + B) / 2 = out". */
export function mergeFormula(op: MergeOpName, n: number): string {
  const names = LETTERS.slice(0, n).split('');
  const sym = SYMBOL[op];
  if (sym) return `${names.join(` ${sym} `)} = out`;
  if (op === 'average') return `(${names.join(' + ')}) / ${n} = out`;
  return `${op === 'maximum' ? 'max' : op === 'minimum' ? 'min' : op}(${names.join(', ')}) = out`;
}

/** The element-wise operation on numbers, as the frameworks define it. */
export function mergeValue(op: MergeOpName, xs: number[]): number | null {
  switch (op) {
    case 'add':
      return xs.reduce((a, b) => a + b, 0);
    case 'subtract':
      return xs[0]! - xs[1]!;
    case 'multiply':
      return xs.reduce((a, b) => a * b, 1);
    case 'divide':
      return xs[0]! / xs[1]!;
    case 'average':
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'maximum':
      return Math.max(...xs);
    case 'minimum':
      return Math.min(...xs);
    default:
      return null;
  }
}

/** Which input (and its channel) output channel j of a concatenation along the channels comes from. */
export function concatSource(inputs: TensorView[], j: number): { input: number; channel: number } | null {
  let start = 0;
  for (let i = 0; i < inputs.length; i++) {
    const n = inputs[i]!.totalChannels;
    if (j < start + n) return { input: i, channel: j - start };
    start += n;
  }
  return null;
}

function maps(tv: TensorView, key: string, caption: (i: number) => string): HTMLElement {
  const [n, h, w] = tv.shape;
  if (h * w === 1) {
    return el('p', 'muted small', `${n} × 1`);
  }
  return tileGrid({
    data: tv.data,
    offset: (i) => i * h * w,
    count: n,
    h,
    w,
    map: store.settings.colormap,
    range: (i) => rangeFor(tv, i, store.ui.normalization),
    caption,
    label: (i) => caption(i),
    selected: -1,
    key,
    size: Math.min(56, Math.max(32, 2 * Math.max(h, w))),
    onSelect: () => undefined,
  });
}

export function mergeCards(v: LayerView): HTMLElement[] {
  const e = v.explain;
  if (e?.kind !== 'merge') return [];
  const ins = v.inputs;
  const n = v.totalInputs;
  const concat = e.op === 'concat' && e.alongChannels;
  const title = concat
    ? t('concatChannels', {
        sizes: ins.map((x) => x.totalChannels).join(' + ') + (n > ins.length ? ' + …' : ''),
        total: v.output.totalChannels,
      })
    : e.op === 'concat'
      ? t('concatAxis', { shapes: ins.map((x) => shapeText(v, x)).join(' + '), out: shapeText(v, v.output) })
      : e.op === 'stack'
        ? t('stackInputs', { n, shape: shapeText(v, ins[0]!), out: shapeText(v, v.output) })
        : `${t('mergeTitle')}: ${mergeFormula(e.op, n)}`;
  const box = card(title, 'merge-card');
  box.root.dataset['op'] = e.op;
  if (n > ins.length) box.head.append(el('span', 'muted small', t('showingInputs', { shown: ins.length, total: n })));
  box.body.append(
    el('p', 'hint', concat ? t('concatHint') : e.op === 'concat' || e.op === 'stack' ? t('joinHint') : t('mergeHint')),
  );
  const row = el('div', 'merge-row');
  ins.forEach((tv, i) => {
    const col = el('figure', 'merge-col');
    col.dataset['input'] = LETTERS[i]!;
    col.append(
      el('figcaption', '', `${LETTERS[i]} · ${shapeText(v, tv)}`),
      maps(tv, `merge-${i}`, (c) => `${LETTERS[i]}${c}`),
    );
    if (tv.totalChannels > tv.shape[0])
      col.append(el('span', 'muted small', t('showingChannels', { shown: tv.shape[0], total: tv.totalChannels })));
    if (i > 0) row.append(el('div', 'stage-op', concat || e.op === 'concat' ? '⊕' : (SYMBOL[e.op] ?? ',')));
    row.append(col);
  });
  row.append(el('div', 'stage-op', '='));
  const out = el('figure', 'merge-col merge-out');
  out.dataset['input'] = 'out';
  out.append(
    el('figcaption', '', `out · ${shapeText(v, v.output)}`),
    maps(v.output, 'merge-out', (j) => {
      if (!concat) return String(j);
      const s = concatSource(ins, j);
      return s ? `${LETTERS[s.input]}${s.channel}` : String(j);
    }),
  );
  row.append(out);
  box.body.append(row);
  // one cell worked out, where channel 0 of the output is largest
  const same = ins.length === n && ins.every((x) => x.shape.every((d, k) => d === v.output.shape[k]));
  if (same && e.op !== 'concat' && e.op !== 'stack') {
    const c = Math.min(store.ui.channel, v.output.shape[0] - 1);
    const { oy, ox } = argmax(v.output, c);
    const xs = ins.map((x) => at(x, c, oy, ox));
    const mine = mergeValue(e.op, xs);
    const engine = at(v.output, c, oy, ox);
    if (mine !== null) {
      const line = el('p', 'merge-check');
      line.dataset['computed'] = String(mine);
      line.dataset['engine'] = String(engine);
      const ok = agrees(mine, engine);
      line.append(
        el(
          'span',
          '',
          `${t('channelN', { c })}, (${oy}, ${ox}): ${mergeFormula(e.op, n)
            .replace(/[A-D]/g, (L) => fmt(xs[LETTERS.indexOf(L)]!))
            .replace('out', fmt(mine))}`,
        ),
        el('span', `arith-verdict ${ok ? 'ok' : 'bad'}`, ` ${ok ? '✓' : '≠'} ${t('sumEngine', { v: fmt(engine) })}`),
      );
      box.body.append(line);
    }
  }
  return [box.root];
}
