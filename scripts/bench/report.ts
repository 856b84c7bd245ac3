/** The printed table. */
import type { PeerId } from './peers';
import type { Stats } from './timing';

export interface CaseResult {
  id: string;
  name: string;
  kind: string;
  layout: string;
  flops: number;
  /** Missing peers were not run (e.g. tfjs on the channels-first case). */
  stats: Partial<Record<PeerId, Stats>>;
}

export function si(n: number): string {
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (n >= v) return `${(n / v).toPrecision(3)} ${u}`;
  return String(n);
}

export function ms(v: number | undefined): string {
  if (v === undefined) return '—';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

export function gflops(flops: number, msMedian: number | undefined): number | undefined {
  return msMedian === undefined ? undefined : flops / (msMedian * 1e6);
}

function rate(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** ConvLens speed ÷ peer speed = peer time ÷ ConvLens time; > 1 means ConvLens is faster. */
export function speedRatio(r: CaseResult, peer: PeerId): number | undefined {
  const a = r.stats.convlens?.median;
  const b = r.stats[peer]?.median;
  return a === undefined || b === undefined ? undefined : b / a;
}

function ratio(v: number | undefined): string {
  if (v === undefined) return '—';
  return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
}

interface Col {
  head: string;
  right: boolean;
}

export function renderTable(results: readonly CaseResult[]): string {
  const cols: Col[] = [
    { head: 'config', right: false },
    { head: 'FLOPs', right: true },
    { head: 'ConvLens', right: true },
    { head: 'tfjs-cpu', right: true },
    { head: 'tfjs-wasm', right: true },
    { head: 'ConvLens', right: true },
    { head: 'tfjs-cpu', right: true },
    { head: 'tfjs-wasm', right: true },
    { head: '÷cpu', right: true },
    { head: '÷wasm', right: true },
  ];
  const groups: [string, number][] = [['', 2], ['median ms', 3], ['GFLOP/s', 3], ['ConvLens speed', 2]];
  const rows = results.map((r) => {
    const pool = r.kind === 'maxpool';
    const m = (p: PeerId) => r.stats[p]?.median;
    return [
      r.name,
      si(r.flops) + (pool ? '†' : ''),
      ms(m('convlens')), ms(m('tfjs-cpu')), ms(m('tfjs-wasm')),
      rate(gflops(r.flops, m('convlens'))), rate(gflops(r.flops, m('tfjs-cpu'))), rate(gflops(r.flops, m('tfjs-wasm'))),
      ratio(speedRatio(r, 'tfjs-cpu')), ratio(speedRatio(r, 'tfjs-wasm')),
    ];
  });
  const width = cols.map((c, i) => Math.max(c.head.length, ...rows.map((row) => row[i]!.length)));
  const sep = ' │ ';
  const gap = '  ';
  // Group header: each group spans its columns (joined by `gap`), groups joined by `sep`.
  const spans: number[][] = [];
  let ci = 0;
  for (const [, n] of groups) {
    spans.push(width.slice(ci, ci + n));
    ci += n;
  }
  const line = (cells: string[]): string => {
    const out: string[] = [];
    let k = 0;
    for (const [, n] of groups) {
      const part: string[] = [];
      for (let j = 0; j < n; j++, k++) {
        const c = cells[k]!;
        part.push(cols[k]!.right ? c.padStart(width[k]!) : c.padEnd(width[k]!));
      }
      out.push(part.join(gap));
    }
    return out.join(sep).trimEnd();
  };
  const groupLine = groups
    .map(([g], i) => {
      const w = spans[i]!.reduce((a, b) => a + b, 0) + gap.length * (spans[i]!.length - 1);
      const pad = Math.max(0, w - g.length);
      return ' '.repeat(Math.floor(pad / 2)) + g + ' '.repeat(pad - Math.floor(pad / 2));
    })
    .join(sep)
    .trimEnd();
  const rule = groups
    .map((_, i) => '─'.repeat(spans[i]!.reduce((a, b) => a + b, 0) + gap.length * (spans[i]!.length - 1)))
    .join('─┼─');
  return [groupLine, line(cols.map((c) => c.head)), rule, ...rows.map(line)].join('\n');
}
