/**
 * Sliding-window geometry for the panel, all derived from the layer's Geometry record (the host
 * computes it once, with the framework's rules): where the stamp sits for an output cell, how
 * often each input cell is stamped (participation), which cells a pooling window never reaches,
 * and the 'valid' / 'same' sizes for the comparison. Grid coordinates include the padding ring:
 * grid (gy, gx) = input (gy − padTop, gx − padLeft).
 * 'same' follows TF/Keras: out = ⌈in/stride⌉, total pad max((out−1)·s + (k−1)·d + 1 − in, 0),
 * the smaller half on top/left.
 */
import type { Geometry } from '../src/shared/protocol';
import { effectiveKernel, paddedOut, samePlan, type AxisPlan } from '../src/shared/window';

export const dilatedKernel = effectiveKernel;

export type { AxisPlan };

/** 'valid' along one axis; null when the (dilated) kernel is larger than the input. */
export function validAxis(inSize: number, k: number, s: number, d: number): AxisPlan | null {
  return inSize < dilatedKernel(k, d) ? null : { out: paddedOut(inSize, 0, 0, k, s, d), before: 0, after: 0 };
}

/** 'same' along one axis (TF/Keras rule, see the header). */
export function sameAxis(inSize: number, k: number, s: number, d: number): AxisPlan {
  return samePlan(inSize, k, s, d);
}

/** The layer's geometry as it would be with the other padding mode (null: does not fit). */
export function withPadding(g: Geometry, mode: 'valid' | 'same'): Geometry | null {
  const plan = mode === 'valid' ? validAxis : sameAxis;
  const h = plan(g.inH, g.kernel[0], g.strides[0], g.dilation[0]);
  const w = plan(g.inW, g.kernel[1], g.strides[1], g.dilation[1]);
  if (!h || !w) return null;
  return { ...g, outH: h.out, outW: w.out, pads: [h.before, h.after, w.before, w.after], padding: mode };
}

/** True when the geometry pads nothing (PyTorch padding=0 is 'valid' by another name). */
export function isUnpadded(g: Geometry): boolean {
  return g.pads.every((p) => p === 0);
}

/** How the layer pads, in words for the summary: 'valid', 'same', or the explicit pads. */
export function paddingKind(g: Geometry): 'valid' | 'same' | 'explicit' | 'causal' {
  if (g.padding === 'explicit' && isUnpadded(g)) return 'valid';
  return g.padding;
}

export function gridSize(g: Geometry): [number, number] {
  return [g.inH + g.pads[0] + g.pads[1], g.inW + g.pads[2] + g.pads[3]];
}

/** Grid cells (padded coordinates) covered by the window of output (oy, ox), row-major kernel order. */
export function windowCells(g: Geometry, oy: number, ox: number): { gy: number; gx: number }[] {
  const out: { gy: number; gx: number }[] = [];
  for (let ky = 0; ky < g.kernel[0]; ky++) {
    for (let kx = 0; kx < g.kernel[1]; kx++)
      out.push({ gy: oy * g.strides[0] + ky * g.dilation[0], gx: ox * g.strides[1] + kx * g.dilation[1] });
  }
  return out;
}

/** How many windows cover each grid position along one axis. */
function axisCounts(grid: number, out: number, k: number, s: number, d: number): Int32Array {
  const c = new Int32Array(grid);
  for (let o = 0; o < out; o++) {
    for (let t = 0; t < k; t++) {
      const p = o * s + t * d;
      if (p < grid) c[p]!++;
    }
  }
  return c;
}

/**
 * Participation counts over the padded grid: how many stamp positions use each cell. Windows are
 * a product of a row set and a column set, so the count is rowCount · colCount.
 */
export function participation(g: Geometry): { rows: number; cols: number; counts: Int32Array } {
  const [rows, cols] = gridSize(g);
  const rc = axisCounts(rows, g.outH, g.kernel[0], g.strides[0], g.dilation[0]);
  const cc = axisCounts(cols, g.outW, g.kernel[1], g.strides[1], g.dilation[1]);
  const counts = new Int32Array(rows * cols);
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) counts[y * cols + x] = rc[y]! * cc[x]!;
  return { rows, cols, counts };
}

