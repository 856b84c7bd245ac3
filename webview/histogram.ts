/**
 * A histogram of a weight tensor on a canvas (shared by the explorer's Weights card and the model
 * file editor): bars in the theme's chart colour, a line at zero when zero is inside the range.
 */
import type { ParamStats } from '../src/shared/weightStats';
import { cssVar, el } from './dom';

/** A number in a few characters: 0.0123, -1.5, 2.4e-5. */
export function short(v: number): string {
  if (v === 0) return '0';
  return Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}

export function histogramCanvas(s: ParamStats, width: number, height: number, label: string): HTMLCanvasElement {
  const c = el('canvas', 'hist');
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(width * dpr);
  c.height = Math.round(height * dpr);
  c.style.width = `${width}px`;
  c.style.height = `${height}px`;
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  const g = c.getContext('2d');
  if (!g) return c;
  g.scale(dpr, dpr);
  const peak = Math.max(1, ...s.bins);
  const w = width / s.bins.length;
  g.fillStyle = cssVar('--vscode-charts-blue', '#3794ff');
  s.bins.forEach((b, i) => {
    const h = b === 0 ? 0 : Math.max(1, (b / peak) * (height - 2));
    g.fillRect(i * w + 0.5, height - h, Math.max(1, w - 1), h);
  });
  if (s.min < 0 && s.max > 0) {
    g.fillStyle = cssVar('--vscode-descriptionForeground', '#888');
    g.fillRect(Math.round(((0 - s.min) / (s.max - s.min)) * width), 0, 1, height);
  }
  return c;
}

/** Words of a tensor's statistics block, in the page's language. */
export interface StatsWords {
  /** The histogram's accessible label. */
  label: (s: ParamStats) => string;
  /** "mean … · std … · … values". */
  moments: (s: ParamStats) => string;
}

/**
 * One parameter tensor: its name and shape, the histogram with the range under it, and its
 * moments (NaN/Inf counted apart). The Explorer's Weights card and the model viewer both use it.
 */
export function statsBlock(s: ParamStats, width: number, height: number, words: StatsWords): HTMLElement {
  const sec = el('section', 'weights-param');
  sec.append(el('h3', 'mono small', `${s.name} (${s.shape.join(', ')})`));
  sec.append(histogramCanvas(s, width, height, words.label(s)));
  const axis = el('div', 'weights-axis mono muted small');
  axis.style.width = `${width}px`;
  axis.append(el('span', '', short(s.min)), el('span', '', short(s.max)));
  sec.append(axis);
  const nonFinite = s.nonFinite ? ` · NaN/Inf ${s.nonFinite.toLocaleString('en-US')}` : '';
  sec.append(el('p', 'mono small', words.moments(s) + nonFinite));
  return sec;
}
