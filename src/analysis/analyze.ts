/**
 * The analyzer's entry point: Python source → models (ModelGraph) and diagnostics. Never
 * throws and never hangs: the source, nesting, steps and loops are capped, and a capped
 * analysis says so.
 */
import type { Diagnostic } from '../model/diagnostics';
import type { ModelGraph, Range } from '../model/ir';
import { FRAMEWORK_HOOKS } from './frameworks/calls';
import { runUncalledFunctions } from './interp/entry';
import { ModuleLoader, type ModuleResolver } from './interp/imports';
import { Interpreter } from './interp/interpreter';
import { MissingLibraries } from './interp/libraries';
import { discoverModels, lostModelDiagnostics } from './models';
import { LineMap } from './python/lines';
import { ParseCache, parsePython } from './python/parse';

export interface AnalyzeOptions {
  /** Input shape without the batch dimension, in the framework's layout (--input-shape, setting). */
  inputShape?: number[] | null;
  /**
   * Input shapes of single models by model name ("Set Input Shape" on one model), without the batch
   * dimension: each applies to its model only, before `inputShape`.
   */
  inputShapes?: Readonly<Record<string, number[]>>;
  /** Reads the modules the file imports (none given: imported names stay unknown). */
  resolver?: ModuleResolver;
  /**
   * A wall-clock limit: past `seconds` the analysis stops and says so (file-capped), returning what
   * it found. `clock` (milliseconds; performance.now() by default) is read every few thousand steps.
   */
  timeLimit?: { seconds: number; clock?: () => number };
}

/** The extension's wall-clock limit on one analysis: it runs on the extension host's thread. */
export const EDITOR_TIME_LIMIT_SECONDS = 3;

interface Deadline {
  until: number;
  seconds: number;
  clock: () => number;
}

export type { ModuleResolver };

export interface AnalysisResult {
  models: ModelGraph[];
  diagnostics: Diagnostic[];
  /** Why the analysis was cut short, if it was. */
  capped: string | null;
}

const COMMENT_RE = /#\s*convlens\s*:\s*input[_-]shape\s*=\s*\(?\s*([0-9][0-9\s,]*)\)?/i;

export function parseShapeList(text: string): number[] | null {
  const parts = text.split(/[\s,x×]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 5) return null;
  const dims = parts.map((p) => Number(p));
  return dims.every((d) => Number.isInteger(d) && d > 0 && d <= 1_000_000) ? dims : null;
}

/** `cache` keeps one document's parse between versions, so edits re-parse only what changed. */
export function analyze(source: string, options: AnalyzeOptions = {}, cache?: ParseCache): AnalysisResult {
  try {
    return analyzeUnsafe(source, options, cache ?? new ParseCache());
  } catch (e) {
    // The analyzer must never take the editor or the CLI down; report instead of throwing.
    const detail = e instanceof Error ? e.message : String(e);
    return {
      models: [],
      diagnostics: [
        {
          range: { from: 0, to: 0 },
          severity: 'warning',
          code: 'file-capped',
          args: { detail: `analysis failed: ${detail}` },
        },
      ],
      capped: `analysis failed: ${detail}`,
    };
  }
}

function analyzeUnsafe(source: string, options: AnalyzeOptions, cache: ParseCache): AnalysisResult {
  let deadline: Deadline | null = null;
  if (options.timeLimit) {
    const clock = options.timeLimit.clock ?? (() => performance.now());
    deadline = { until: clock() + options.timeLimit.seconds * 1000, seconds: options.timeLimit.seconds, clock };
  }
  const result = analyzeOnce(source, options, cache, deadline);
  // A Keras functional model's Input gets its shape while the file runs, before it is known which
  // model it feeds: a model given its own shape is taken from a run with that shape for every Input.
  for (const [i, model] of result.models.entries()) {
    const shape = Object.hasOwn(options.inputShapes ?? {}, model.name) ? options.inputShapes![model.name] : undefined;
    if (!shape || model.kind !== 'functional') continue;
    const again = analyzeOnce(source, { ...options, inputShapes: {}, inputShape: shape }, cache, deadline);
    const own = again.models.find((m) => m.name === model.name && m.kind === 'functional');
    if (!own) continue;
    const inside = (m: ModelGraph, r: Range): boolean =>
      m.layers.some(
        (l) =>
          (r.from >= l.spec.range.from && r.to <= l.spec.range.to) ||
          (r.from >= l.callRange.from && r.to <= l.callRange.to),
      );
    result.models[i] = own;
    result.diagnostics = [
      ...result.diagnostics.filter((d) => !inside(model, d.range)),
      ...again.diagnostics.filter((d) => inside(own, d.range)),
    ].sort((a, b) => a.range.from - b.range.from);
  }
  return result;
}

