/**
 * An `.onnx` file read as a model: the graph's nodes in dependency order, constant subgraphs
 * (shape arithmetic) folded away (./constants.ts), every other node a layer of the existing
 * families (./ops.ts) with the file's initializers as its PyTorch-named weights; runs of nodes an
 * exporter writes for one PyTorch layer are that layer again (./patterns.ts). The model is
 * framework 'pytorch' (ONNX's layouts are PyTorch's), kind 'functional'; a layer is named after its
 * node (characters outside [A-Za-z0-9_.-] become '_', an empty name `<op>_<index>`, repeats get
 * `_2`, `_3`). An op that is not read ends the graph there: `partial`, with an 'unsupported-op'
 * diagnostic naming the node. One graph input is the model input (its batch axis symbolic 'N'
 * when the file leaves it open); the rest of its shape comes from the file or `options.inputShape`.
 */
import { ElementBudget, printable } from '../../io/weightLimits';
import { inputFail } from '../../io/errors';
import type { WeightTensor } from '../../io/weightFile';
import { conventions } from '../../model/conventions';
import type { Diagnostic } from '../../model/diagnostics';
import type { InputSource, LayerNode, ModelGraph, ReceptiveField } from '../../model/ir';
import { inferLayer } from '../../model/layers';
import { sym, type Dim, type Shape } from '../../shared/dims';
import type { ModelFile, ModelFileOptions } from '../types';
import { Attrs } from './attrs';
import { FOLDABLE, FoldError, fold, shapeOf, type FoldContext } from './constants';
import { OPS, type LayerPlan, type Operand } from './ops';
import { fusionAt, type FusionContext } from './patterns';
import { decodeModel, int, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxValueInfo } from './proto';
import { decodeTensor, type ConstTensor } from './tensors';

/** What the reader knows of a value name. */
type Value = { kind: 'act'; layer: number; shape: Shape } | { kind: 'const'; t: ConstTensor };

/** A ModelFile, and for each of its layers the ONNX value its output is (for comparisons). */
export interface OnnxRead {
  file: ModelFile;
  outputs: string[];
}

const NO_RANGE = { from: 0, to: 0 };
const CONV = conventions('pytorch');

/** Layer names from node names: safe characters, never empty, unique. */
export class LayerNames {
  private readonly used = new Set<string>();

  name(raw: string, op: string, index: number): string {
    let base = raw ? raw.replace(/[^A-Za-z0-9_.-]/g, '_') : `${op}_${index}`;
    // weight matching ignores a DataParallel 'module.' prefix of stored names: keep it from ours
    if (base.startsWith('module.')) base = `_${base}`;
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }
}

function defaultOpset(model: OnnxModel): number | null {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry ? int(entry.version) : null;
}

/** Graph names exporters give every model. */
const GENERIC_GRAPH_NAMES = new Set(['main_graph', 'torch_jit', 'torch-jit-export', 'tf2onnx', 'graph', 'model']);

function metadataOf(model: OnnxModel, graph: OnnxGraph, opset: number | null): Record<string, string> {
  const m: Record<string, string> = {};
  if (model.producerName) m['producer'] = model.producerName;
  if (model.producerVersion) m['producer_version'] = model.producerVersion;
  m['ir_version'] = String(int(model.irVersion));
  if (opset !== null) m['opset'] = String(opset);
  if (graph.name) m['graph'] = graph.name;
  for (const p of model.metadataProps.slice(0, 100)) m[printable(p.key)] = printable(p.value);
  return m;
}

/**
 * The nodes in an order where each comes after the nodes it reads: the file's own order when it
 * already is one (ONNX requires it), else a topological sort. A cycle is an InputError.
 */
