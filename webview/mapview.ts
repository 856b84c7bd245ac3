/**
 * One large, interactive map: the values on a canvas at one pixel per cell (scaled up crisply by
 * CSS), the padding ring drawn as hatched, dim cells around it, grid lines and numbers when the
 * cells are big enough, and a marks layer for the stamp (window, winner, cursor). Grid coordinates
 * include the padding: grid (gy, gx) = value (gy − padTop, gx − padLeft).
 */
import { el, cssVar, forgetCssVars } from './dom';

/** Cells narrower than this (CSS pixels) get no outline each when there are many of them. */
const MIN_OUTLINED_CELL = 3;
const MAX_THIN_OUTLINES = 256;

export interface CellText {
  text: string;
  ink: string;
}

export interface MapViewOptions {
  h: number;
  w: number;
  /** top, bottom, left, right */
  pads?: readonly [number, number, number, number];
  /** Largest side on screen, CSS pixels. */
  box: number;
  label: string;
  /** Draws the h×w values into the canvas (one pixel each). */
  paint: (canvas: HTMLCanvasElement) => void;
  /** Text for a real cell when cells are large enough to hold it. */
  cellText?: (y: number, x: number) => CellText | null;
  /** Text on padding cells (their value, 0); null for none. */
  padText?: string | null;
  /** Real cells to hatch (a pooling window never reaches them). */
  hatched?: (y: number, x: number) => boolean;
  onHover?: (cell: GridCell | null) => void;
  onClick?: (cell: GridCell) => void;
}

export interface GridCell {
  gy: number;
  gx: number;
}

export type MarkStyle = 'window' | 'winner' | 'cursor' | 'users';

export interface Mark {
  style: MarkStyle;
  cells: GridCell[];
}

/** Cells at least this large get numbers; at least MIN_GRID get grid lines. */
const MIN_TEXT = 22;
const MIN_GRID = 7;

interface Palette {
  accent: string;
  winner: string;
  hatch: string;
  dropped: string;
  grid: string;
  padFill: string;
}

let palette: Palette | null = null;

/** Forget cached theme colours (the theme changed). */
export function themeChanged(): void {
  palette = null;
  forgetCssVars();
}

function colors(): Palette {
  palette ??= {
    accent: cssVar('--vscode-focusBorder', '#0078d4'),
    winner: cssVar('--vscode-charts-orange', '#d18616'),
    hatch: cssVar('--vscode-descriptionForeground', '#888888'),
    dropped: cssVar('--vscode-charts-red', '#f14c4c'),
    grid: 'rgba(128, 128, 128, 0.35)',
    padFill: 'rgba(128, 128, 128, 0.16)',
  };
  return palette;
}

function hatchPattern(ctx: CanvasRenderingContext2D, color: string, scale: number): CanvasPattern | null {
  const s = Math.max(4, Math.round(6 * scale));
  const c = document.createElement('canvas');
  c.width = c.height = s;
  const g = c.getContext('2d')!;
  g.strokeStyle = color;
  g.lineWidth = Math.max(1, scale);
  g.beginPath();
  g.moveTo(0, s);
  g.lineTo(s, 0);
  g.moveTo(-s / 2, s / 2);
  g.lineTo(s / 2, -s / 2);
  g.moveTo(s / 2, s * 1.5);
  g.lineTo(s * 1.5, s / 2);
  g.stroke();
  return ctx.createPattern(c, 'repeat');
}

export class MapView {
  readonly root: HTMLDivElement;
  readonly rows: number;
  readonly cols: number;
  /** CSS pixels per cell. */
  readonly cell: number;
  private readonly pads: readonly [number, number, number, number];
  private readonly marks: HTMLCanvasElement;
  private readonly dpr = Math.min(2, window.devicePixelRatio || 1);

  constructor(private readonly o: MapViewOptions) {
    this.pads = o.pads ?? [0, 0, 0, 0];
    const [pt, pb, pl, pr] = this.pads;
    this.rows = o.h + pt + pb;
    this.cols = o.w + pl + pr;
    const fit = o.box / Math.max(this.rows, this.cols);
    this.cell = fit >= 1 ? Math.max(1, Math.min(48, Math.floor(fit))) : fit;
    const [W, H] = [this.cols * this.cell, this.rows * this.cell];
    this.root = el('div', 'mapview');
    this.root.setAttribute('role', 'img');
    this.root.setAttribute('aria-label', o.label);
    this.root.dataset['rows'] = String(this.rows);
    this.root.dataset['cols'] = String(this.cols);
    this.root.style.width = `${W}px`;
    this.root.style.height = `${H}px`;
    const base = el('canvas', 'mapview-base pixelated');
    o.paint(base);
    base.style.left = `${pl * this.cell}px`;
    base.style.top = `${pt * this.cell}px`;
    base.style.width = `${o.w * this.cell}px`;
    base.style.height = `${o.h * this.cell}px`;
    const overlay = this.layer(W, H);
    this.marks = this.layer(W, H);
    this.root.append(base, overlay, this.marks);
    this.drawStatic(overlay);
    if (o.onHover || o.onClick) this.listen();
  }

  private layer(W: number, H: number): HTMLCanvasElement {
    const c = el('canvas', 'mapview-layer');
    c.width = Math.ceil(W * this.dpr);
    c.height = Math.ceil(H * this.dpr);
    c.style.width = `${W}px`;
    c.style.height = `${H}px`;
    return c;
  }

