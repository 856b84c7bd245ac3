/**
 * `npm run bench` — ConvLens's engine (src/engine) side by side with TensorFlow.js, on the same
 * convolutions and pooling, in one process. Five contestants:
 *   - ConvLens fast (1 thread): the WebAssembly SIMD kernels (src/engine/wasm), one thread;
 *   - ConvLens fast (2 workers): the same kernels with output rows split over 2 threads (the
 *     calling thread + 1 worker_thread, shared memory: src/worker/threads.ts);
 *   - ConvLens pure TS: the reference TypeScript path (setKernelPath('reference'));
 *   - tfjs-cpu: TensorFlow.js's CPU backend (plain JS);
 *   - tfjs-wasm: TensorFlow.js's WASM backend (XNNPACK, SIMD when available; one thread, as
 *     tfjs-wasm cannot use threads under Node).
 *
 * What is measured: one op call, batch 1, float32, NHWC / Keras 'same' padding, conv with bias.
 * Inputs are built before timing; the output allocation is inside it. tfjs times include
 * `dataSync()` (so the lazy work is really done and the result is readable from JS) and the
 * disposal of the output. Every case also runs on ConvLens fast (1 thread) in PyTorch's
 * channels-first layout (NCHW input, OIHW weights, the same numbers transposed), timed with the
 * other fast contestants, so that what the layout costs shows per case; tfjs has no peer for it.
 *
 * Before any timing, every case's output in each ConvLens mode is checked against tfjs-cpu (and
 * tfjs-wasm against tfjs-cpu): max |Δ| must be ≤ 1e-4 × max |output|, else the run aborts with
 * exit code 1.
 *
 * Contestants that are compared with each other are timed interleaved, one sample of each in
 * turn (samples of ≥ 50 ms, the order rotating; scripts/bench/timing.ts): ConvLens fast, fast on
 * 2 workers and tfjs-wasm together, then ConvLens pure TS and tfjs-cpu together. On a shared
 * machine the load of other processes, the allocator's state (a large output is fresh memory,
 * page-faulted in, or recycled memory, depending on what was freed before) and garbage
 * collections change over seconds; timed one after the other, a contestant could get a quiet
 * stretch and its peer a busy one. Interleaved, both see the same conditions.
 *
 * How to read the table:
 *   - "median ms": median time per call over the samples (warm-up runs excluded).
 *   - "GFLOP/s": FLOPs ÷ median time; FLOPs = 2 × multiply-accumulates, padding taps included
 *     (bias not counted). For max pooling (†) it is one compare per window element instead.
 *   - speed ratios are peer time ÷ ConvLens time (> 1: ConvLens is faster): "fast÷wasm" and
 *     "2w÷wasm" against tfjs-wasm, "TS÷cpu" (pure TS against tfjs-cpu); "cf÷cl" is ConvLens fast's
 *     channels-first time ÷ its channels-last time (> 1: the NCHW layout is slower).
 *   - the speed targets (ConvLens against tfjs, per thread count) are checked after the table.
 * On a shared/noisy machine compare within one run rather than across runs; results.json keeps
 * the quartiles and sample counts to judge the spread.
 *
 * Usage: npx tsx scripts/bench.ts [--quick] [--filter <substr>]...
 *   --quick            fewer and shorter runs (a smoke test, numbers are rougher)
 *   --filter <substr>  only cases whose id or name contains substr (case-insensitive);
 *                      repeatable, a case matching any filter runs
 * Writes .bench/results.json (gitignored).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASES, flopsOf, makeData, type BenchCase, type CaseData } from './bench/cases';
import { compare, REL_TOL, type Agreement } from './bench/check';
import {
  CONVLENS_MODES,
  PEER_LABEL,
  convLensRunner,
  initTfjs,
  tfjsRunner,
  useBackend,
  useConvLens,
  type ConvLensMode,
  type PeerId,
  type Runner,
} from './bench/peers';
import { RATIOS, checkTargets, gflops, ms, renderTable, si, speedRatio, type CaseResult } from './bench/report';
import { FULL, QUICK, measureInterleaved, type Contestant, type Stats } from './bench/timing';
import { disableEngineThreads } from '../src/worker/threads';

interface Args {
  quick: boolean;
  filters: string[];
}

function usage(): string {
  return 'usage: tsx scripts/bench.ts [--quick] [--filter <substr>]...';
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quick: false, filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--quick') a.quick = true;
    else if (s === '--filter') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('--filter needs a value');
      a.filters.push(v);
    } else if (s.startsWith('--filter=')) a.filters.push(s.slice('--filter='.length));
    else if (s === '--help' || s === '-h') {
      console.log(usage());
      console.log(`cases:\n${CASES.map((c) => `  ${c.id.padEnd(30)} ${c.name}`).join('\n')}`);
      process.exit(0);
    } else throw new UsageError(`unknown argument ${s}`);
  }
  return a;
}

class UsageError extends Error {}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function repoRoot(): string {
  return typeof __dirname === 'string' ? path.resolve(__dirname, '..') : process.cwd();
}

/** Channels-last twin of a case (tfjs runs every case in NHWC). */
function asChannelsLast(c: BenchCase): BenchCase {
  return c.layout === 'channelsLast' ? c : { ...c, layout: 'channelsLast' };
}

