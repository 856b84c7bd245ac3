/**
 * The panel's tensor work as one job ('panel.view'): run the model up to the selected layer
 * (keeping only what that layer needs) and build its LayerView. Plain data in and out, so it
 * runs in the engine worker (./worker.ts) or, as a fallback, in the extension host.
 */
import * as E from '../engine';
import { EngineError, type Tensor } from '../engine';
import type { LayerNode } from '../model/ir';
import { panelSpec } from '../model/nodes';
import type { ModelGraph } from '../model/ir';
import type { LayerView, WeightsInfo } from '../shared/protocol';
import { runLayer, runModel, RunError, type LayerRun, type WeightSource } from '../runtime/forward';
import type { PresetName } from '../runtime/presets';
import { initialValue } from '../runtime/init';
import { makeWeightSource, overCap, type Initializer } from '../runtime/session';
import type { WeightMatch } from '../runtime/weights';
import { throwIfCancelled, type JobDef } from '../worker/jobs';
import { ActivationCache, activationKeys, hashTensor, hashText } from './activationCache';

/** The activation cache's default bound (MiB). */
export const DEFAULT_CACHE_MB = 512;
import { buildLayerView, clearBuiltViews } from './layerView';

export interface ViewRequest {
  graph: ModelGraph;
  index: number;
  input: Tensor;
  seed: number;
  /**
   * Which weights the model runs with, as an identity the host gives (a loaded file's, or the
   * seed's): with it, activations are kept between requests (activationCache.ts); without, every
   * request runs the model from its input.
   */
  weightsKey?: string | null;
  /** The activation cache's memory bound in MiB (the convlens.activationCacheMb setting). */
  cacheMb?: number;
  /**
   * Keys of tensor views (TensorView.key) whose values the caller holds already: such a tensor
   * comes back as a reference (`ref`, no values), so a layer shown again is not copied and moved
   * between threads only to be dropped (shared/viewCache.ts).
   */
  held?: string[];
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
  const weights = makeWeightSource(
    req.seed,
    match,
    req.preset,
    graph,
    req.weightsKey ? keptInitialValue : initialValue,
  );
  const target = graph.layers[index]!;
  // A layer with a fused activation (Conv2D(…, activation='relu')) is shown before and after it:
  // its bare layer runs once, and the activation is applied to that (the family's own run is
  // exactly the bare layer then the activation), instead of running the convolution twice.
  const panel = panelSpec(target);
  const fused =
    panel.bare && panel.activation && E.isActivation(panel.activation) && !SOFTMAX_LIKE.has(panel.activation)
      ? { bare: { ...target, spec: { ...target.spec, cfg: panel.bare } }, fn: panel.activation }
      : null;
  const targets = [...(fused ? [] : [index]), ...target.inputs.filter((i) => i >= 0)];
  let byIndex: Map<number, Tensor>;
  let got: Computed;
  let pre: Tensor | undefined;
  let output: Tensor;
  try {
    got = req.weightsKey ? computeCached(req, weights, targets) : computeAll(req, weights, targets);
    byIndex = got.outputs;
    const inputs = target.inputs.map((i) => (i < 0 ? req.input : byIndex.get(i)!));
    if (fused) {
      const key = got.keys?.[index];
      const kept = key ? cache.get(`${key}|pre`) : undefined;
      throwIfCancelled();
      pre = kept ?? runOne(fused.bare, inputs, weights);
      if (key && !kept) cache.set(`${key}|pre`, pre);
      output = (key ? cache.get(key) : undefined) ?? E.activation(pre, fused.fn);
      if (key) cache.set(key, output);
    } else output = byIndex.get(index)!;
  } catch (e) {
    // A layer the engine refused keeps the engine's code (also across the worker boundary).
    if (e instanceof RunError && e.code) throw new EngineError(e.code, e.message);
    throw e;
  }
  const inputs = target.inputs.map((i) => (i < 0 ? req.input : byIndex.get(i)!));
  const keys = got.keys;
  const own = keys?.[index];
  return buildLayerView({
    ...(keys && own
      ? {
          keys: {
            inputs: target.inputs.map((i) => (i < 0 ? `in:${got.inputKey}` : keys[i])),
            output: own,
            preActivation: `${own}|pre`,
            otherPool: `${own}|other`,
          },
        }
      : {}),
    graph,
    index,
    inputs,
    output,
    ...(pre ? { preActivation: pre } : {}),
    weights,
    weightsInfo: req.weightsInfo,
    preprocessing: req.preprocessing,
    ...(req.held?.length ? { held: new Set(req.held) } : {}),
  });
}