export interface ParticipationSummary {
  corner: number;
  edge: number;
  centre: number;
  max: number;
}

/**
 * The textbook's three numbers on the real input cells: a corner, the cell next to it on the top
 * edge, and the most-used cell (4/2/1 for 3×3 on 4×4 'valid', 9/6/4 with one pixel of padding).
 */
export function summarize(g: Geometry, p: { cols: number; counts: Int32Array }): ParticipationSummary {
  const at = (y: number, x: number): number => p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]]!;
  let max = 0;
  for (let y = 0; y < g.inH; y++) for (let x = 0; x < g.inW; x++) max = Math.max(max, at(y, x));
  return { corner: at(0, 0), edge: g.inW > 1 ? at(0, 1) : at(0, 0), centre: max, max };
}

/** Output cells whose window includes input cell (iy, ix): the reverse of the stamp. */
export function usersOf(g: Geometry, iy: number, ix: number): { oy: number; ox: number }[] {
  const axis = (p: number, out: number, k: number, s: number, d: number): number[] => {
    const os: number[] = [];
    for (let t = 0; t < k; t++) {
      const q = p - t * d;
      if (q >= 0 && q % s === 0 && q / s < out) os.push(q / s);
    }
    return os.sort((a, b) => a - b);
  };
  const ys = axis(iy + g.pads[0], g.outH, g.kernel[0], g.strides[0], g.dilation[0]);
  const xs = axis(ix + g.pads[2], g.outW, g.kernel[1], g.strides[1], g.dilation[1]);
  return ys.flatMap((oy) => xs.map((ox) => ({ oy, ox })));
}

export interface AxisFormula {
  /** "(28 + 1 + 1 − 3) / 1 + 1 = 28" or "⌈28 / 2⌉ = 14". */
  text: string;
  value: number;
}

/**
 * The output size along one axis with the arithmetic shown: ⌊(in + pads − dilated k) / s⌋ + 1, or
 * ⌈in / s⌉ for 'same'. When the floor rule does not give the host's size (PyTorch ceil_mode), the
 * ceiling form is shown instead; the value is always the host's.
 */
export function axisFormula(g: Geometry, axis: 'h' | 'w'): AxisFormula {
  const [inS, k, s, d, a, b, out] =
    axis === 'h'
      ? [g.inH, g.kernel[0], g.strides[0], g.dilation[0], g.pads[0], g.pads[1], g.outH]
      : [g.inW, g.kernel[1], g.strides[1], g.dilation[1], g.pads[2], g.pads[3], g.outW];
  if (g.padding === 'same') return { text: `⌈${inS} / ${s}⌉ = ${out}`, value: out };
  const kText = d > 1 ? `((${k} − 1)·${d} + 1)` : `${k}`;
  const padText = a + b > 0 ? ` + ${a} + ${b}` : '';
  const num = `${inS}${padText} − ${kText}`;
  const floorOut = paddedOut(inS, a, b, k, s, d);
  if (floorOut === out)
    return { text: s === 1 ? `(${num}) + 1 = ${out}` : `⌊(${num}) / ${s}⌋ + 1 = ${out}`, value: out };
  return { text: `⌈(${num}) / ${s}⌉ + 1 = ${out}`, value: out };
}

/** A size as the layer reads it: "10" for a sequence (rank 1), "28×28" otherwise. */
export function sizeText(g: Pick<Geometry, 'rank'>, h: number, w: number): string {
  return g.rank === 1 ? String(w) : `${h}×${w}`;
}

/**
 * The layer's geometry with another stride on every sliding axis (a sequence's height stays one
 * step): 'same' re-plans its padding for the stride (TF/Keras rule), other modes keep their pads.
 * The output size is the floor rule ⌊(in + pads − k) / s⌋ + 1; null when the kernel does not fit.
 */
