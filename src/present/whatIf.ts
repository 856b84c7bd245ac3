/**
 * "What if": a change to the selected layer's kernel size, stride, padding or pool type, made
 * as a text edit of its constructor call. The panel previews it by analyzing the edited text
 * (the document is untouched); "Apply to code" makes the same edits in the editor. Pure: text
 * in, edits and the analyzed model out.
 */
import { analyze, type AnalyzeOptions } from '../analysis/analyze';
import type { LayerNode, ModelGraph, Range } from '../model/ir';
import type { WhatIf } from '../shared/protocol';

export interface Edit {
  from: number;
  to: number;
  text: string;
}

const POOL_SWAP: Record<string, string> = {
  MaxPooling2D: 'AveragePooling2D',
  AveragePooling2D: 'MaxPooling2D',
  MaxPool2d: 'AvgPool2d',
  AvgPool2d: 'MaxPool2d',
  MaxPooling1D: 'AveragePooling1D',
  AveragePooling1D: 'MaxPooling1D',
};

/** The edits that make `change` to the layer's constructor call in `text`. */
export function whatIfEdits(text: string, layer: LayerNode, change: WhatIf): Edit[] | { error: string } {
  const spec = layer.spec;
  if (spec.functional) return { error: 'functional calls cannot be changed from the panel' };
  const cfg = spec.cfg;
  const keras = spec.framework === 'keras';
  const call = text.slice(spec.range.from, spec.range.to);
  const open = call.indexOf('(');
  if (open < 0 || !call.endsWith(')')) return { error: 'the layer call could not be edited' };
  const edits: Edit[] = [];
  const closeAt = spec.range.to - 1;
  const hasArgs = call.slice(open + 1, -1).trim().length > 0;
  const pending: string[] = [];
  const set = (names: string[], value: string): void => {
    const name = names.find((n) => layerArgRange(layer, n));
    const r = name ? layerArgRange(layer, name) : null;
    if (r) edits.push({ from: r.from, to: r.to, text: value });
    else pending.push(`${names[0]}=${value}`);
  };
  if (cfg.kind !== 'conv' && cfg.kind !== 'pool')
    return { error: 'only convolution and pooling layers have a what-if' };
  if (change.kernel !== undefined)
    set(cfg.kind === 'pool' && keras ? ['pool_size'] : ['kernel_size'], String(change.kernel));
  if (change.stride !== undefined) set(keras ? ['strides'] : ['stride'], String(change.stride));
  if (change.padding !== undefined) {
    if (keras) set(['padding'], `'${change.padding}'`);
    else {
      const k = change.kernel ?? (cfg.kind === 'conv' ? cfg.c.kernel[0]! : cfg.c.pool[0]!);
      set(['padding'], change.padding === 'same' ? String(Math.floor((k - 1) / 2)) : '0');
    }
  }
  if (change.poolMode !== undefined && cfg.kind === 'pool' && cfg.c.mode !== change.poolMode) {
    const swap = POOL_SWAP[spec.type];
    const at = call.lastIndexOf(spec.type, open);
    if (!swap || at < 0) return { error: 'the pooling class could not be changed' };
    edits.push({ from: spec.range.from + at, to: spec.range.from + at + spec.type.length, text: swap });
  }
  if (pending.length) edits.push({ from: closeAt, to: closeAt, text: `${hasArgs ? ', ' : ''}${pending.join(', ')}` });
  return edits;
}

function layerArgRange(layer: LayerNode, name: string): Range | null {
  return layer.argRanges[name] ?? null;
}

/** `text` with the edits made (they do not overlap; applied from the end so offsets hold). */
export function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/**
 * The model as it would be after the change: `text` (the source `graph` was analyzed from)
 * with the edits made, analyzed with the same options.
 */
export function whatIfGraph(
  text: string,
  graph: ModelGraph,
  change: WhatIf,
  index: number,
  options: AnalyzeOptions = {},
): { graph: ModelGraph } | { error: string } {
  const layer = graph.layers[index];
  if (!layer) return { error: 'no layer selected' };
  const edits = whatIfEdits(text, layer, change);
  if ('error' in edits) return edits;
  const after = analyze(applyEdits(text, edits), options);
  const g = after.models.find((m) => m.name === graph.name);
  if (!g) return { error: 'the changed code has no model' };
  const err = after.diagnostics.find((d) => d.severity === 'error');
  if (err && g.layers[index]?.outputShape === null)
    return { error: `${layer.name}: this change makes the layer invalid` };
  return { graph: g };
}