const SOFTMAX_LIKE = new Set(['softmax', 'log_softmax']);

/** One layer on its inputs, an engine refusal named by the layer. */
function runOne(layer: LayerNode, inputs: Tensor[], weights: WeightSource): Tensor {
  try {
    return runLayer(layer, inputs, weights);
  } catch (e) {
    if (e instanceof EngineError) throw new RunError(layer.name, e.message, e.code);
    throw e;
  }
}

interface Computed {
  outputs: Map<number, Tensor>;
  /** The activation keys of layers 0..index (when activations are kept). */
  keys?: string[];
  /** The model input's key (a hash of its values), with `keys`. */
  inputKey?: string;
}

/** The outputs of the `targets` layers, running the model from its input. */
function computeAll(req: ViewRequest, weights: WeightSource, targets: number[]): Computed {
  if (targets.length === 0) return { outputs: new Map() };
  const needed = new Set(targets);
  const runs: LayerRun[] = runModel(req.graph, req.input, weights, {
    until: Math.max(...targets),
    keep: (i) => needed.has(i),
    beforeLayer: throwIfCancelled,
  });
  return { outputs: new Map(runs.map((r) => [r.layer.index, r.output])) };
}

/** Activations kept in this thread (the worker) between requests; see activationCache.ts. */
const cache = new ActivationCache(DEFAULT_CACHE_MB * 2 ** 20);

/** How many layers the last request computed (the rest came from the cache): for tests. */
export let lastComputed = 0;

/**
 * The same outputs, computing only the layers whose output is not kept: from the target back,
 * a layer found in the cache stops the walk; the layers left run in order, each kept.
 */
function computeCached(req: ViewRequest, weights: WeightSource, targets: number[]): Computed {
  const { graph, index } = req;
  cache.maxBytes = Math.max(0, req.cacheMb ?? DEFAULT_CACHE_MB) * 2 ** 20;
  cache.trim();
  initialValues.maxBytes = cache.maxBytes / 4;
  initialValues.trim();
  const presetSpec = req.preset ? graph.layers[req.preset.layer]?.spec.id : undefined;
  const inputKey = hashTensor(req.input);
  const keys = activationKeys(
    graph,
    index,
    inputKey,
    (node) => `${req.weightsKey}${node.spec.id === presetSpec ? `|${JSON.stringify(req.preset!.presets)}` : ''}`,
  );
  const have = new Map<number, Tensor>();
  const need = new Set<number>();
  const stack = [...targets];
  while (stack.length) {
    const j = stack.pop()!;
    if (need.has(j) || have.has(j)) continue;
    const hit = cache.get(keys[j]!);
    if (hit) {
      have.set(j, hit);
      continue;
    }
    need.add(j);
    for (const i of graph.layers[j]!.inputs) if (i >= 0) stack.push(i);
  }
  lastComputed = need.size;
  for (const j of [...need].sort((a, b) => a - b)) {
    throwIfCancelled();
    const layer = graph.layers[j]!;
    const ins = layer.inputs.map((i) => (i < 0 ? req.input : have.get(i)!));
    const y = runOne(layer, ins, weights);
    have.set(j, y);
    cache.set(keys[j]!, y);
  }
  return { outputs: have, keys, inputKey };
}

/**
 * Initial (seeded) parameter values kept in this thread: a layer's view reads its kernel for the
 * run, the kernel tiles and the statistics, and a view of the same layer later reads them again;
 * drawing 2.4 M seeded values each time cost more than the view. Bounded like the activations
 * (a quarter of their bound). The arrays are shared: nothing that reads a weight may write it.
 */
const initialValues = new ActivationCache((DEFAULT_CACHE_MB / 4) * 2 ** 20);

const keptInitialValue: Initializer = (p, node, seed) => {
  const s = node.spec;
  // everything initialValue reads: the seed, the layer's name, framework, configuration and
  // written initializers, and the parameter itself
  const key = hashText(JSON.stringify([seed, s.framework, s.type, node.name, s.cfg, s.init ?? null, p]));
  const kept = initialValues.get(key);
  if (kept) return kept.data;
  const data = initialValue(p, node, seed);
  initialValues.set(key, { shape: [data.length], data });
  return data;
};

/** Drops the kept activations and initial values (the panel closed). */
export function clearActivations(): void {
  cache.clear();
  initialValues.clear();
  clearBuiltViews();
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

/** Frees the activations the worker keeps (when the panel closes). */
export const panelForgetJob: JobDef<null, null> = {
  name: 'panel.forget',
  run: () => {
    clearActivations();
    return null;
  },
  transfers: () => [],
};
