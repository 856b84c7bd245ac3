/**
 * How the products of an analysis are written everywhere they are shown (hover, inline shapes,
 * model strip, summary table): shapes in the framework's notation, counts, FLOPs, the source
 * range that stands for a layer, and which layer the cursor is on.
 */
import type { AnalysisResult } from '../analysis/analyze';
import { conventions, type Framework } from '../model/conventions';
import type { LayerNode, ModelGraph, Range } from '../model/ir';
import { dimText, type Shape } from '../shared/dims';

/** (None, 28, 28, 32) for Keras, (N, 32, 28, 28) for PyTorch; '?' when the shape is unknown. */
export function shapeNotation(shape: Shape | null | undefined, framework: Framework): string {
  if (!shape) return '?';
  const dims = shape.map(dimText);
  // the batch axis by its symbol; an axis 0 with a size (a mean over the batch, x[0]) by its size
  if (dims.length && typeof shape[0] !== 'number') dims[0] = conventions(framework).batchSymbol;
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** 1,234,567 — the same in every locale, as Keras prints parameter counts. */
export function countText(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US');
}

/** 1.85 G, 28.9 M, 452 k: three significant digits. */
export function flopsText(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [u, s] of units) if (n >= u) return `${(n / u).toFixed(n / u >= 100 ? 0 : n / u >= 10 ? 1 : 2)} ${s}`;
  return String(n);
}

/** The sum of the layers' FLOPs, or null when one is unknown. */
export function modelFlops(m: ModelGraph): number | null {
  let flops: number | null = 0;
  for (const l of m.layers) flops = flops === null || l.flops === null ? null : flops + l.flops;
  return flops;
}

/** The source that stands for a layer: its constructor, or for a functional op its call. */
export function sourceRange(layer: Pick<LayerNode, 'spec' | 'callRange'>): Range {
  return layer.spec.functional ? layer.callRange : layer.spec.range;
}

export interface LayerHit {
  model: ModelGraph;
  layer: LayerNode;
  /** How many times the module at this place is called in the model. */
  calls: number;
  /** On the call that built the whole model in another module: the model is shown as one. */
  whole?: boolean;
  /**
   * On a constructor in a function that builds layers for its callers (`def conv3x3(…): return
   * nn.Conv2d(…)`): every layer it built, each at its first call (`layer` is the first of them).
   */
  built?: LayerNode[];
}

/**
 * A model another module built entirely, at one call in this file (`torchvision.models.resnet18()`):
 * every layer stands at that call, so the call shows the model as a whole.
 */
export function builtElsewhere(model: ModelGraph): boolean {
  const { from, to } = model.range;
  return (
    model.layers.length > 0 &&
    model.layers.every((l) => l.spec.file !== undefined && l.spec.range.from === from && l.spec.range.to === to)
  );
}

/** The model's input (with the batch) and output: its first layer's input, its last layer's output. */
export function modelShapes(model: ModelGraph): { input: Shape | null; output: Shape | null } {
  return { input: model.layers[0]?.inputShapes[0] ?? null, output: model.layers.at(-1)?.outputShape ?? null };
}

/** A module file as the user knows it: from its package down (`torchvision/models/resnet.py`). */
export function modulePath(file: string): string {
  const p = file.replace(/\\/g, '/');
  const m = /\/(?:site|dist)-packages\/(.+)$/.exec(p);
  return m ? m[1]! : p.slice(p.lastIndexOf('/') + 1);
}

/**
 * The layer at a source offset — the one rule for hovers, "Visualize Layer at Cursor" and the
 * panel following the cursor: the innermost constructor or call containing the offset. On a
 * constructor, the first call of that layer; on a call (forward(), functional code), that call.
 * A layer built by a function of the file (`self.conv1 = conv3x3(…)`) stands at that call too;
 * the constructor inside the function gives every layer the function built (`built`).
 */
export function layerAt(result: AnalysisResult, offset: number): LayerHit | null {
  let best: LayerHit | null = null;
  let bestSize = Infinity;
  for (const model of result.models) {
    for (const layer of model.layers) {
      const { spec } = layer;
      const ranges = spec.functional ? [layer.callRange] : [spec.range, ...(spec.sites ?? []), layer.callRange];
      for (const r of ranges) {
        if (offset < r.from || offset > r.to || r.to - r.from >= bestSize) continue;
        bestSize = r.to - r.from;
        const onDefinition = r !== layer.callRange && !spec.functional;
        const shown = onDefinition ? model.layers.find((l) => l.spec.id === spec.id)! : layer;
        best = { model, layer: shown, calls: model.layers.filter((l) => l.spec.id === spec.id).length };
        if (r === spec.range && spec.sites?.length) best.built = builtAt(result, r);
      }
    }
  }
  if (best && bestSize === best.model.range.to - best.model.range.from && builtElsewhere(best.model)) best.whole = true;
  // a model made here of layers built in another file (`keras.Model(model.inputs, model.layers[2].output)`
  // on a loaded model): its call shows it as a whole
  if (!best)
    for (const model of result.models) {
      const r = model.range;
      if (offset < r.from || offset > r.to || model.layers.length === 0) continue;
      if (model.layers.every((l) => l.spec.file !== undefined && (l.callRange.to < r.from || l.callRange.from > r.to)))
        return { model, layer: model.layers[model.layers.length - 1]!, calls: 1, whole: true };
    }
  return best;
}

/** The layers (each at its first call) a constructor inside a layer-building function built, in model order. */
function builtAt(result: AnalysisResult, r: Range): LayerNode[] {
  const seen = new Set<number>();
  const out: LayerNode[] = [];
  for (const model of result.models)
    for (const l of model.layers)
      if (!seen.has(l.spec.id) && l.spec.range.from === r.from && l.spec.range.to === r.to) {
        seen.add(l.spec.id);
        out.push(l);
      }
  return out;
}

/** The source a hover at `offset` stands on: the call or constructor `layerAt` found there. */
export function hoverRange(hit: LayerHit, offset: number): Range {
  const { spec, callRange } = hit.layer;
  if (spec.functional) return callRange;
  const site = spec.sites?.find((r) => offset >= r.from && offset <= r.to);
  return site ?? spec.range;
}

/**
 * The model the cursor is in, for commands that act on one model ("Set Input Shape"): the model of
 * the layer at the offset, else the one whose code (its layers' constructors and calls, its own
 * range) spans the offset most tightly; null when the offset is in none.
 */
export function modelAt(result: AnalysisResult, offset: number): ModelGraph | null {
  const hit = layerAt(result, offset);
  if (hit) return hit.model;
  let best: ModelGraph | null = null;
  let bestSize = Infinity;
  for (const model of result.models) {
    let from = model.range.from;
    let to = model.range.to;
    for (const l of model.layers)
      for (const r of [l.spec.range, l.callRange])
        if (!l.spec.file && r.from >= 0) {
          from = Math.min(from, r.from);
          to = Math.max(to, r.to);
        }
    if (offset >= from && offset <= to && to - from < bestSize) {
      best = model;
      bestSize = to - from;
    }
  }
  return best;
}

/**
 * A message cut to fit `max` characters (the status bar): at the last word boundary that fits, with
 * an ellipsis; whole when it fits. A single word longer than `max` is cut inside it.
 */
export function clipText(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const room = t.slice(0, max); // the ellipsis takes the place of the cut
  const space = room.lastIndexOf(' ');
  const cut = (space > max / 3 ? room.slice(0, space) : room.slice(0, max - 1)).replace(/[\s,.;:·—-]+$/, '');
  return `${cut}…`;
}