/** Channels-first twin of a case (PyTorch's layout, ConvLens only). */
function asChannelsFirst(c: BenchCase): BenchCase {
  return { ...c, layout: 'channelsFirst' };
}

interface CheckResult {
  convlensVsCpu: Record<ConvLensMode, Agreement>;
  /** ConvLens fast (1 thread) on the channels-first twin. */
  cfVsCpu: Agreement;
  wasmVsCpu: Agreement | null;
}

function describeMismatch(
  c: BenchCase,
  d: CaseData,
  who: string,
  got: Float32Array,
  ref: Float32Array,
  a: Agreement,
): string {
  const [, oh, ow, co] = d.yShape;
  let where = '';
  if (a.worstIndex >= 0) {
    const i = a.worstIndex;
    const ch = i % co;
    const x = Math.floor(i / co) % ow;
    const y = Math.floor(i / (co * ow));
    where = ` at (h=${y}, w=${x}, c=${ch}) of ${oh}×${ow}×${co}: got ${got[i]}, tfjs-cpu ${ref[i]}`;
  }
  return (
    `MISMATCH in "${c.name}" (${c.id}): ${who} vs tfjs-cpu max |Δ| = ${a.maxAbsDiff.toExponential(3)}${where}; ` +
    `tolerance ${a.tol.toExponential(3)} (= ${REL_TOL} × output scale ${a.scale.toPrecision(4)}).`
  );
}

async function checkCase(c: BenchCase, d: CaseData): Promise<CheckResult> {
  const twin = asChannelsLast(c);
  await useBackend('cpu');
  const cpu = tfjsRunner(twin, d);
  const ref = cpu.output();
  cpu.dispose();

  const convlensVsCpu = {} as Record<ConvLensMode, Agreement>;
  for (const mode of CONVLENS_MODES) {
    useConvLens(mode);
    const cl = convLensRunner(c, d);
    const got = cl.output();
    cl.dispose();
    const a = compare(got, ref);
    if (!a.ok) throw new CheckError(describeMismatch(c, d, PEER_LABEL[mode], got, ref, a));
    convlensVsCpu[mode] = a;
  }
  useConvLens('convlens');
  const cf = convLensRunner(asChannelsFirst(c), d);
  const gotCf = cf.output();
  cf.dispose();
  const cfVsCpu = compare(gotCf, ref);
  if (!cfVsCpu.ok) throw new CheckError(describeMismatch(c, d, PEER_LABEL['convlens-cf'], gotCf, ref, cfVsCpu));

  let wasmVsCpu: Agreement | null = null;
  if (c.layout === 'channelsLast') {
    await useBackend('wasm');
    const wasm = tfjsRunner(twin, d);
    const w = wasm.output();
    wasm.dispose();
    wasmVsCpu = compare(w, ref);
    if (!wasmVsCpu.ok) throw new CheckError(describeMismatch(c, d, 'tfjs-wasm', w, ref, wasmVsCpu));
  }
  return { convlensVsCpu, cfVsCpu, wasmVsCpu };
}

