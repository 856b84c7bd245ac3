/**
 * Explanation cards of the layers that are not convolutions or pooling, each with the layer's own
 * numbers: batch normalization (each channel normalized with its moving mean and variance, then
 * γ·x̂ + β — the mean and spread of every channel before and after), dropout (the identity at
 * inference; in training a fraction `rate` is zeroed and the rest scaled by 1/(1 − rate)), and an
 * activation function (its graph over the layer's input range, the real (input, output) pairs on
 * it, how many values became 0).
 */
import type { Explain, LayerView, TensorView } from '../../src/shared/protocol';
import { activate } from '../arithmetic';
import { card, cssVar, el } from '../dom';
import { fmt, fmtInt, fmtPct } from '../format';
import { t } from '../i18n';
import { channelName } from './labels';

/** Mean and (population) standard deviation of plane c. */
export function planeStats(tv: TensorView, c: number): { mean: number; std: number } {
  const n = tv.shape[1] * tv.shape[2];
  const off = c * n;
  let s = 0;
  for (let i = 0; i < n; i++) s += tv.data[off + i]!;
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (tv.data[off + i]! - mean) ** 2;
  return { mean, std: Math.sqrt(q / n) };
}

/** Rows of the normalization table shown at once. */
const BN_ROWS = 8;

function batchNormCard(v: LayerView, e: Extract<Explain, { kind: 'batchNorm' }>): HTMLElement {
  const box = card(t('bnTitle'), 'explain explain-bn');
  box.body.append(
    el('code', 'formula-line', 'y = γ · (x − μ) / √(σ² + ε) + β'),
    el('p', 'hint', t('bnHint', { eps: fmt(e.epsilon) })),
  );
  const table = el('table', 'explain-table');
  const head = el('tr');
  for (const h of [t('channel'), 'μ', 'σ²', 'γ', 'β', t('bnIn'), t('bnOut')]) head.append(el('th', '', h));
  table.append(head);
  const n = Math.min(e.mean.length, v.input.shape[0], v.output.shape[0]);
  for (let c = 0; c < Math.min(n, BN_ROWS); c++) {
    const inS = planeStats(v.input, c);
    const outS = planeStats(v.output, c);
    const tr = el('tr', 'bn-row');
    tr.dataset['channel'] = String(c);
    tr.dataset['inMean'] = String(inS.mean);
    tr.dataset['inStd'] = String(inS.std);
    tr.dataset['outMean'] = String(outS.mean);
    tr.dataset['outStd'] = String(outS.std);
    const g = e.gamma?.[c];
    const b = e.beta?.[c];
    for (const text of [
      channelName(v, c),
      fmt(e.mean[c]!),
      fmt(e.variance[c]!),
      g === undefined ? '1' : fmt(g),
      b === undefined ? '0' : fmt(b),
      `${fmt(inS.mean)} ± ${fmt(inS.std)}`,
      `${fmt(outS.mean)} ± ${fmt(outS.std)}`,
    ])
      tr.append(el('td', '', text));
    table.append(tr);
  }
  box.body.append(table);
  const more = v.input.totalChannels - Math.min(n, BN_ROWS);
  if (more > 0) box.body.append(el('p', 'muted small', t('bnMore', { n: more })));
  box.body.append(el('p', 'muted small', t('bnTrain')));
  return box.root;
}

function dropoutCard(v: LayerView, e: Extract<Explain, { kind: 'dropout' }>): HTMLElement {
  const box = card(t('dropoutTitle'), 'explain explain-dropout');
  let diff = 0;
  const m = Math.min(v.input.data.length, v.output.data.length);
  for (let i = 0; i < m; i++) diff = Math.max(diff, Math.abs(v.input.data[i]! - v.output.data[i]!));
  const line = el('p', 'dropout-identity', t('dropoutIdentity', { d: fmt(diff) }));
  line.dataset['maxDiff'] = String(diff);
  box.body.append(line);
  if (e.rate !== null && e.rate < 1)
    box.body.append(
      el('p', 'hint', t('dropoutTrain', { rate: fmt(e.rate), pct: fmtPct(e.rate), scale: fmt(1 / (1 - e.rate)) })),
    );
  return box.root;
}

/** How many values the activation turned into 0 (that were not 0 before), of how many. */
export function zeroed(v: LayerView): { k: number; n: number } {
  const n = Math.min(v.input.data.length, v.output.data.length);
  let k = 0;
  for (let i = 0; i < n; i++) if (v.output.data[i] === 0 && v.input.data[i] !== 0) k++;
  return { k, n };
}

const GRAPH = { w: 340, h: 190, pad: 26 };

