/**
 * The panel's tensor work as one job ('panel.view'): run the model up to the selected layer
 * (keeping only what that layer needs) and build its LayerView. Plain data in and out, so it
 * runs in the engine worker (./worker.ts) or, as a fallback, in the extension host.
 */
import { EngineError, type Tensor } from '../engine';
import type { ModelGraph } from '../model/ir';
import type { LayerView, WeightsInfo } from '../shared/protocol';
import { runModel, RunError, type LayerRun } from '../runtime/forward';
import type { PresetName } from '../runtime/presets';
import { makeWeightSource, overCap } from '../runtime/session';
import type { WeightMatch } from '../runtime/weights';
import type { JobDef } from '../worker/jobs';
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
  if (cap) throw new EngineError('too-many-elements', cap);
  const match: WeightMatch | null = req.fileWeights
    ? {
        byLayer: new Map(req.fileWeights.map(([id, ps]) => [id, new Map(ps)])),
        matched: 0,
        problems: [],
        method: 'names',
        unused: [],
      }
    : null;
  const weights = makeWeightSource(req.seed, match, req.preset, graph);
  const target = graph.layers[index]!;
  const needed = new Set(target.inputs);
  let runs: LayerRun[];
  try {
    runs = runModel(graph, req.input, weights, { until: index, keep: (i) => i === index || needed.has(i) });
  } catch (e) {
    // A layer the engine refused keeps the engine's code (also across the worker boundary).
    if (e instanceof RunError && e.code) throw new EngineError(e.code, e.message);
    throw e;
  }
  const byIndex = new Map(runs.map((r) => [r.layer.index, r.output]));
  const inputs = target.inputs.map((i) => (i < 0 ? req.input : byIndex.get(i)!));
  return buildLayerView({
    graph,
    index,
    inputs,
    output: byIndex.get(index)!,
    weights,
    weightsInfo: req.weightsInfo,
    preprocessing: req.preprocessing,
  });
}

/** The buffers of a view, moved (not copied) back to the extension host. */
export function viewTransfers(v: LayerView): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const t of [v.input, ...v.inputs, v.output, v.preActivation, v.otherPool])
    if (t) out.add(t.data.buffer as ArrayBuffer);
  if (v.explain?.kind === 'batchNorm')
    for (const a of [v.explain.mean, v.explain.variance, v.explain.gamma, v.explain.beta])
      if (a) out.add(a.buffer as ArrayBuffer);
  if (v.kernels) {
    out.add(v.kernels.data.buffer as ArrayBuffer);
    if (v.kernels.bias) out.add(v.kernels.bias.buffer as ArrayBuffer);
  }
  return [...out];
}

export const panelJob: JobDef<ViewRequest, LayerView> = {
  name: 'panel.view',
  run: computeLayerView,
  transfers: viewTransfers,
};
