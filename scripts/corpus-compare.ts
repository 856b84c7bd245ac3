/**
 * The model-zoo corpus measurement, shared by scripts/corpus-report.ts and
 * test/unit/corpus/corpus.test.ts: each model of test/fixtures/corpus/truth.json (built by the
 * real PyTorch/Keras, scripts/gen-corpus-truth.py) is looked for in the unmodified library file
 * that defines it (.corpus/site-packages, scripts/setup-corpus.sh), with the builder call appended
 * (`model = resnet18()`); its imports are followed into .corpus/site-packages (relative ones from
 * the file's own package). The analyzer's ModelGraph is compared with the truth layer by layer (PyTorch named_modules()
 * paths, one entry per call; Keras layer names), on output shape and own parameter count.
 * Parameter counts follow each framework: PyTorch's are model.parameters() (its floating-point
 * buffers, BatchNorm's running statistics, are compared apart), Keras's count_params() includes
 * the moving statistics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analysis/analyze';
import { fileResolver } from '../src/cli/resolver';
import type { ModelGraph } from '../src/model/ir';
import type { Dim } from '../src/shared/dims';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = join(ROOT, '.corpus', 'site-packages');
export const TRUTH_FILE = join(ROOT, 'test', 'fixtures', 'corpus', 'truth.json');
export const FLOOR_FILE = join(ROOT, 'test', 'fixtures', 'corpus', 'floor.json');
export const SETUP_COMMAND = 'bash scripts/setup-corpus.sh';

/**
 * [name, type, outputShape without the batch (null dims: None; null: never called), own params,
 * own floating-point buffers (PyTorch only)]
 */
export type TruthLayer = [string, string, (number | null)[] | null, number, number?];

export interface TruthModel {
  id: string;
  framework: 'pytorch' | 'keras';
  library: string;
  usage: string;
  entry: { file: string; builder: string; args: string };
  inputShape: (number | null)[];
  class: string;
  modelName?: string;
  totalParams: number;
  trainableParams: number;
  /** PyTorch: the floating-point buffers of the whole model (BatchNorm running statistics). */
  bufferElements?: number;
  layers: TruthLayer[];
}

export interface Truth {
  generator: string;
  versions: Record<string, string>;
  models: TruthModel[];
}

/** What the analyzer achieved on one model; floor.json keeps these per model. */
export interface Score {
  /** The analysis ran out of memory or time (scripts/corpus-isolate.ts): a crash or hang in the editor. */
  crashed: boolean;
  found: boolean;
  /** Truth layers whose output shape and parameter count the analyzer got right. */
  matched: number;
  totalsMatched: boolean;
  /** Error diagnostics in the file: the framework built and ran the model without any. */
  falseErrors: number;
}

export interface ModelResult extends Score {
  id: string;
  file: string;
  layers: number;
  /** The analyzer's layers (module/layer nodes, not functional ops), for the report. */
  analyzerLayers: number;
  totalParams: number;
  analyzerTotal: number | null;
  errors: string[];
  ms: number;
}

export function corpusMissing(): string | null {
  const probe = join(CORPUS_DIR, 'torchvision', 'models', 'resnet.py');
  return existsSync(probe) ? null : `the corpus is not set up (no ${probe}); set it up with: ${SETUP_COMMAND}`;
}

export function loadTruth(): Truth {
  return JSON.parse(readFileSync(TRUTH_FILE, 'utf8')) as Truth;
}

/** The builder call appended to the defining file, in the form that file can resolve. */
export function inFileUsage(m: TruthModel): string {
  const call = `model = ${m.entry.builder}(${m.entry.args})`;
  if (m.framework === 'keras') return `\n\n${call}\n`;
  return `\n\n${call}\nmodel.eval()\nx = torch.randn(1, ${m.inputShape.join(', ')})\ny = model(x)\n`;
}

function sameShape(truth: (number | null)[], ours: readonly Dim[] | null): boolean {
  if (!ours || ours.length !== truth.length + 1) return false;
  // null (None in Keras) stands for a dimension the framework leaves open: ours must be symbolic
  return truth.every((d, i) => (d === null ? typeof ours[i + 1] !== 'number' : ours[i + 1] === d));
}

/** The analyzer's model for a truth model: the one built by the appended call, else by name. */
function pickModel(models: ModelGraph[], m: TruthModel, usageFrom: number): ModelGraph | null {
  const same = models.filter((g) => g.framework === m.framework);
  const byRange = same.filter((g) => g.range.from >= usageFrom);
  const names = [m.class, m.modelName, 'model'].filter((n): n is string => !!n);
  const byName = same.filter((g) => names.includes(g.name));
  const pool = byRange.length > 0 ? byRange : byName;
  if (pool.length === 0) return null;
  return pool.reduce((a, b) => (b.layers.length > a.layers.length ? b : a));
}

