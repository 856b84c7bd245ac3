/**
 * What a run needs besides the graph and its input (./input.ts): where each parameter comes from
 * (a weight file, a preset, or the seeded initializers), and a check that no activation would
 * exceed the element cap — before anything is allocated.
 */
import { getMaxElements } from '../engine/tensor';
import { conventions } from '../model/conventions';
import { isPlainConv2d } from '../model/layers';
import { isKnown, shapeText } from '../shared/dims';
import type { LayerNode, ModelGraph } from '../model/ir';
import { paramsOverCap, type WeightSource } from './forward';
import { initialValue } from './init';
import { applyPresets, presetBias, type PresetName } from './presets';
import type { WeightMatch } from './weights';

export interface PresetAssignment {
  /** Index of the convolution layer in graph.layers. */
  layer: number;
  /** Per filter (cycled); null keeps the filter's own weights. */
  presets: (PresetName | null)[];
}

/** How a parameter's initial value is made: `initialValue`, or a memo of it (the panel's worker keeps them). */
export type Initializer = typeof initialValue;

export function makeWeightSource(
  seed: number,
  file: WeightMatch | null,
  preset: PresetAssignment | null,
  graph: ModelGraph,
  init: Initializer = initialValue,
): WeightSource {
  const presetSpec = preset ? graph.layers[preset.layer]!.spec.id : -1;
  return (node: LayerNode, p) => {
    const own = file?.byLayer.get(node.spec.id)?.get(p.name) ?? init(p, node, seed);
    if (node.spec.id !== presetSpec || !preset) return own;
    if (p.role === 'bias') return presetBias(own, preset.presets);
    if (p.role === 'kernel')
      return applyPresets(own, p.shape, conventions(node.spec.framework).kernelLayout.conv2d, preset.presets);
    return own;
  };
}

/** The first convolution whose kernels are 2-D, at or before `upTo`. */
export function presetTarget(graph: ModelGraph, layerName: string | null): LayerNode | null {
  const conv = (l: LayerNode) => isPlainConv2d(l.spec.cfg);
  if (layerName !== null) {
    const l = graph.layers.find((x) => x.name === layerName);
    return l && conv(l) ? l : null;
  }
  return graph.layers.find(conv) ?? null;
}

/**
 * The first layer whose output (batch 1) or one of whose parameter tensors would exceed the
 * engine's element cap, if any — checked before anything is allocated or drawn at random.
 */
export function overCap(graph: ModelGraph, until: number): string | null {
  const cap = getMaxElements();
  const over = (n: number) => `${n.toLocaleString('en-US')} elements, over the cap of ${cap.toLocaleString('en-US')}`;
  for (const l of graph.layers.slice(0, until + 1)) {
    const params = paramsOverCap(l);
    if (params) return params;
    const s = l.outputShape;
    if (!s) continue;
    const n = s.slice(1).reduce<number>((a, d) => a * (isKnown(d) ? d : 1), 1);
    if (n > cap) return `${l.name}: its output ${shapeText(s.slice(1))} has ${over(n)}`;
  }
  return null;
}