function graph(v: LayerView, fn: string): HTMLCanvasElement {
  const { w, h, pad } = GRAPH;
  const [inLo, inHi] = [v.input.min, v.input.max];
  const xLo = Math.min(-1, inLo - 0.1 * (inHi - inLo));
  const xHi = Math.max(1, inHi + 0.1 * (inHi - inLo));
  const f = (x: number): number | null => activate(fn, x);
  const samples = Array.from({ length: 161 }, (_, i) => xLo + ((xHi - xLo) * i) / 160);
  const ys = samples.map(f).filter((y): y is number => y !== null && Number.isFinite(y));
  const pts: [number, number][] = [];
  const n = Math.min(v.input.data.length, v.output.data.length);
  const every = Math.max(1, Math.floor(n / 1500));
  for (let i = 0; i < n; i += every) pts.push([v.input.data[i]!, v.output.data[i]!]);
  const allY = [...ys, ...pts.map((p) => p[1]), 0];
  const yLo = Math.min(...allY);
  const yHi = Math.max(...allY, yLo + 1e-6);
  const X = (x: number): number => pad + ((x - xLo) / (xHi - xLo)) * (w - 2 * pad);
  const Y = (y: number): number => h - pad - ((y - yLo) / (yHi - yLo)) * (h - 2 * pad);
  const dpr = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
  const canvas = el('canvas', 'act-graph');
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  const ink = getComputedStyle(document.body).color || '#888';
  const accent = cssVar('--vscode-focusBorder', '#3794ff');
  // the layer's input range
  ctx.fillStyle = accent;
  ctx.globalAlpha = 0.15;
  ctx.fillRect(X(inLo), pad / 2, Math.max(1, X(inHi) - X(inLo)), h - pad * 1.5);
  ctx.globalAlpha = 1;
  // axes through 0
  ctx.strokeStyle = ink;
  ctx.globalAlpha = 0.5;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad, Y(0));
  ctx.lineTo(w - pad, Y(0));
  ctx.moveTo(X(0), pad / 2);
  ctx.lineTo(X(0), h - pad);
  ctx.stroke();
  ctx.globalAlpha = 1;
  // the layer's real (input, output) pairs
  ctx.fillStyle = ink;
  ctx.globalAlpha = 0.35;
  for (const [x, y] of pts) ctx.fillRect(X(x) - 1, Y(y) - 1, 2, 2);
  ctx.globalAlpha = 1;
  // the function
  if (ys.length === samples.length) {
    ctx.strokeStyle = accent;
    ctx.lineWidth = 2;
    ctx.beginPath();
    samples.forEach((x, i) => (i === 0 ? ctx.moveTo(X(x), Y(ys[i]!)) : ctx.lineTo(X(x), Y(ys[i]!))));
    ctx.stroke();
  }
  ctx.fillStyle = ink;
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(inLo, 3), X(inLo), h - pad + 4);
  ctx.textAlign = 'right';
  ctx.fillText(fmt(inHi, 3), X(inHi), h - pad + 4);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`${fn}(x)`, X(0) + 4, pad);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('actGraph', { fn, lo: fmt(inLo), hi: fmt(inHi) }));
  return canvas;
}

const FN_HINT: Record<string, Parameters<typeof t>[0]> = {
  relu: 'actRelu',
  sigmoid: 'actSigmoid',
  tanh: 'actTanh',
};

function activationCard(v: LayerView, e: Extract<Explain, { kind: 'activation' }>): HTMLElement {
  const box = card(`${t('actTitle')}: ${e.fn}`, 'explain explain-act');
  const hint = FN_HINT[e.fn];
  box.body.append(el('p', 'hint', hint ? t(hint) : t('actGeneric', { fn: e.fn })));
  const fig = el('figure', 'act-fig');
  fig.append(graph(v, e.fn), el('figcaption', 'muted small', t('actLegend')));
  box.body.append(fig);
  const { k, n } = zeroed(v);
  const z = el('p', 'act-zeroed', t('actZeroed', { k: fmtInt(k), n: fmtInt(n), pct: fmtPct(n ? k / n : 0) }));
  z.dataset['k'] = String(k);
  z.dataset['n'] = String(n);
  box.body.append(
    z,
    el(
      'p',
      'muted small',
      t('actRange', { a: fmt(v.input.min), b: fmt(v.input.max), c: fmt(v.output.min), d: fmt(v.output.max) }),
    ),
  );
  if (v.input.totalChannels > v.input.shape[0])
    box.body.append(
      el('p', 'muted small', t('showingChannels', { shown: v.input.shape[0], total: v.input.totalChannels })),
    );
  return box.root;
}

/** Arithmetic with a number or a tensor the model holds: the operation written out, value by value. */
function arithmeticCard(v: LayerView, e: Extract<Explain, { kind: 'arithmetic' }>): HTMLElement {
  const box = card(t('arithTitle'), 'explain explain-arith');
  box.body.append(
    el('code', 'formula-line', e.formula),
    el('p', 'hint', t('arithHint')),
    el(
      'p',
      'muted small',
      t('actRange', { a: fmt(v.input.min), b: fmt(v.input.max), c: fmt(v.output.min), d: fmt(v.output.max) }),
    ),
  );
  return box.root;
}

/** The layer's explanation card, if it has one (merges have their own view: ./merge.ts). */
export function explainCard(v: LayerView): HTMLElement | null {
  const e = v.explain;
  if (!e) return null;
  if (e.kind === 'batchNorm') return batchNormCard(v, e);
  if (e.kind === 'dropout') return dropoutCard(v, e);
  if (e.kind === 'activation') return activationCard(v, e);
  if (e.kind === 'arithmetic') return arithmeticCard(v, e);
  return null;
}