function dependencyOrder(nodes: readonly OnnxNode[], file: string): number[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) =>
    n.output.forEach((o) => {
      if (!o) return;
      if (producer.has(o)) inputFail('corrupt', `${file}: two nodes produce the value '${printable(o)}'`);
      producer.set(o, i);
    }),
  );
  const deps = nodes.map((n) => [...new Set(n.input.flatMap((v) => (producer.has(v) ? [producer.get(v)!] : [])))]);
  if (deps.every((d, i) => d.every((j) => j < i))) return nodes.map((_, i) => i);
  const waiting = deps.map((d) => d.length);
  const users: number[][] = nodes.map(() => []);
  deps.forEach((d, i) => d.forEach((j) => users[j]!.push(i)));
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  const order: number[] = [];
  for (let k = 0; k < ready.length; k++) {
    const i = ready[k]!;
    order.push(i);
    for (const u of users[i]!) if (--waiting[u]! === 0) ready.push(u);
  }
  if (order.length < nodes.length) {
    const stuck = nodes[waiting.findIndex((w) => w > 0)]!;
    inputFail(
      'corrupt',
      `${file}: the graph has a cycle: node '${printable(stuck.name || stuck.opType)}' depends on its own output`,
    );
  }
  return order;
}

/** The model input's shape, batch first: the file's dims, `inputShape` for those it leaves open. */
function inputShapeOf(info: OnnxValueInfo, options: ModelFileOptions): { shape: Dim[]; source: InputSource } | string {
  const dims = info.type?.tensorType?.shape?.dim ?? null;
  const given = options.inputShape ?? null;
  if (!dims) {
    if (!given) return `the input '${printable(info.name)}' has no shape; pass the input shape`;
    return { shape: [sym(CONV.batchSymbol), ...given], source: { kind: 'option', detail: 'the input shape given' } };
  }
  if (given && given.length !== dims.length - 1)
    return `the input shape given has ${given.length} axes; the file's input has ${dims.length - 1} besides the batch`;
  let fromOption = false;
  const shape = dims.map((d, i): Dim => {
    const v = d.dimValue !== undefined ? int(d.dimValue) : 0;
    if (!d.dimParam && v > 0) return v;
    if (i === 0) return sym(CONV.batchSymbol);
    const g = given?.[i - 1];
    if (g !== undefined) {
      fromOption = true;
      return g;
    }
    return sym(d.dimParam || '?');
  });
  return {
    shape,
    source: fromOption
      ? { kind: 'option', detail: 'the input shape given, for the sizes the file leaves open' }
      : { kind: 'declared', detail: `the ONNX graph input '${printable(info.name)}'` },
  };
}

function inputRF(shape: Shape): ReceptiveField | null {
  const rank = shape.length - 2;
  return rank >= 1 ? { size: new Array<number>(rank).fill(1), jump: new Array<number>(rank).fill(1) } : null;
}

