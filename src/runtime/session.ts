/**
 * What a run needs besides the graph: where each parameter comes from (a weight file, a preset,
 * or the seeded initializers), a concrete input shape, and a check that no activation would
 * exceed the element cap — before anything is allocated.
 */
import { getMaxElements } from '../engine/tensor';
import { isKnown, type Dim } from '../shared/dims';
import type { LayerNode, ModelGraph } from '../model/ir';
import type { WeightSource } from './forward';
import { initialValue } from './init';
import { applyPresets, presetBias, type PresetName } from './presets';
import type { WeightMatch } from './weights';

export interface PresetAssignment {
  /** Index of the convolution layer in graph.layers. */
  layer: number;
  /** Per filter (cycled); null keeps the filter's own weights. */
  presets: (PresetName | null)[];
}

export function makeWeightSource(seed: number, file: WeightMatch | null, preset: PresetAssignment | null, graph: ModelGraph): WeightSource {
  const presetSpec = preset ? graph.layers[preset.layer]!.spec.id : -1;
  return (node: LayerNode, p) => {
    const own = file?.byLayer.get(node.spec.id)?.get(p.name) ?? initialValue(p, node, seed);
    if (node.spec.id !== presetSpec || !preset) return own;
    if (p.role === 'bias') return presetBias(own, preset.presets);
    if (p.role === 'kernel') return applyPresets(own, p.shape, node.spec.framework === 'keras' ? 'HWIO' : 'OIHW', preset.presets);
    return own;
  };
}

/** The first convolution whose kernels are 2-D, at or before `upTo`. */
export function presetTarget(graph: ModelGraph, layerName: string | null): LayerNode | null {
  const conv = (l: LayerNode) => l.spec.cfg.kind === 'conv' && l.spec.cfg.c.rank === 2 && l.spec.cfg.c.depthwise === 'none' && !l.spec.cfg.c.transposed;
  if (layerName !== null) {
    const l = graph.layers.find((x) => x.name === layerName);
    return l && conv(l) ? l : null;
  }
  return graph.layers.find(conv) ?? null;
}

/**
 * Concrete input shape with batch 1. Symbolic spatial sizes take the given image size
 * (height, width) when there is one; a symbolic channel count cannot be guessed.
 */
export function concreteInput(graph: ModelGraph, imageSize: [number, number] | null): { shape: number[] } | { error: string } {
  const s = graph.inputShape;
  if (!s) return { error: `${graph.name}: the input shape is not known` };
  const keras = graph.framework === 'keras';
  const dims: Dim[] = [...s];
  if (dims.length === 3) {
    const [hI, wI, cI] = keras ? [0, 1, 2] : [1, 2, 0];
    if (imageSize) {
      if (!isKnown(dims[hI]!)) dims[hI] = imageSize[0];
      if (!isKnown(dims[wI]!)) dims[wI] = imageSize[1];
    }
    if (!isKnown(dims[cI]!)) return { error: `${graph.name}: the number of input channels is not known; add '# convlens: input_shape=${keras ? '(H, W, C)' : '(C, H, W)'}' or pass --input-shape` };
  }
  if (!dims.every(isKnown)) return { error: `${graph.name}: the input shape ${shapeText(dims)} is not fully known; pass --input-shape or give an image` };
  return { shape: [1, ...(dims as number[])] };
}

function shapeText(d: readonly Dim[]): string {
  return `(${d.map((x) => (typeof x === 'number' ? x : x.sym)).join(', ')})`;
}

/** The first layer whose output (batch 1) would exceed the engine's element cap, if any. */
export function overCap(graph: ModelGraph, until: number): string | null {
  const cap = getMaxElements();
  for (const l of graph.layers.slice(0, until + 1)) {
    const s = l.outputShape;
    if (!s) continue;
    const n = s.slice(1).reduce<number>((a, d) => a * (isKnown(d) ? d : 1), 1);
    if (n > cap) return `${l.name}: its output ${shapeText(s.slice(1))} has ${n.toLocaleString('en-US')} elements, over the cap of ${cap.toLocaleString('en-US')}`;
  }
  return null;
}