export function withStride(g: Geometry, s: number): Geometry | null {
  const axis = (inS: number, k: number, d: number, a: number, b: number): AxisPlan | null => {
    if (g.padding === 'same') return sameAxis(inS, k, s, d);
    if (inS + a + b < dilatedKernel(k, d)) return null;
    return { out: paddedOut(inS, a, b, k, s, d), before: a, after: b };
  };
  const h =
    g.rank === 1 ? { out: 1, before: 0, after: 0 } : axis(g.inH, g.kernel[0], g.dilation[0], g.pads[0], g.pads[1]);
  const w = axis(g.inW, g.kernel[1], g.dilation[1], g.pads[2], g.pads[3]);
  if (!h || !w || h.out < 1 || w.out < 1) return null;
  return {
    ...g,
    strides: [g.rank === 1 ? 1 : s, s],
    outH: h.out,
    outW: w.out,
    pads: [h.before, h.after, w.before, w.after],
  };
}

/** The top-left grid cell of every stamp position (padded coordinates), in reading order. */
export function stampAnchors(g: Geometry): { gy: number; gx: number }[] {
  const out: { gy: number; gx: number }[] = [];
  for (let oy = 0; oy < g.outH; oy++)
    for (let ox = 0; ox < g.outW; ox++) out.push({ gy: oy * g.strides[0], gx: ox * g.strides[1] });
  return out;
}

/**
 * What a participation heatmap shows, on the real input cells: the smallest and largest count,
 * the corner's (a sequence's ends), where the largest is (a band of rows and columns when those
 * are contiguous — with stride 1 they are — else how many cells), and the counts of the first
 * row (all of a sequence). On a 4×4 input with a 3×3 kernel: 'valid' 1…4, the most on rows 1–2,
 * columns 1–2, first row 1 2 2 1; 'same' 4…9, first row 4 6 6 4.
 */
export interface ParticipationFacts {
  min: number;
  max: number;
  corner: number;
  /** Input rows/columns holding the largest count, when contiguous: [first, last]. */
  maxRows: [number, number] | null;
  maxCols: [number, number] | null;
  /** How many input cells hold the largest count. */
  maxCells: number;
  firstRow: number[];
  /** Input cells no stamp position uses (a stride larger than the kernel, a dropped border). */
  unused: number;
}

export function participationFacts(g: Geometry, p: { cols: number; counts: Int32Array }): ParticipationFacts {
  const at = (y: number, x: number): number => p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]]!;
  let [min, max, unused] = [Infinity, 0, 0];
  for (let y = 0; y < g.inH; y++)
    for (let x = 0; x < g.inW; x++) {
      const n = at(y, x);
      min = Math.min(min, n);
      max = Math.max(max, n);
      if (n === 0) unused++;
    }
  const rows = new Set<number>();
  const cols = new Set<number>();
  let maxCells = 0;
  for (let y = 0; y < g.inH; y++)
    for (let x = 0; x < g.inW; x++)
      if (at(y, x) === max) {
        maxCells++;
        rows.add(y);
        cols.add(x);
      }
  const span = (s: Set<number>): [number, number] | null => {
    const v = [...s].sort((a, b) => a - b);
    return v.length > 0 && v[v.length - 1]! - v[0]! === v.length - 1 ? [v[0]!, v[v.length - 1]!] : null;
  };
  // the largest count fills a rectangle exactly when its rows and columns are contiguous bands
  const [maxRows, maxCols] = [span(rows), span(cols)];
  const rect = maxRows && maxCols && (maxRows[1] - maxRows[0] + 1) * (maxCols[1] - maxCols[0] + 1) === maxCells;
  return {
    min: Number.isFinite(min) ? min : 0,
    max,
    corner: at(0, 0),
    maxRows: rect ? maxRows : null,
    maxCols: rect ? maxCols : null,
    maxCells,
    firstRow: Array.from({ length: g.inW }, (_, x) => at(0, x)),
    unused,
  };
}

/** Counts written out: all of them up to 12, else the first and last five around "…". */
export function countsText(counts: number[]): string {
  if (counts.length <= 12) return counts.join(' ');
  return [...counts.slice(0, 5), '…', ...counts.slice(-5)].join(' ');
}

/** "1–2", or "3" for a band of one. */
export function bandText(b: [number, number]): string {
  return b[0] === b[1] ? String(b[0]) : `${b[0]}–${b[1]}`;
}
