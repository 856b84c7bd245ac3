/**
 * Runs a model graph with the engine: from an input tensor through every layer, returning each
 * layer's activation in the framework's layout (what `model(x)` or a forward hook gives).
 * Layers the engine cannot run stop the run with a message naming the layer.
 */
import * as E from '../engine';
import { channelsLastTwin, conventions } from '../model/conventions';
import type { LayerNode, ModelGraph } from '../model/ir';
import { freshOutput, RunError, runFamily, sameInEitherLayout, type ParamSpec, type RunContext } from '../model/layers';
import { layerLabel, paramSpecs } from '../model/nodes';
import { allKnown } from '../shared/dims';

export interface WeightSource {
  (node: LayerNode, p: ParamSpec): Float32Array;
  /**
   * The same values in pieces, when the source can give them so (a default initializer's draw):
   * `fill(dst)` writes the next dst.length values in memory order. Null when it cannot.
   */
  stream?: (node: LayerNode, p: ParamSpec) => ((dst: Float32Array) => void) | null;
}

export interface LayerRun {
  layer: LayerNode;
  output: E.Tensor;
  ms: number;
}

export { RunError };

/** What the layer's family needs to run it: conventions, its label, its parameters. */
/** The first of a layer's parameter tensors over the engine's element cap, as a message; null if none. */
export function paramsOverCap(node: LayerNode): string | null {
  const cap = E.getMaxElements();
  for (const p of paramSpecs(node) ?? []) {
    const n = p.shape.reduce((a, d) => a * d, 1);
    if (n > cap)
      return `${node.name}: its ${p.name} (${p.shape.join(', ')}) has ${n.toLocaleString('en-US')} elements, over the cap of ${cap.toLocaleString('en-US')}`;
  }
  return null;
}

function contextOf(node: LayerNode, weights: WeightSource): RunContext {
  return {
    conv: conventions(node.spec.framework),
    label: layerLabel(node),
    outputShape: node.outputShape && allKnown(node.outputShape) ? node.outputShape : null,
    params: (skip) => {
      const specs = paramSpecs(node);
      if (specs === null) throw new RunError(node.name, `${node.name}: its parameter shapes are not known`);
      // refused before the weights are made (drawn at random or copied): a kernel over the cap
      // would otherwise be allocated and filled first
      const over = paramsOverCap(node);
      if (over) throw new RunError(node.name, over, 'too-many-elements');
      return new Map(
        specs.filter((p) => !skip?.has(p.name)).map((p) => [p.name, E.tensor(p.shape, weights(node, p), node.name)]),
      );
    },
    stream: (name) => {
      const p = paramSpecs(node)?.find((q) => q.name === name);
      const fill = p && weights.stream?.(node, p);
      return p && fill ? { shape: p.shape, fill } : null;
    },
  };
}

/**
 * Runs one layer on its inputs (the panel reruns single layers for comparisons). `overwrite`:
 * nothing reads the inputs afterwards (RunContext.overwrite).
 */
export function runLayer(node: LayerNode, inputs: E.Tensor[], weights: WeightSource, overwrite = false): E.Tensor {
  return runFamily({ ...contextOf(node, weights), ...(overwrite ? { overwrite } : {}) }, node.spec.cfg, inputs);
}

export interface RunModelOptions {
  /** Last layer index to run (default: all). */
  until?: number;
  /**
   * Sees each layer's output as soon as it exists (progress, writing files). The output of a
   * layer not kept is valid during the call only: a later layer may write over it.
   */
  onLayer?: (r: LayerRun, index: number, total: number) => void;
  /**
   * Which outputs to return. Outputs not returned are dropped as soon as no later layer needs
   * them, so a long model does not hold every activation at once.
   */
  keep?: (index: number) => boolean;
  /** Called before each layer runs: may throw to stop the run (a cancelled request). */
  beforeLayer?: () => void;
  /**
   * Channels-first models: keep 4-D activations channels-last between layers that compute the
   * same in either layout (default true; false runs every layer on NCHW, as a reference).
   */
  channelsLastInside?: boolean;
}

/**
 * An activation in the framework's layout, channels-last (a channels-first model's 4-D
 * activation inside a chain), or both once it was needed in both.
 */
interface Slot {
  native?: E.Tensor;
  nhwc?: E.Tensor;
}