  private ctx(c: HTMLCanvasElement): CanvasRenderingContext2D {
    const g = c.getContext('2d')!;
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    return g;
  }

  private drawStatic(c: HTMLCanvasElement): void {
    const g = this.ctx(c);
    const p = colors();
    const [pt, , pl] = this.pads;
    const s = this.cell;
    const isPad = (gy: number, gx: number): boolean => gy < pt || gx < pl || gy >= pt + this.o.h || gx >= pl + this.o.w;
    const padPattern = hatchPattern(g, p.hatch, this.dpr / 2 + 0.5);
    const dropPattern = this.o.hatched ? hatchPattern(g, p.dropped, this.dpr / 2 + 0.5) : null;
    for (let gy = 0; gy < this.rows; gy++) {
      for (let gx = 0; gx < this.cols; gx++) {
        if (isPad(gy, gx)) {
          g.fillStyle = p.padFill;
          g.fillRect(gx * s, gy * s, s, s);
          if (padPattern) {
            g.fillStyle = padPattern;
            g.fillRect(gx * s, gy * s, s, s);
          }
        } else if (dropPattern && this.o.hatched!(gy - pt, gx - pl)) {
          g.fillStyle = dropPattern;
          g.fillRect(gx * s, gy * s, s, s);
        }
      }
    }
    if (s >= MIN_GRID) {
      g.strokeStyle = p.grid;
      g.lineWidth = 1 / this.dpr;
      g.beginPath();
      for (let y = 0; y <= this.rows; y++) {
        g.moveTo(0, y * s);
        g.lineTo(this.cols * s, y * s);
      }
      for (let x = 0; x <= this.cols; x++) {
        g.moveTo(x * s, 0);
        g.lineTo(x * s, this.rows * s);
      }
      g.stroke();
    }
    if (s >= MIN_TEXT) {
      g.font = `${Math.min(13, Math.round(s * 0.34))}px ${cssVar('--vscode-editor-font-family', 'monospace')}`;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      const padText = this.o.padText === undefined ? '0' : this.o.padText;
      for (let gy = 0; gy < this.rows; gy++) {
        for (let gx = 0; gx < this.cols; gx++) {
          const t = isPad(gy, gx)
            ? padText === null
              ? null
              : { text: padText, ink: p.hatch }
            : (this.o.cellText?.(gy - pt, gx - pl) ?? null);
          if (!t) continue;
          g.fillStyle = t.ink;
          g.fillText(t.text, gx * s + s / 2, gy * s + s / 2 + 0.5, s - 2);
        }
      }
    }
  }

  /** Replaces the marks (stamp window, winner, cursor…). */
  setMarks(marks: Mark[]): void {
    const g = this.ctx(this.marks);
    g.clearRect(0, 0, this.cols * this.cell, this.rows * this.cell);
    const p = colors();
    const s = this.cell;
    const line = Math.max(1.5, Math.min(3, s / 6));
    for (const m of marks) {
      const cells = m.cells.filter((c) => c.gy >= 0 && c.gx >= 0 && c.gy < this.rows && c.gx < this.cols);
      if (cells.length === 0) continue;
      const color = m.style === 'winner' ? p.winner : p.accent;
      if (m.style !== 'cursor') {
        g.globalAlpha = m.style === 'winner' ? 0.55 : 0.32;
        g.fillStyle = color;
        for (const c of cells) g.fillRect(c.gx * s, c.gy * s, s, s);
        g.globalAlpha = 1;
      }
      g.strokeStyle = color;
      g.lineWidth = line;
      if (m.style === 'window') {
        const ys = cells.map((c) => c.gy);
        const xs = cells.map((c) => c.gx);
        const [y0, x0] = [Math.min(...ys), Math.min(...xs)];
        const [y1, x1] = [Math.max(...ys) + 1, Math.max(...xs) + 1];
        g.strokeRect(x0 * s - line / 2, y0 * s - line / 2, (x1 - x0) * s + line, (y1 - y0) * s + line);
      } else if (m.style !== 'users' && (s >= MIN_OUTLINED_CELL || cells.length <= MAX_THIN_OUTLINES)) {
        // one path for all the outlines (a stride-1 map of 224×224 has 50,176 of them); cells
        // narrower than a few pixels are not outlined one by one: the outlines would cover them
        g.beginPath();
        for (const c of cells) g.rect(c.gx * s - line / 2, c.gy * s - line / 2, s + line, s + line);
        g.stroke();
      }
    }
  }

  /** The grid cell under a pointer event, or null outside. */
  cellAt(e: MouseEvent): GridCell | null {
    const r = this.root.getBoundingClientRect();
    const gx = Math.floor((e.clientX - r.left) / this.cell);
    const gy = Math.floor((e.clientY - r.top) / this.cell);
    return gy >= 0 && gx >= 0 && gy < this.rows && gx < this.cols ? { gy, gx } : null;
  }

  private listen(): void {
    let last = '';
    this.root.addEventListener('pointermove', (e) => {
      const c = this.cellAt(e);
      const k = c ? `${c.gy},${c.gx}` : '';
      if (k === last) return;
      last = k;
      this.o.onHover?.(c);
    });
    this.root.addEventListener('pointerleave', () => {
      last = '';
      this.o.onHover?.(null);
    });
    this.root.addEventListener('click', (e) => {
      const c = this.cellAt(e);
      if (c) this.o.onClick?.(c);
    });
  }
}
