/**
 * The inline shapes shown at the end of source lines, decided without the editor: one per line,
 * the shape of what the line assigns or returns.
 *
 * - A line that applies layers (forward(), call(), functional code) shows the output of its
 *   outermost call: `x = self.pool(F.relu(self.conv1(x)))` shows the pool's output, `out =
 *   self.layers(out)` the output of the Sequential's last layer, `out = self.layer1(out)` that of
 *   the last layer its blocks applied.
 * - A constructor line (`self.conv1 = nn.Conv2d(…)`, `self.conv1 = conv3x3(…)`) shows its layer's
 *   output when the line stands for one application, with its parameter count.
 * - A line run several times (a module called twice, a block's forward run once per block, a loop)
 *   shows every result it gave: `×2: (N, 6, 14, 14), (N, 16, 5, 5)` — the count and the distinct
 *   shapes in order, or the first and last of them when there are more than three; the tooltip
 *   names each. A line never shows one of several shapes as if it were the only one.
 * - A constructor inside a function that builds layers for its callers (`def conv3x3(…): return
 *   nn.Conv2d(…)`) shows nothing: its layers are shown where the function is called (the hover on
 *   it lists them).
 * - A model built entirely in another module at one call here shows the model's output and total.
 */
import type { AnalysisResult } from '../analysis/analyze';
import type { Framework } from '../model/conventions';
import type { LayerNode, Range } from '../model/ir';
import type { Locale } from '../model/diagnostics';
import { builtElsewhere, countText, modelShapes, shapeNotation } from './notation';
import { strings } from './strings';

export interface InlineHint {
  /** 0-based line the hint belongs to (it is shown at the line's end). */
  line: number;
  /** The end of the source the hint stands for. */
  offset: number;
  label: string;
  tooltip: string;
  /** The layers whose output the hint shows (an exercise that hides a layer's output hides its hint). */
  layers: string[];
}

/** Distinct shapes listed before "first … last". */
const MAX_LISTED = 3;
/** Results named in a tooltip. */
const MAX_TOOLTIP = 12;

interface Place {
  range: Range;
  framework: Framework;
  /** The results the place gave, in order: one per run of the call (its last layer), or per application. */
  results: LayerNode[];
  /** Runs already seen, by their key: their index in `results`. */
  runs: Map<string, number>;
}

function key(r: Range): string {
  return `${r.from}:${r.to}`;
}

function place(map: Map<string, Place>, r: Range, framework: Framework): Place {
  const k = key(r);
  let p = map.get(k);
  if (!p) map.set(k, (p = { range: r, framework, results: [], runs: new Map() }));
  return p;
}

/** Adds a layer to a run of a place: the run's result is its last layer. */
function addToRun(p: Place, run: string, node: LayerNode): void {
  const at = p.runs.get(run);
  if (at !== undefined) p.results[at] = node;
  else {
    p.runs.set(run, p.results.length);
    p.results.push(node);
  }
}

function label(p: Place, params: boolean): string {
  const shapes = p.results.map((l) => shapeNotation(l.outputShape, p.framework));
  if (shapes.length === 1) {
    const layer = p.results[0]!;
    const count = params && !layer.spec.functional && layer.params ? ` · ${countText(layer.params)}` : '';
    return ` → ${shapes[0]}${count}`;
  }
  const distinct = [...new Set(shapes)];
  const listed = distinct.length <= MAX_LISTED ? distinct.join(', ') : `${distinct[0]} … ${distinct.at(-1)}`;
  return ` → ×${shapes.length}: ${listed}`;
}

function tooltip(p: Place, locale: Locale): string {
  const named = p.results.map((l) => `${l.name} (${l.spec.type}): ${shapeNotation(l.outputShape, p.framework)}`);
  if (named.length === 1) return `${p.results[0]!.name} (${p.results[0]!.spec.type})`;
  const head = strings(locale).calledTimes(named.length);
  const more = named.length > MAX_TOOLTIP ? [`… +${named.length - MAX_TOOLTIP}`] : [];
  return [head, ...named.slice(0, MAX_TOOLTIP), ...more].join('\n');
}

/** The outermost place: the one ending last on the line, then the longest. */
function outermost(places: Place[]): Place | undefined {
  return places.reduce<Place | undefined>(
    (best, p) =>
      !best || p.range.to > best.range.to || (p.range.to === best.range.to && p.range.from < best.range.from)
        ? p
        : best,
    undefined,
  );
}

/** Every inline shape of an analysis, one per line at most (line numbers from `lineOf`, 0-based). */
export function inlineHints(
  result: AnalysisResult,
  lineOf: (offset: number) => number,
  locale: Locale = 'en',
): InlineHint[] {
  const hints = new Map<number, InlineHint>();
  for (const model of result.models) {
    if (builtElsewhere(model)) {
      // a whole model from another module, built at one call here: the model's output and total
      if (model.range.from < 0) continue;
      const line = lineOf(model.range.to);
      const total = model.totalParams !== null ? ` · ${countText(model.totalParams)}` : '';
      if (!hints.has(line))
        hints.set(line, {
          line,
          offset: model.range.to,
          label: ` → ${shapeNotation(modelShapes(model).output, model.framework)}${total}`,
          tooltip: model.name,
          layers: [],
        });
      continue;
    }
    const calls = new Map<string, Place>();
    const constructors = new Map<string, Place>();
    /** Constructors inside functions that build layers for their callers: no shape of their own. */
    const builders = new Set<string>();
    for (const node of model.layers) {
      const { spec } = node;
      const via = node.via ?? [];
      // a layer applied at its constructor (a Keras Sequential's layers) has a constructor line, not a call
      for (const v of via)
        if (spec.functional || key(v.range) !== key(spec.range))
          addToRun(place(calls, v.range, model.framework), `call ${v.call}`, node);
      const ownCall = spec.functional || key(node.callRange) !== key(spec.range);
      const last = via.at(-1);
      if (ownCall && !(last && key(last.range) === key(node.callRange)))
        addToRun(place(calls, node.callRange, model.framework), `node ${node.index}`, node);
      if (spec.functional) continue;
      // a constructor stands for its layer's applications; a layer built by a function, at each call of it
      const sites = spec.sites ?? [];
      if (sites.length) builders.add(key(spec.range));
      for (const r of sites.length ? sites : [spec.range])
        addToRun(place(constructors, r, model.framework), `node ${node.index}`, node);
    }
    const byLine = (map: Map<string, Place>): Map<number, Place[]> => {
      const out = new Map<number, Place[]>();
      for (const p of map.values()) {
        if (p.range.from < 0) continue; // an earlier notebook cell
        const line = lineOf(p.range.to);
        out.set(line, [...(out.get(line) ?? []), p]);
      }
      return out;
    };
    const callLines = byLine(calls);
    const ctorLines = byLine(constructors);
    for (const line of new Set([...callLines.keys(), ...ctorLines.keys()])) {
      if (hints.has(line)) continue;
      const call = outermost(callLines.get(line) ?? []);
      const ctors = call ? [] : (ctorLines.get(line) ?? []);
      const ctor = outermost(ctors);
      const p = call ?? ctor;
      if (!p || (ctor && builders.has(key(ctor.range)))) continue;
      // a parameter count only for a line that builds one layer
      const params = ctors.length === 1;
      hints.set(line, {
        line,
        offset: p.range.to,
        label: label(p, params),
        tooltip: tooltip(p, locale),
        layers: [...new Set(p.results.map((l) => l.name))],
      });
    }
  }
  return [...hints.values()].sort((a, b) => a.line - b.line);
}