function analyzeOnce(
  source: string,
  options: AnalyzeOptions,
  cache: ParseCache,
  deadline: Deadline | null,
): AnalysisResult {
  const mod = parsePython(source, cache);
  const text = mod.capped ? source.slice(0, source.lastIndexOf('\n', 2_000_000)) : source;
  let lines: LineMap | undefined;
  const comments = mod.comments.flatMap((c) => {
    const m = COMMENT_RE.exec(c.text);
    const shape = m ? parseShapeList(m[1]!) : null;
    return shape ? [{ shape, range: c.r, line: (lines ??= new LineMap(text)).position(c.r.from).line }] : [];
  });
  const ip = new Interpreter(FRAMEWORK_HOOKS, text);
  // functional models are built while the file runs: the option must reach their Input calls
  ip.inputShapeOption = options.inputShape ?? null;
  if (deadline) ip.setDeadline(deadline.until, deadline.seconds, deadline.clock);
  const loader = options.resolver ? new ModuleLoader(options.resolver) : null;
  ip.importer = loader;
  const libraries = loader ? new MissingLibraries((path) => loader.notFound(path)) : null;
  ip.libraries = libraries;
  ip.runModule(mod);
  runUncalledFunctions(ip);
  const { models, diagnostics } = discoverModels(ip, {
    inputShape: options.inputShape ?? null,
    ...(options.inputShapes ? { inputShapes: options.inputShapes } : {}),
    comments,
  });
  diagnostics.push(...lostModelDiagnostics(ip));
  diagnostics.push(...unmodelledDiagnostics(ip));
  const capped = mod.capped ?? ip.capped;
  if (capped)
    diagnostics.unshift({
      range: { from: 0, to: 0 },
      severity: 'warning',
      code: 'file-capped',
      args: { detail: capped },
    });
  if (loader?.capped)
    diagnostics.push({
      range: { from: 0, to: 0 },
      severity: 'info',
      code: 'file-capped',
      args: { detail: loader.capped },
    });
  for (const n of loader?.notes ?? [])
    diagnostics.push({ range: n.range, severity: 'info', code: 'model-file', args: { detail: n.detail } });
  for (const c of libraries?.calls ?? [])
    diagnostics.push({
      range: c.range,
      severity: 'info',
      code: 'library-not-found',
      args: { name: c.name, package: c.package },
    });
  diagnostics.sort((a, b) => a.range.from - b.range.from);
  return { models, diagnostics, capped };
}

/**
 * An `unsupported-argument` warning for each constructor argument a layer's config leaves out, on
 * the argument's value (on the call when it has no range here: a layer built in another module).
 */
function unmodelledDiagnostics(ip: Interpreter): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const layer of ip.layers) {
    const s = layer.spec;
    for (const u of s.unmodelled ?? []) {
      const range = u.range ?? layer.argRanges[u.arg] ?? s.range;
      const key = `${s.file ?? ''}:${range.from}:${range.to}:${u.arg}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        range,
        severity: 'warning',
        code: 'unsupported-argument',
        args: {
          layer: s.framework === 'pytorch' ? `nn.${s.type}` : s.type,
          arg: u.arg,
          value: u.value,
          ...(u.modelled !== undefined ? { modelled: u.modelled } : {}),
        },
        ...(s.file ? { file: s.file } : {}),
      });
    }
  }
  return out;
}
