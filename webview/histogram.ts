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
