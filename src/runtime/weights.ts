/**
 * Matching a weight file to a model's layers. PyTorch: by state-dict name (`features.0.weight`),
 * ignoring a `module.` prefix left by DataParallel. Keras: by layer name, then — when the file's
 * layer names differ (auto names from another session) — by the order of the layers that own
 * weights, if every shape agrees. Every mismatch is reported by layer.
 */
import type { LayerNode, ModelGraph } from '../model/ir';
import { paramSpecs, type ParamSpec } from './init';

export interface StoredTensor {
  name: string;
  layer: string;
  param: string;
  shape: number[];
  data: Float32Array;
}

export interface WeightMatch {
  /** Tensors by layer spec id and parameter name. */
  byLayer: Map<number, Map<string, Float32Array>>;
  matched: number;
  problems: { layer: string; message: string }[];
  /** How the layers were matched. */
  method: 'names' | 'order';
  unused: string[];
}

function shapeText(s: readonly number[]): string {
  return `(${s.join(', ')})`;
}

function weighted(graph: ModelGraph): { node: LayerNode; specs: ParamSpec[] }[] {
  const seen = new Set<number>();
  const out: { node: LayerNode; specs: ParamSpec[] }[] = [];
  for (const node of graph.layers) {
    if (node.spec.functional || seen.has(node.spec.id)) continue;
    seen.add(node.spec.id);
    const specs = paramSpecs(node);
    if (specs && specs.length > 0) out.push({ node, specs });
  }
  return out;
}

/** Keras files may number variables ('0', '1', …): take them in the layer's variable order. */
function pick(tensors: StoredTensor[], spec: ParamSpec, index: number): StoredTensor | undefined {
  // tf.keras 2 files name a DepthwiseConv2D kernel 'depthwise_kernel'; Keras 3 calls it 'kernel'
  const names = spec.name === 'kernel' ? ['kernel', 'depthwise_kernel'] : [spec.name];
  return (
    tensors.find((t) => names.includes(t.param)) ??
    (tensors.every((t) => /^\d+$/.test(t.param)) ? tensors.find((t) => Number(t.param) === index) : undefined)
  );
}

export function matchWeights(graph: ModelGraph, tensors: readonly StoredTensor[]): WeightMatch {
  const layers = weighted(graph);
  const torch = graph.framework === 'pytorch';
  const norm = (s: string) => (torch ? s.replace(/^module\./, '') : s);
  const groups = new Map<string, StoredTensor[]>();
  for (const t of tensors) {
    const key = norm(t.layer);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(t);
  }
  const byName = layers.filter((l) => groups.has(l.node.name)).length;
  const fileOrder = [...groups.keys()];
  // Keras: fall back to order when names do not line up but counts do
  const useOrder = !torch && byName < layers.length && fileOrder.length === layers.length;
  const result: WeightMatch = {
    byLayer: new Map(),
    matched: 0,
    problems: [],
    method: useOrder ? 'order' : 'names',
    unused: [],
  };
  const used = new Set<StoredTensor>();
  layers.forEach(({ node, specs }, li) => {
    const group = useOrder ? (groups.get(fileOrder[li]!) ?? []) : (groups.get(node.name) ?? []);
    if (group.length === 0) {
      result.problems.push({
        layer: node.name,
        message: `${node.name}: no weights in the file${torch ? ` (expected ${specs.map((s) => `${node.name}.${s.name}`).join(', ')})` : ''}`,
      });
      return;
    }
    const params = new Map<string, Float32Array>();
    specs.forEach((spec, i) => {
      const t = pick(group, spec, i);
      if (!t) {
        result.problems.push({ layer: node.name, message: `${node.name}: '${spec.name}' is missing from the file` });
        return;
      }
      used.add(t);
      if (t.shape.length !== spec.shape.length || t.shape.some((d, k) => d !== spec.shape[k])) {
        result.problems.push({
          layer: node.name,
          message: `${node.name}: '${spec.name}' has shape ${shapeText(t.shape)} in the file, the model needs ${shapeText(spec.shape)}`,
        });
        return;
      }
      params.set(spec.name, t.data);
      result.matched++;
    });
    result.byLayer.set(node.spec.id, params);
  });
  // non-trainable counters (BatchNorm num_batches_tracked) are expected leftovers
  result.unused = tensors.filter((t) => !used.has(t) && !/num_batches_tracked$/.test(t.name)).map((t) => t.name);
  return result;
}
