/**
 * Builds the panel from the store: the empty state, the waiting state, or a model — top bar,
 * model strip, notice, progress, the selected layer's cards (by kind) and the side cards
 * (what-if, learn, input). A full rebuild is cheap next to drawing the maps, and keeps every view
 * a plain function of the store; focus is carried across by data-focus-key.
 */
import type { LayerView, ModelState, WeightsInfo } from '../src/shared/protocol';
import { dropWaiting, later, settle } from './deferred';
import { el, focusedKey, restoreFocus } from './dom';
import { endReuse, offerCanvases } from './raster';
import { sizeText } from './geometry';
import { t, type Key } from './i18n';
import { store } from './store';
import { convCards } from './views/conv';
import { denseCards } from './views/dense';
import { topbar } from './views/header';
import { inputsCard } from './views/inputs';
import { paddingText, shapeText } from './views/labels';
import { channelsCard } from './views/channels';
import { learnCard, outputHidden, reportHidden } from './views/learn';
import { otherCards } from './views/other';
import { poolCards } from './views/pool';
import { stackCard } from './views/stack';
import { revealSelected, strip } from './views/strip';
import { weightsCard } from './views/weights';
import { whatIfCard } from './views/whatif';

/** The last layer shown, kept while the next one computes (its weights badge, inputs). */
let lastLayer: LayerView | null = null;
let notice: string | null = null;

/** A message of the panel's own (a dropped file that was not an image). */
export function setNotice(text: string | null): void {
  notice = text;
}

function progress(label: string): HTMLElement {
  const p = el('div', 'progress');
  p.setAttribute('role', 'progressbar');
  p.setAttribute('aria-label', label);
  p.append(el('div', 'progress-bar'));
  return p;
}

const KIND: Record<LayerView['kind'], Key> = {
  conv: 'kindConv',
  pool: 'kindPool',
  dense: 'kindDense',
  flatten: 'kindFlatten',
  other: 'kindOther',
};

function summary(v: LayerView, hidden: boolean): string {
  const g = v.geometry;
  const [c, h, w] = [v.input.totalChannels, v.input.shape[1], v.input.shape[2]];
  const out = hidden || !g ? '?' : sizeText(g, g.outH, g.outW);
  if (v.kind === 'conv' && g) {
    return t('convSummary', {
      filters: v.output.totalChannels,
      k: sizeText(g, g.kernel[0], g.kernel[1]),
      c,
      s: g.rank === 1 ? g.strides[1] : g.strides.join('×'),
      padding: paddingText(g),
      out,
    });
  }
  if (v.kind === 'pool' && g) {
    return t('poolSummary', {
      k: sizeText(g, g.kernel[0], g.kernel[1]),
      s: g.rank === 1 ? g.strides[1] : g.strides.join('×'),
      c,
      mode: v.poolMode === 'avg' ? t('modeAvg') : t('modeMax'),
      in: sizeText(g, h, w),
      out,
    });
  }
  if (v.kind === 'dense') return t('denseSummary', { n: v.input.data.length });
  if (v.kind === 'flatten') return t('flattenSummary', { shape: shapeText(v, v.input), n: c * h * w });
  // a merge: every input's shape
  const ins = v.inputs.map((x) => shapeText(v, x)).join(', ') + (v.totalInputs > v.inputs.length ? ', …' : '');
  return t('otherSummary', { in: ins, out: shapeText(v, v.output) });
}

function layerHead(v: LayerView, hidden: boolean): HTMLElement {
  const head = el('div', 'layer-head');
  const title = el('h2', 'layer-title');
  title.append(
    el('span', 'layer-name', v.name),
    el('span', 'layer-type', v.type),
    el('span', `badge kind kind-${v.kind}`, t(KIND[v.kind])),
  );
  head.append(title, el('p', 'layer-summary', summary(v, hidden)));
  return head;
}

function layerCards(v: LayerView, rerender: () => void): HTMLElement[] {
  const hidden = outputHidden(v);
  const body =
    v.kind === 'conv'
      ? withBlock(v, hidden, convCards(v, hidden, rerender))
      : v.kind === 'pool'
        ? poolCards(v, hidden, rerender)
        : v.kind === 'dense' || v.kind === 'flatten'
          ? denseCards(v)
          : otherCards(v, rerender);
  return [layerHead(v, hidden), ...(body.length ? body : otherCards(v, rerender))];
}