function inLayout(s: Slot, channelsLast: boolean): E.Tensor {
  return channelsLast ? (s.nhwc ??= E.toChannelsLast(s.native!)) : (s.native ??= E.toChannelsFirst(s.nhwc!));
}

function rankOf(s: Slot): number {
  return (s.native ?? s.nhwc)!.shape.length;
}

/**
 * Runs the layers in order and returns the kept layers' outputs.
 *
 * A channels-first (PyTorch) model's 4-D activations stay channels-last (NHWC) from one layer to
 * the next as long as the layers compute the same in either layout (convolutions, pooling, batch
 * norm, elementwise activations, dropout: LayerFamily.sameInEitherLayout): the SIMD kernels work
 * channels-last, so a chain of them pays no transposes. An activation is moved back to NCHW only
 * where it is read so: by another layer, or as a LayerRun's output (moved when first read, so a
 * layer nobody looks at is never moved). The values are the framework's either way.
 */
export function runModel(
  graph: ModelGraph,
  input: E.Tensor,
  weights: WeightSource,
  options: RunModelOptions | number = {},
): LayerRun[] {
  const o: RunModelOptions = typeof options === 'number' ? { until: options } : options;
  const until = Math.min(o.until ?? graph.layers.length - 1, graph.layers.length - 1);
  const keep = o.keep ?? (() => true);
  const native = conventions(graph.framework);
  const twin = o.channelsLastInside !== false && !native.channelsLast ? channelsLastTwin(native) : null;
  const lastUse = new Array<number>(until + 1).fill(-1);
  graph.layers.slice(0, until + 1).forEach((l, j) =>
    l.inputs.forEach((i) => {
      if (i >= 0) lastUse[i] = j;
    }),
  );
  const source: Slot = { native: input };
  const outs: (Slot | undefined)[] = [];
  const runs: LayerRun[] = [];
  for (let j = 0; j <= until; j++) {
    o.beforeLayer?.();
    const layer = graph.layers[j]!;
    const slots = layer.inputs.map((i) => (i < 0 ? source : outs[i]));
    if (slots.some((t) => t === undefined))
      throw new RunError(layer.name, `${layer.name}: an input of this layer was not computed`);
    const ins = slots as Slot[];
    const cl =
      twin !== null && ins.length > 0 && ins.every((s) => rankOf(s) === 4) && sameInEitherLayout(layer.spec.cfg);
    // an input nothing reads after this layer, made fresh by the layer before (a convolution's
    // output before nn.ReLU): the layer may write over it instead of allocating its result
    const only = layer.inputs.length === 1 ? layer.inputs[0]! : -1;
    const overwrite = only >= 0 && lastUse[only] === j && !keep(only) && freshOutput(graph.layers[only]!.spec.cfg);
    const onNative = (mayOverwrite: boolean) =>
      runLayer(
        layer,
        ins.map((s) => inLayout(s, false)),
        weights,
        mayOverwrite,
      );
    const t = performance.now();
    let y: E.Tensor;
    let inside = cl;
    try {
      if (!cl) y = onNative(overwrite);
      else {
        try {
          const ctx = {
            ...contextOf(layer, weights),
            conv: twin,
            outputShape: null,
            ...(overwrite ? { overwrite } : {}),
          };
          y = runFamily(
            ctx,
            layer.spec.cfg,
            ins.map((s) => inLayout(s, true)),
          );
        } catch (e) {
          if (!(e instanceof E.EngineError)) throw e;
          // a refusal is told in the framework's layout (its shapes as the user knows them)
          inside = false;
          y = onNative(false);
        }
      }
    } catch (e) {
      if (e instanceof E.EngineError) throw new RunError(layer.name, e.message, e.code);
      throw e;
    }
    const slot: Slot = inside ? { nhwc: y } : { native: y };
    const r: LayerRun = {
      layer,
      ms: performance.now() - t,
      get output() {
        return inLayout(slot, false);
      },
    };
    o.onLayer?.(r, j, until + 1);
    if (keep(j)) runs.push(r);
    outs.push(slot);
    // free activations whose last consumer has run
    for (const i of layer.inputs) if (i >= 0 && lastUse[i] === j && !keep(i)) outs[i] = undefined;
    if (lastUse[j] === -1 && !keep(j) && j < until) outs[j] = undefined;
  }
  return runs;
}
