/**
 * The stamp's arithmetic as the learner reads it: the window's input values with the kernel
 * weights under them, the sum for the shown channel, the sum over every input channel, + bias,
 * → activation, and whether that equals the value in the feature map. Pooling: the window with
 * its maximum or the average written out. The numbers are also left in data attributes (the
 * webview tests read them back).
 */
import type { LayerView } from '../../src/shared/protocol';
import { agrees, type ConvStamp, type PoolStamp } from '../arithmetic';
import { el } from '../dom';
import { fmt } from '../format';
import { t } from '../i18n';

/** Largest window written out cell by cell. */
const MAX_GRID_TERMS = 49;

function line(label: string, value: string, cls = ''): HTMLElement {
  const row = el('div', `arith-line ${cls}`.trim());
  row.append(el('span', 'arith-label', label), el('span', 'arith-value', value));
  return row;
}

function termGrid(
  kw: number,
  terms: { top: string; bottom: string; pad: boolean; hot?: boolean; title: string }[],
): HTMLElement {
  const grid = el('div', 'arith-grid');
  grid.style.gridTemplateColumns = `repeat(${kw}, minmax(0, auto))`;
  grid.setAttribute('aria-hidden', 'true');
  for (const term of terms) {
    const cell = el('div', `term${term.pad ? ' pad' : ''}${term.hot ? ' hot' : ''}`);
    cell.title = term.title;
    cell.append(el('span', 'term-x', term.top), el('span', 'term-w', term.bottom));
    grid.append(cell);
  }
  return grid;
}

export function convArith(
  view: LayerView,
  s: ConvStamp,
  shown: { value: number; pre: boolean },
  channelName: string,
): HTMLElement {
  const box = el('div', 'arith');
  const g = view.geometry!;
  if (g.kernel[0] * g.kernel[1] <= MAX_GRID_TERMS) {
    box.append(
      termGrid(
        g.kernel[1],
        s.cells.map((c, i) => ({
          top: c.pad ? `${t('pad')} ${fmt(c.value, 3)}` : fmt(c.value, 3),
          bottom: `× ${fmt(s.weights[i]!, 3)}`,
          pad: c.pad,
          title: `${c.pad ? `${t('padCell')} ${fmt(c.value)}` : fmt(c.value)} × ${fmt(s.weights[i]!)} = ${fmt(c.value * s.weights[i]!)}`,
        })),
      ),
    );
  }
  const lines = el('div', 'arith-lines');
  lines.append(line(t('sumChannel', { channel: channelName }), `= ${fmt(s.channelSum)}`));
  if (s.channels > 1) lines.append(line(t('sumAll', { n: s.channels }), `= ${fmt(s.total)}`));
  lines.append(line(t('plusBias', { b: fmt(s.bias) }), `= ${fmt(s.pre)}`, view.activation ? '' : 'result'));
  if (view.activation) lines.lastElementChild!.append(el('span', 'arith-note', t('preActivation')));
  const result = shown.pre || !view.activation ? s.pre : s.activated;
  const match = result !== null && s.complete && agrees(result, shown.value, Math.abs(s.total));
  if (view.activation && !shown.pre) {
    lines.append(
      line(
        `${view.activation}(${fmt(s.pre)})`,
        `= ${s.activated === null ? fmt(shown.value) : fmt(s.activated)}`,
        'result',
      ),
    );
  }
  const verdict = el('div', `arith-verdict ${match ? 'ok' : 'bad'}`);
  if (!s.complete) verdict.textContent = t('partial', { shown: s.channels, total: view.input.totalChannels });
  else
    verdict.textContent = match
      ? `✓ ${t('matches')} (${fmt(shown.value)})`
      : `✗ ${t('differs', { v: fmt(shown.value) })}`;
  lines.append(verdict);
  box.append(lines);
  Object.assign(box.dataset, {
    channelSum: String(s.channelSum),
    sum: String(s.total),
    bias: String(s.bias),
    pre: String(s.pre),
    out: String(result ?? s.pre),
    shown: String(shown.value),
    match: String(match),
  });
  return box;
}

export function poolArith(mode: 'max' | 'avg', s: PoolStamp, kw: number, engineValue: number): HTMLElement {
  const box = el('div', 'arith');
  if (s.cells.length <= MAX_GRID_TERMS) {
    box.append(
      termGrid(
        kw,
        s.cells.map((c, i) => ({
          top: c.pad ? t('pad') : fmt(c.value, 3),
          bottom: '',
          pad: c.pad,
          hot: mode === 'max' ? i === s.winner : !c.pad,
          title: c.pad ? t('padCell') : fmt(c.value),
        })),
      ),
    );
  }
  const real = s.cells.filter((c) => !c.pad).map((c) => c.value);
  const lines = el('div', 'arith-lines');
  lines.append(
    mode === 'max'
      ? line(t('poolMax'), t('maxOf', { n: real.length, v: fmt(s.value) }), 'result')
      : line(
          t('poolAvg'),
          t('avgOf', {
            sum: real.length <= 9 ? real.map((v) => fmt(v, 3)).join(' + ') : fmt(s.sum),
            n: s.divisor,
            v: fmt(s.value),
          }),
          'result',
        ),
  );
  const match = agrees(s.value, engineValue);
  lines.append(
    el(
      'div',
      `arith-verdict ${match ? 'ok' : 'bad'}`,
      match ? `✓ ${t('matches')} (${fmt(engineValue)})` : `✗ ${t('differs', { v: fmt(engineValue) })}`,
    ),
  );
  box.append(lines);
  Object.assign(box.dataset, {
    mode,
    values: JSON.stringify(real),
    computed: String(s.value),
    out: String(engineValue),
    match: String(match),
  });
  return box;
}