/** Reads an ONNX ModelProto. Every failure to read the container is an InputError naming `name`. */
export function readOnnx(bytes: Uint8Array, name: string, options: ModelFileOptions = {}): OnnxRead {
  const model = decodeModel(bytes, name);
  const g = model.graph;
  if (!g || (g.node.length === 0 && g.input.length === 0))
    inputFail('corrupt', `${name}: not an ONNX model (no graph in the file)`);
  const opsetFound = defaultOpset(model);
  const opset = opsetFound ?? 21;
  const diagnostics: Diagnostic[] = [];
  const diag = (code: 'unsupported-op' | 'model-file', node: string, args: Record<string, string>) =>
    diagnostics.push({
      range: NO_RANGE,
      severity: code === 'unsupported-op' ? 'warning' : 'error',
      code,
      args: { node, ...args },
      node,
    });
  if (opsetFound === null)
    diag('model-file', '', { detail: `${name} names no ONNX opset; it is read as opset ${opset}` });
  const metadata = metadataOf(model, g, opsetFound);
  const budget = new ElementBudget(name);
  const values = new Map<string, Value>();
  for (const t of g.initializer)
    values.set(t.name, { kind: 'const', t: decodeTensor(t, name, `initializer '${printable(t.name)}'`, budget) });
  // exporters name every graph alike (torch: 'main_graph', 'torch_jit'): the file's name says more
  const stem = name.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
  const graphName = !g.name || GENERIC_GRAPH_NAMES.has(g.name) ? stem : g.name;
  const inputInfo = g.input.find((v) => !values.has(v.name));
  if (!inputInfo) inputFail('unsupported', `${name}: the graph has no input (every input is an initializer)`);
  const inp = inputShapeOf(inputInfo, options);
  if (typeof inp === 'string') inputFail('bad-argument', `${name}: ${inp}`);
  values.set(inputInfo.name, { kind: 'act', layer: -1, shape: inp.shape });

  const nodes = g.node;
  const order = dependencyOrder(nodes, name);
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) =>
    n.input.forEach((v) => {
      if (!v) return;
      const list = consumers.get(v);
      if (list) list.push(i);
      else consumers.set(v, [i]);
    }),
  );
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const names = new LayerNames();
  const layers: LayerNode[] = [];
  const outputs: string[] = [];
  const weights: WeightTensor[] = [];
  const rfs: (ReceptiveField | null)[] = [];
  const absorbed = new Set<number>();
  let partial = false;
  const fusions: FusionContext = {
    nodes,
    consumers,
    graphOutputs,
    constant: (v) => {
      const val = values.get(v);
      return val?.kind === 'const' ? val.t : null;
    },
  };

  const decodeAttr = (node: string) => (t: Parameters<typeof decodeTensor>[0]) =>
    decodeTensor(t, name, `the value of node '${printable(node)}'`, budget);

  // Constant nodes first (they read nothing): exporters place them just before their first
  // use, after the node that starts a run to fuse
  const folded = new Set<number>();
  nodes.forEach((node, i) => {
    if (node.opType !== 'Constant' || node.domain || !node.output[0]) return;
    const attrs = new Attrs(node);
    const ctx: FoldContext = {
      file: name,
      what: `node '${printable(node.name || 'Constant')}' (Constant)`,
      attrs,
      opset,
    };
    try {
      values.set(node.output[0], { kind: 'const', t: fold('Constant', [], ctx, decodeAttr(node.name || 'Constant')) });
      folded.add(i);
    } catch (e) {
      if (!(e instanceof FoldError)) throw e;
    }
  });

  for (const i of order) {
    if (absorbed.has(i) || folded.has(i)) continue;
    const node = nodes[i]!;
    const op = node.opType;
    const lname = names.name(node.name, op, i);
    if (node.domain && node.domain !== 'ai.onnx') {
      diag('unsupported-op', lname, { op, detail: `operator domain '${printable(node.domain)}'` });
      partial = true;
      break;
    }
    const missing = node.input.find((v) => v && !values.has(v));
    if (missing !== undefined) {
      diag('model-file', lname, {
        detail: g.input.some((v) => v.name === missing)
          ? `reads the graph input '${printable(missing)}'; only models with one input are read`
          : `reads '${printable(missing)}', which no node, initializer or graph input produces`,
      });
      partial = true;
      break;
    }
    const operands = node.input.map((v): Operand | null => {
      if (!v) return null;
      const val = values.get(v)!;
      return val.kind === 'const' ? val : { kind: 'act', name: v, shape: val.shape };
    });
    const attrs = new Attrs(node);
    const ctx: FoldContext = { file: name, what: `node '${printable(node.name || op)}' (${op})`, attrs, opset };
    const allConst = operands.every((o) => o === null || o.kind === 'const');
    const first = operands[0];
    if (op === 'Constant' || (FOLDABLE.has(op) && allConst) || (op === 'Shape' && first?.kind === 'act')) {
      try {
        const t =
          op === 'Shape' && first?.kind === 'act'
            ? shapeOf(ctx, first.shape)
            : fold(
                op,
                operands.map((o) => (o && o.kind === 'const' ? o.t : null)),
                ctx,
                decodeAttr(node.name || op),
              );
        if (node.output[0]) values.set(node.output[0], { kind: 'const', t });
        continue;
      } catch (e) {
        if (!(e instanceof FoldError)) throw e;
        diag('unsupported-op', lname, { op, detail: e.message });
        partial = true;
        break;
      }
    }
    const map = OPS[op];
    const extra = node.output.slice(1).find((o) => o && (consumers.has(o) || graphOutputs.has(o)));
    if (!map || extra !== undefined) {
      diag('unsupported-op', lname, { op, detail: extra !== undefined ? 'its second output is used' : '' });
      partial = true;
      break;
    }
    // runs of nodes written for one PyTorch layer (MatMul + Add, the erf form of GELU)
    const fusion = fusionAt(fusions, node);
    const gelu = fusion?.kind === 'gelu' && operands[0]?.kind === 'act';
    const bias = fusion?.kind === 'dense-bias' ? fusion.bias : undefined;
    const used = gelu || bias ? fusion : null;
    for (const k of used?.absorbed ?? []) absorbed.add(k);
    const outName = used?.output ?? node.output[0]!;
    const layerOp = gelu ? 'Gelu' : op;
    const outcome = OPS[layerOp]!({
      op: layerOp,
      attrs,
      opset,
      inputs: operands,
      ...(bias ? { fusedBias: bias } : {}),
    });
    if ('unsupported' in outcome) {
      diag('unsupported-op', lname, { op, detail: outcome.unsupported });
      partial = true;
      break;
    }
    const layer = addLayer(layers, outcome, layerOp, lname, values, rfs, diagnostics);
    outputs.push(outName);
    for (const w of outcome.weights)
      weights.push({ name: `${lname}.${w.param}`, layer: lname, param: w.param, shape: w.shape, data: w.data });
    if (!layer.outputShape) {
      partial = true;
      break;
    }
    values.set(outName, { kind: 'act', layer: layer.index, shape: layer.outputShape });
  }

  const sum = (f: (l: LayerNode) => number | null): number | null =>
    layers.reduce<number | null>((s, l) => (s === null || f(l) === null ? null : s + f(l)!), 0);
  const graph: ModelGraph = {
    name: graphName,
    framework: 'pytorch',
    kind: 'functional',
    range: NO_RANGE,
    inputShape: inp.shape.slice(1),
    inputSource: inp.source,
    layers,
    totalParams: sum((l) => l.params),
    trainableParams: sum((l) => l.trainableParams),
    ...(partial ? { partial: true } : {}),
    buffers: sum((l) => l.buffers),
  };
  return { file: { format: 'onnx', name, graph, weights, diagnostics, metadata }, outputs };
}

