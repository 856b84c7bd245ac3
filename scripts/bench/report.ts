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
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
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

/** A speed ratio column: peer time ÷ ConvLens time in one mode (> 1: ConvLens faster). */
export interface Ratio {
  head: string;
  mine: PeerId;
  peer: PeerId;
}

export const RATIOS: readonly Ratio[] = [
  { head: 'fast÷wasm', mine: 'convlens', peer: 'tfjs-wasm' },
  { head: '2w÷wasm', mine: 'convlens-2w', peer: 'tfjs-wasm' },
  { head: 'TS÷cpu', mine: 'convlens-ts', peer: 'tfjs-cpu' },
  /** The layout's cost: channels-first time ÷ channels-last time, both ConvLens fast on 1 thread. */
  { head: 'cf÷cl', mine: 'convlens', peer: 'convlens-cf' },
];

export function speedRatio(r: CaseResult, mine: PeerId, peer: PeerId): number | undefined {
  const a = r.stats[mine]?.median;
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

const TIMED: readonly [PeerId, string][] = [
  ['convlens', 'fast'],
  ['convlens-cf', 'NCHW'],
  ['convlens-2w', '2w'],
  ['convlens-ts', 'TS'],
  ['tfjs-cpu', 'tfjs-cpu'],
  ['tfjs-wasm', 'tfjs-wasm'],
];

export function renderTable(results: readonly CaseResult[]): string {
  const cols: Col[] = [
    { head: 'config', right: false },
    { head: 'FLOPs', right: true },
    ...TIMED.map(([, h]) => ({ head: h, right: true })),
    ...TIMED.map(([, h]) => ({ head: h, right: true })),
    ...RATIOS.map((q) => ({ head: q.head, right: true })),
  ];
  const groups: [string, number][] = [
    ['', 2],
    ['median ms', TIMED.length],
    ['GFLOP/s', TIMED.length],
    ['speed ratios', RATIOS.length],
  ];
  const rows = results.map((r) => {
    const pool = r.kind === 'maxpool';
    const m = (p: PeerId) => r.stats[p]?.median;
    return [
      r.name,
      si(r.flops) + (pool ? '†' : ''),
      ...TIMED.map(([p]) => ms(m(p))),
      ...TIMED.map(([p]) => rate(gflops(r.flops, m(p)))),
      ...RATIOS.map((q) => ratio(speedRatio(r, q.mine, q.peer))),
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

export interface Target {
  ok: boolean;
  text: string;
}

/** The speed targets against tfjs, judged on this run's medians. */
export function checkTargets(results: readonly CaseResult[]): Target[] {
  const withWasm = results.filter((r) => r.stats['tfjs-wasm']);
  const list = (rs: readonly CaseResult[], q: Ratio): string =>
    rs.map((r) => `${r.name} ${ratio(speedRatio(r, q.mine, q.peer))}`).join('; ');
  const judge = (rs: readonly CaseResult[], q: Ratio, min: number, what: string): Target => {
    const vals = rs.map((r) => speedRatio(r, q.mine, q.peer) ?? 0);
    const ok = rs.length > 0 && vals.every((v) => v >= min);
    const worst = rs.length ? Math.min(...vals) : NaN;
    const failing = rs.filter((_, i) => vals[i]! < min);
    return {
      ok,
      text: `${what}: ≥ ${min}× (worst ${ratio(worst)})${failing.length ? ` — below: ${list(failing, q)}` : ''}`,
    };
  };
  const heaviest = [...withWasm].sort((a, b) => b.flops - a.flops).slice(0, 3);
  return [
    judge(withWasm, RATIOS[0]!, 1.0, `fast (1 thread) vs tfjs-wasm, all ${withWasm.length} configurations`),
    judge(
      heaviest,
      RATIOS[1]!,
      1.6,
      `fast (2 workers) vs tfjs-wasm, the 3 heaviest (${heaviest.map((r) => r.name).join(', ')})`,
    ),
    judge(
      results.filter((r) => r.stats['tfjs-cpu']),
      RATIOS[2]!,
      3.0,
      'pure TS vs tfjs-cpu, all configurations',
    ),
  ];
}