export function measureModel(m: TruthModel, corpusDir = CORPUS_DIR): ModelResult {
  const file = join(corpusDir, m.entry.file);
  const source = readFileSync(file, 'utf8');
  const text = source + inFileUsage(m);
  const t0 = performance.now();
  // imports are followed: relative ones from the file's package, absolute ones from site-packages
  const result = analyze(text, { resolver: fileResolver(file, [corpusDir]) });
  const ms = performance.now() - t0;
  const errors = result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${m.entry.file}:${text.slice(0, d.range.from).split('\n').length} ${d.code}`);
  const model = pickModel(result.models, m, source.length);
  const calls = new Map<string, ModelGraph['layers']>();
  for (const l of model?.layers ?? []) {
    if (l.spec.functional) continue;
    const list = calls.get(l.name) ?? [];
    list.push(l);
    calls.set(l.name, list);
  }
  const seen = new Map<string, number>();
  let matched = 0;
  for (const [name, , shape, own, buffers] of m.layers) {
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    const ours = calls.get(name)?.[k];
    // a module the framework never called (an auxiliary head in eval mode) must not be called
    if (shape === null) matched += model && !ours ? 1 : 0;
    else if (
      ours &&
      ours.params === own &&
      (ours.buffers ?? 0) === (buffers ?? 0) &&
      sameShape(shape, ours.outputShape)
    )
      matched++;
  }
  const total = m.totalParams;
  return {
    id: m.id,
    file: m.entry.file,
    crashed: false,
    found: model !== null,
    matched,
    layers: m.layers.length,
    analyzerLayers: [...calls.values()].reduce((s, l) => s + l.length, 0),
    totalsMatched: model?.totalParams === total,
    totalParams: total,
    analyzerTotal: model?.totalParams ?? null,
    falseErrors: errors.length,
    errors,
    ms,
  };
}

/** The result of a model whose analysis did not finish: nothing found, the reason as its error. */
export function crashedResult(m: TruthModel, reason: string, ms: number): ModelResult {
  return {
    id: m.id,
    file: m.entry.file,
    crashed: true,
    found: false,
    matched: 0,
    layers: m.layers.length,
    analyzerLayers: 0,
    totalsMatched: false,
    totalParams: m.totalParams,
    analyzerTotal: null,
    falseErrors: 0,
    errors: [`${m.entry.file}: the analysis did not finish (${reason})`],
    ms,
  };
}

export interface Overall {
  models: number;
  crashed: number;
  found: number;
  layers: number;
  matched: number;
  totalsMatched: number;
  falseErrors: number;
}

export function overall(results: ModelResult[]): Overall {
  return {
    models: results.length,
    crashed: results.filter((r) => r.crashed).length,
    found: results.filter((r) => r.found).length,
    layers: results.reduce((s, r) => s + r.layers, 0),
    matched: results.reduce((s, r) => s + r.matched, 0),
    totalsMatched: results.filter((r) => r.totalsMatched).length,
    falseErrors: results.reduce((s, r) => s + r.falseErrors, 0),
  };
}

export function formatTable(results: ModelResult[]): string {
  const rows = [['model', 'found', 'layers matched', 'analyzer layers', 'total (truth / ours)', 'false errors', 'ms']];
  for (const r of results)
    rows.push([
      r.id,
      r.crashed ? 'CRASHED' : r.found ? 'yes' : 'no',
      `${r.matched}/${r.layers}`,
      String(r.analyzerLayers),
      `${r.totalsMatched ? '=' : '≠'} ${r.totalParams} / ${r.analyzerTotal ?? '-'}`,
      String(r.falseErrors),
      r.ms.toFixed(0),
    ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

export function formatOverall(o: Overall): string {
  const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
  return [
    `layers matched ${o.matched}/${o.layers} (${pct(o.matched, o.layers)})`,
    `totals matched ${o.totalsMatched}/${o.models}`,
    `models found ${o.found}/${o.models}`,
    `false errors ${o.falseErrors}`,
    `analyses that did not finish ${o.crashed}`,
  ].join(', ');
}

export function floorOf(r: ModelResult): Score {
  return {
    crashed: r.crashed,
    found: r.found,
    matched: r.matched,
    totalsMatched: r.totalsMatched,
    falseErrors: r.falseErrors,
  };
}

/** How a result fell below its floor (empty: it did not). */
export function regressions(r: ModelResult, floor: Score): string[] {
  const out: string[] = [];
  if (!floor.crashed && r.crashed) out.push(r.errors[0] ?? 'the analysis did not finish');
  if (floor.found && !r.found) out.push('model no longer found');
  if (r.matched < floor.matched) out.push(`layers matched ${r.matched} < ${floor.matched}`);
  if (floor.totalsMatched && !r.totalsMatched) out.push('total parameters no longer match');
  if (r.falseErrors > floor.falseErrors) out.push(`false errors ${r.falseErrors} > ${floor.falseErrors}`);
  return out;
}