class CheckError extends Error {}

/** Contestants timed together (interleaved): each group holds the peers its speed ratios compare. */
function groupsFor(c: BenchCase): PeerId[][] {
  return c.layout === 'channelsLast'
    ? [
        ['convlens', 'convlens-cf', 'convlens-2w', 'tfjs-wasm'],
        ['convlens-ts', 'tfjs-cpu'],
      ]
    : [['convlens', 'convlens-2w'], ['convlens-ts']];
}

async function activate(peer: PeerId): Promise<void> {
  if (peer === 'convlens' || peer === 'convlens-2w' || peer === 'convlens-ts') useConvLens(peer);
  else if (peer === 'convlens-cf') useConvLens('convlens');
  else await useBackend(peer === 'tfjs-cpu' ? 'cpu' : 'wasm');
}

async function runnerFor(peer: PeerId, c: BenchCase, d: CaseData): Promise<Runner> {
  await activate(peer);
  if (peer === 'convlens-cf') return convLensRunner(asChannelsFirst(c), d);
  return peer === 'convlens' || peer === 'convlens-2w' || peer === 'convlens-ts'
    ? convLensRunner(c, d)
    : tfjsRunner(c, d);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const opts = args.quick ? QUICK : FULL;
  const filters = args.filters.map((f) => f.toLowerCase());
  const cases = CASES.filter(
    (c) =>
      filters.length === 0 || filters.some((f) => c.id.toLowerCase().includes(f) || c.name.toLowerCase().includes(f)),
  );
  if (cases.length === 0)
    throw new UsageError(`no case matches ${args.filters.map((f) => JSON.stringify(f)).join(' or ')} (see --help)`);

  const started = Date.now();
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown';
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  const tfjs = await initTfjs();
  log(
    `ConvLens bench — node ${process.version}, ${cpuModel} × ${os.cpus().length}, load ${load}${args.quick ? ', --quick' : ''}`,
  );
  log(
    `tfjs ${tfjs.core} (cpu ${tfjs.cpu}, wasm ${tfjs.wasm}: ${tfjs.wasmBinary}, SIMD ${tfjs.simd ? 'on' : 'off'}, ${tfjs.wasmThreads} thread${tfjs.wasmThreads === 1 ? '' : 's'})`,
  );

  // 1. Correctness, all cases, before any timing.
  const data = new Map<string, CaseData>();
  const checks = new Map<string, CheckResult>();
  for (const c of cases) {
    const d = makeData(c);
    data.set(c.id, d);
    const r = await checkCase(c, d);
    checks.set(c.id, r);
    const rel = (a: Agreement) =>
      `${a.maxAbsDiff.toExponential(1)} (${(a.maxAbsDiff / Math.max(a.scale, 1e-30)).toExponential(1)} of scale)`;
    log(
      `check  ${c.name.padEnd(32)} fast−cpu ${rel(r.convlensVsCpu.convlens)}, 2w−cpu ${rel(r.convlensVsCpu['convlens-2w'])}, ` +
        `TS−cpu ${rel(r.convlensVsCpu['convlens-ts'])}, NCHW−cpu ${rel(r.cfVsCpu)}${r.wasmVsCpu ? `, wasm−cpu ${rel(r.wasmVsCpu)}` : ''}  ok`,
    );
  }

  // 2. Timing.
  const results: CaseResult[] = [];
  for (const c of cases) {
    const d = data.get(c.id)!;
    const stats: Partial<Record<PeerId, Stats>> = {};
    for (const group of groupsFor(c)) {
      const runners: Runner[] = [];
      const contestants: Contestant[] = [];
      for (const peer of group) {
        const r = await runnerFor(peer, c, d);
        runners.push(r);
        contestants.push({ activate: () => activate(peer), run: () => r.run() });
      }
      const res = await measureInterleaved(contestants, opts);
      group.forEach((peer, i) => {
        const s = res[i]!;
        stats[peer] = s;
        log(
          `time   ${c.name.padEnd(32)} ${PEER_LABEL[peer].padEnd(25)} ${ms(s.median).padStart(7)} ms  ` +
            `(IQR ${ms(s.p25)}–${ms(s.p75)}, ${s.samples} samples × ${s.repsPerSample}, ${s.warmupRuns} warm-up)`,
        );
      });
      for (let i = 0; i < group.length; i++) {
        await activate(group[i]!);
        runners[i]!.dispose();
      }
    }
    results.push({ id: c.id, name: c.name, kind: c.kind, layout: c.layout, flops: flopsOf(c), stats });
  }
  const elapsed = (Date.now() - started) / 1000;

  // 3. Report.
  console.log('');
  console.log(renderTable(results));
  console.log('');
  console.log(
    'fast = ConvLens fast (1 thread), 2w = ConvLens fast (2 workers: the calling thread + 1 worker_thread), TS = ConvLens pure TS.',
  );
  console.log('Speed ratios = peer time ÷ ConvLens time (> 1: ConvLens faster). GFLOP/s = 2·MACs ÷ median time.');
  if (results.some((r) => r.kind === 'maxpool'))
    console.log('† max pooling: one compare per window element instead of FLOPs (column reads Gop/s).');
  console.log(
    "NCHW = ConvLens fast (1 thread) on the same case in PyTorch's channels-first layout (NCHW input, OIHW weights); " +
      'cf÷cl = its time ÷ the channels-last time (> 1: NCHW slower).',
  );
  console.log(
    `node ${process.version} · ${cpuModel} × ${os.cpus().length} · tfjs ${tfjs.core} · wasm ${tfjs.wasmBinary} (SIMD ${tfjs.simd ? 'on' : 'off'}, ${tfjs.wasmThreads} thread) · ` +
      `${args.quick ? 'quick' : 'full'} run, ${elapsed.toFixed(0)} s · load avg at start ${load}`,
  );
  const targets = checkTargets(results);
  console.log('');
  console.log('Targets:');
  for (const t of targets) console.log(`  ${t.ok ? 'MET    ' : 'NOT MET'} ${t.text}`);

  const outDir = path.join(repoRoot(), '.bench');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, 'results.json');
  const json = {
    date: new Date(started).toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: { model: cpuModel, logicalCores: os.cpus().length },
    loadAverageAtStart: os.loadavg(),
    mode: args.quick ? 'quick' : 'full',
    filters: args.filters,
    timing: opts,
    tfjs,
    checkRelativeTolerance: REL_TOL,
    elapsedSeconds: elapsed,
    results: results.map((r) => {
      const ck = checks.get(r.id)!;
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        layout: r.layout,
        flops: r.flops,
        flopsUnit: r.kind === 'maxpool' ? 'compares' : '2*MACs',
        check: {
          convlensCfVsCpu: { maxAbsDiff: ck.cfVsCpu.maxAbsDiff, outputScale: ck.cfVsCpu.scale },
          convlensVsCpu: Object.fromEntries(
            CONVLENS_MODES.map((m) => [
              m,
              { maxAbsDiff: ck.convlensVsCpu[m].maxAbsDiff, outputScale: ck.convlensVsCpu[m].scale },
            ]),
          ),
          wasmVsCpu: ck.wasmVsCpu ? { maxAbsDiff: ck.wasmVsCpu.maxAbsDiff, outputScale: ck.wasmVsCpu.scale } : null,
        },
        peers: Object.fromEntries(
          Object.entries(r.stats).map(([p, s]) => [p, { ...s, gflops: gflops(r.flops, s.median) }]),
        ),
        speedRatios: Object.fromEntries(RATIOS.map((q) => [q.head, speedRatio(r, q.mine, q.peer) ?? null])),
      };
    }),
    targets,
  };
  fs.writeFileSync(outFile, `${JSON.stringify(json, null, 2)}\n`);
  log(
    `wrote ${path.relative(process.cwd(), outFile) || outFile} (${results.length} cases, ${si(results.reduce((a, r) => a + r.flops, 0))}FLOP per round)`,
  );
  disableEngineThreads(); // stops the helper thread
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`bench: ${e.message}\n${usage()}`);
    process.exit(2);
  }
  if (e instanceof CheckError) {
    console.error(`\nbench: ${e.message}\nAborting before timing: the engines do not compute the same thing.`);
    process.exit(1);
  }
  console.error('bench: failed:', e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