/** Places one layer: its inputs, the shape rule's results, its diagnostics. */
function addLayer(
  layers: LayerNode[],
  p: LayerPlan,
  op: string,
  lname: string,
  values: ReadonlyMap<string, Value>,
  rfs: (ReceptiveField | null)[],
  diagnostics: Diagnostic[],
): LayerNode {
  const index = layers.length;
  const ins = p.acts.map((a) => values.get(a) as Extract<Value, { kind: 'act' }>);
  const shapes = ins.map((v) => v.shape);
  const first = ins[0]!;
  const rf = first.layer < 0 ? inputRF(first.shape) : (rfs[first.layer] ?? null);
  const r = inferLayer(p.cfg, {
    conv: CONV,
    type: op,
    label: `${op} '${lname}'`,
    shapes,
    rf,
    argRanges: {},
  });
  for (const issue of r.issues)
    diagnostics.push({ range: NO_RANGE, severity: issue.severity, code: issue.code, args: issue.args, node: lname });
  const node: LayerNode = {
    index,
    spec: { id: index, framework: 'pytorch', type: op, cfg: p.cfg, name: lname, range: NO_RANGE, functional: false },
    name: lname,
    callRange: NO_RANGE,
    inputs: ins.map((v) => v.layer),
    argRanges: {},
    inputShapes: shapes,
    outputShape: r.out,
    params: r.params,
    trainableParams: r.trainable,
    buffers: r.buffers,
    paramsFormula: r.formula,
    flops: r.flops,
    receptiveField: r.rf,
    geometry: r.geometry,
  };
  layers.push(node);
  rfs.push(r.rf);
  return node;
}

/** Reads an ONNX model file (see readOnnx). */
export function readOnnxModelFile(bytes: Uint8Array, name: string, options: ModelFileOptions): ModelFile {
  return readOnnx(bytes, name, options).file;
}
