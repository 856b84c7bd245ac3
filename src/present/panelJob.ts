/**
 * The panel's tensor work as one request: run the model up to the selected layer (keeping only
 * what that layer needs) and build its LayerView. Plain data in and out, so it runs in the
 * engine worker or, as a fallback, in the extension host.
 */
import type { Tensor } from '../engine';
import type { ModelGraph } from '../model/ir';
import type { LayerView, WeightsInfo } from '../shared/protocol';
import { runModel } from '../runtime/forward';
import type { PresetName } from '../runtime/presets';
import { makeWeightSource, overCap } from '../runtime/session';
import type { WeightMatch } from '../runtime/weights';
import { buildLayerView } from './layerView';

export interface ViewRequest {
  graph: ModelGraph;
  index: number;
  input: Tensor;
  seed: number;
  /** Weights from a file: spec id → parameter name → values. */
  fileWeights: [number, [string, Float32Array][]][] | null;
  preset: { layer: number; presets: (PresetName | null)[] } | null;
  weightsInfo: WeightsInfo;
  preprocessing: string[];
}

export function fileWeightsOf(m: WeightMatch | null): ViewRequest['fileWeights'] {
  return m ? [...m.byLayer].map(([id, params]) => [id, [...params]]) : null;
}

export function computeLayerView(req: ViewRequest): LayerView {
  const { graph, index } = req;
  const cap = overCap(graph, index);
  if (cap) throw new Error(cap);
  const match: WeightMatch | null = req.fileWeights
    ? { byLayer: new Map(req.fileWeights.map(([id, ps]) => [id, new Map(ps)])), matched: 0, problems: [], method: 'names', unused: [] }
    : null;
  const weights = makeWeightSource(req.seed, match, req.preset, graph);
  const target = graph.layers[index]!;
  const needed = new Set(target.inputs);
  const runs = runModel(graph, req.input, weights, { until: index, keep: (i) => i === index || needed.has(i) });
  const byIndex = new Map(runs.map((r) => [r.layer.index, r.output]));
  const inputs = target.inputs.map((i) => (i < 0 ? req.input : byIndex.get(i)!));
  return buildLayerView({ graph, index, inputs, output: byIndex.get(index)!, weights, weightsInfo: req.weightsInfo, preprocessing: req.preprocessing });
}