/** A convolution's maps also as the block they stack into, and its sum over the input channels. */
function withBlock(v: LayerView, hidden: boolean, cards: HTMLElement[]): HTMLElement[] {
  if (cards.length === 0) return cards;
  const out = v.preActivation && store.ui.showPre ? v.preActivation : v.output;
  const filter = store.ui.filter;
  const extra = hidden ? [] : [later(() => stackCard(v, out, filter), '', 240), later(() => channelsCard(v))];
  const maps = cards.findIndex((c) => c.classList.contains('maps'));
  return maps < 0 ? [...cards, ...extra] : [...cards.slice(0, maps + 1), ...extra, ...cards.slice(maps + 1)];
}

function model(s: ModelState, rerender: () => void): HTMLElement[] {
  const v = s.layer;
  if (v) lastLayer = v;
  if (v && !s.busy) reportHidden(v);
  const shown = v ?? (s.busy ? lastLayer : null);
  const weights: WeightsInfo | null = shown?.weights ?? null;
  const head = el('div', 'sticky');
  head.append(topbar(s, weights), strip(s, outputHidden(shown)));
  if (s.busy) head.append(progress(t('busy')));
  const out: HTMLElement[] = [head];
  for (const text of [s.message, notice]) {
    if (!text) continue;
    const n = el('div', 'notice', text);
    n.setAttribute('role', 'status');
    out.push(n);
  }
  const main = el('main', `layer${s.busy ? ' stale' : ''}`);
  main.setAttribute('aria-busy', String(s.busy));
  if (shown && shown.index === s.selected) main.append(...layerCards(shown, rerender));
  else if (s.busy) main.append(el('div', 'waiting', t('busy')));
  const side = el('aside', 'side');
  if (shown && shown.index === s.selected)
    side.append(
      later(() => whatIfCard(shown, rerender), '', 200),
      later(() => learnCard(shown, rerender), '', 200),
      later(() => weightsCard(shown), '', 200),
    );
  const inputName = s.inputName;
  side.append(
    later(
      () =>
        inputsCard(
          inputName,
          shown?.preprocessing ?? [],
          shown ? shown.input.shape[1] === 28 && shown.input.shape[2] === 28 && shown.index === 0 : false,
        ),
      '',
      200,
    ),
  );
  const work = el('div', 'work');
  work.append(main, side);
  out.push(work);
  return out;
}

/** Performance entries kept at most (the timeline keeps every mark and measure it is given). */
const MAX_PERF_ENTRIES = 2000;

export function render(root: HTMLElement, rerender: () => void): void {
  if (performance.getEntriesByType('measure').length > MAX_PERF_ENTRIES) {
    performance.clearMeasures();
    performance.clearMarks();
  }
  performance.mark('convlens:render:start');
  // the tiles of the view being replaced go to the new one's (their pixel buffers are kept);
  // offered for this render only, even one that fails
  offerCanvases(root);
  try {
    build(root, rerender);
  } finally {
    endReuse();
  }
  performance.measure('convlens:render', 'convlens:render:start');
}

function build(root: HTMLElement, rerender: () => void): void {
  const key = focusedKey();
  const stripScroll = root.querySelector('.strip')?.scrollLeft ?? 0;
  const s = store.state;
  dropWaiting();
  document.documentElement.lang = store.settings.locale;
  let parts: HTMLElement[];
  if (!s) parts = [progress(t('busy'))];
  else if (s.kind === 'empty') {
    const box = el('section', 'empty');
    box.append(el('h1', 'empty-title', s.title), el('p', 'empty-hint', s.hint));
    parts = [box];
  } else parts = model(s, rerender);
  root.replaceChildren(...parts);
  const stripEl = root.querySelector('.strip');
  if (stripEl) stripEl.scrollLeft = stripScroll;
  revealSelected(root);
  restoreFocus(key);
  // the cards on screen are built now, the others after this frame (see deferred.ts)
  // (the focus goes back to a later card's element only if it is still in the panel, on nothing)
  settle(() => {
    if (key && document.hasFocus() && document.activeElement === document.body) restoreFocus(key);
  });
}
