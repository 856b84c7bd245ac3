/**
 * Finding the models in a file after its code has been followed, and tracing each one into a
 * ModelGraph: Keras Sequential and functional models, subclassed keras.Model, top-level
 * nn.Sequential and nn.Module subclasses (those not used inside another module).
 */
import { isKnown, sym, type Dim, type Shape } from '../shared/dims';
import type { Diagnostic } from '../model/diagnostics';
import { conventions } from '../model/conventions';
import type { Framework, InputSource, LayerNode, LayerSpec, ModelGraph, Range } from '../model/ir';
import {
  buffersWithoutInput,
  inferLayer,
  inputHintOf,
  paramsWithoutInput,
  type InputHint as LayerInputHint,
} from '../model/layers';
import { withNamer } from './frameworks/apply';
import { modelTotals, modulePaths } from './moduleTree';
import { makeInputTensor, modelNodes, normalizePath } from './frameworks/calls';
import { applyInOrder } from './frameworks/containers';
import { isKerasLayerClass } from './frameworks/kerasCustom';
import { moduleSpec } from './frameworks/modules';
import { BudgetExceeded, LIMITS, type Interpreter, type NodeRecord } from './interp/interpreter';
import type { StopPoint } from './interp/stops';
import type { ContainerValue, InstanceValue, KerasModelValue, TensorValue, Value } from './interp/values';

export interface InputHint {
  shape: number[];
  source: InputSource;
}

export interface ModelOptions {
  /** An input shape without the batch dimension from --input-shape or a setting. */
  inputShape?: number[] | null;
  /** Input shapes without the batch dimension for single models, by model name (before `inputShape`). */
  inputShapes?: Readonly<Record<string, number[]>>;
  /** Comments `# convlens: input_shape=(…)` found in the file. */
  comments: { shape: number[]; range: Range; line: number }[];
}

type Root =
  | { kind: 'kmodel'; v: KerasModelValue; range: Range }
  | { kind: 'container'; v: ContainerValue; range: Range }
  | { kind: 'instance'; v: InstanceValue; range: Range };

const MAX_PIN_SIZE = 1024;
/** Models traced in one file, and classes built with their default arguments to find them. */
export const MAX_MODELS = 100;
const MAX_CLASSES_BUILT = 200;
const STOP: Value = { t: 'none' };

export function discoverModels(
  ip: Interpreter,
  opts: ModelOptions,
): { models: ModelGraph[]; diagnostics: Diagnostic[] } {
  // Classes never instantiated are built with their default arguments; required ones stay unknown.
  // the file's run stopped (budget or deadline): what it built is still traced, within a last allowance
  ip.lastAllowance(LIMITS.lastSteps);
  const missing = new Map<number, string[]>();
  let built = 0;
  for (const cls of ip.classes) {
    if (ip.stopped) break;
    if (cls.framework && cls.instantiated === 0 && !isKerasLayerClass(cls, normalizePath)) {
      if (++built > MAX_CLASSES_BUILT) {
        ip.capped ??= `only the first ${MAX_CLASSES_BUILT} classes never instantiated were built`;
        break;
      }
      try {
        ip.resetBudget();
        const init = ip.findMember(cls, '__init__')?.value;
        if (init?.t === 'func')
          missing.set(
            cls.id,
            init.def.params.slice(1).flatMap((p) => (p.default || p.star ? [] : [p.name])),
          );
        ip.instantiate(
          cls,
          { positional: [], keywords: new Map(), posRanges: [], kwRanges: new Map() },
          cls.def.nameRange,
        );
      } catch (e) {
        if (!(e instanceof BudgetExceeded)) throw e;
        ip.capped = e.message;
      }
    }
  }
  const childClasses = new Set(ip.instances.filter((i) => i.usedAsChild).map((i) => i.cls.id));
  const roots: Root[] = [];
  for (const m of ip.kmodels) if (!m.usedAsChild) roots.push({ kind: 'kmodel', v: m, range: m.range });
  for (const c of ip.containers) {
    if (!c.usedAsChild && (c.kind === 'keras-seq' || (c.kind === 'torch-seq' && c.children.length > 0)))
      roots.push({ kind: 'container', v: c, range: c.range });
  }
  const seen = new Set<string>();
  const candidates = ip.instances.filter(
    (i) =>
      i.cls.framework &&
      !i.usedAsChild &&
      !childClasses.has(i.cls.id) &&
      !isKerasLayerClass(i.cls, normalizePath) &&
      !isEmptyLibraryModule(i),
  );
  candidates.sort((a, b) => Number(!!b.exampleInput) - Number(!!a.exampleInput));
  for (const inst of candidates) {
    // a class of the file is one model; a library class is one model per variable the file binds
    // (`model_ft = resnet18()` and `model_conv = resnet18()` are two)
    const key = inst.cls.file && inst.varName ? `${inst.cls.id}:${inst.varName}` : String(inst.cls.id);
    if (seen.has(key)) continue;
    seen.add(key);
    // a class from another module is shown where this file creates it
    roots.push({ kind: 'instance', v: inst, range: inst.cls.file ? inst.range : inst.cls.def.r });
  }
  roots.sort((a, b) => a.range.from - b.range.from);
  if (roots.length > MAX_MODELS) {
    roots.length = MAX_MODELS;
    ip.capped ??= `only the first ${MAX_MODELS} models were traced`;
  }
  const models: ModelGraph[] = [];
  const diagnostics: Diagnostic[] = [];
  const bound = new Set(roots.map((r) => commentFor(r, opts, ip)).filter((c) => c !== null));
  const fileDefault = opts.comments.find((c) => !bound.has(c)) ?? null;
  for (const root of roots) {
    // the analysis's budget or deadline ran out: the models found so far are what it returns
    if (ip.stopped) break;
    const g = buildModel(ip, root, opts, fileDefault, diagnostics);
    if (!g) continue;
    const args = root.kind === 'instance' ? (missing.get(root.v.cls.id) ?? []) : [];
    if (args.length > 0) {
      g.partial = true;
      diagnostics.push({
        range: g.range,
        severity: 'info',
        code: 'model-partial',
        args: { model: g.name, why: 'unknown-argument', name: args.map((a) => `'${a}'`).join(', '), module: '' },
      });
    }
    models.push(g);
  }
  return { models, diagnostics };
}

/**
 * A module of another file's class with no submodules, tensors or layer of its own (torchvision's
 * transforms.Normalize, RandomResizedCrop in a transforms.Compose([...])) is not a model to show.
 */
function isEmptyLibraryModule(i: InstanceValue): boolean {
  return !!i.cls.file && i.cls.framework === 'pytorch' && i.children.length === 0 && !i.own?.size && !i.base;
}

function rootFramework(root: Root): Framework {
  if (root.kind === 'kmodel') return 'keras';
  if (root.kind === 'container') return root.v.fw;
  return root.v.cls.framework ?? 'pytorch';
}

/** A Keras model's `name=` (as model.summary() prints it), else the variable it is bound to, else the class. */
function rootName(root: Root): string {
  if (root.kind === 'kmodel') return root.v.name ?? root.v.varName ?? 'functional';
  if (root.kind === 'container')
    return root.v.name ?? root.v.varName ?? (root.v.fw === 'keras' ? 'sequential' : 'Sequential');
  return root.v.cls.def.name;
}

/** What the first layer under a root (in registration order) says of the input: rank, channels or features. */
function firstHint(root: Value): LayerInputHint | null {
  let found: LayerInputHint | null = null;
  const seen = new Set<Value>();
  const walk = (v: Value): void => {
    if (found || seen.has(v) || seen.has(STOP)) return;
    seen.add(v);
    if (v.t === 'layer') {
      // a first layer whose arguments could not be read says nothing; later layers would mislead
      if (v.spec.cfg.kind === 'unknown') seen.add(STOP);
      else found = inputHintOf(v.spec.cfg);
    } else if (v.t === 'container') v.children.forEach((c) => walk(c.value));
    else if (v.t === 'instance' && v.base) walk(v.base);
    else if (v.t === 'instance')
      v.children.forEach((n) => {
        const c = v.attrs.get(n);
        if (c) walk(c);
      });
  };
  walk(root);
  return found;
}

function symbolicInput(fw: Framework, root: Value): Shape {
  const hint = firstHint(root);
  const batch = batchDim(fw);
  if (hint && 'features' in hint) return [batch, hint.features ?? sym('F')];
  const channels: Dim = hint?.channels ?? sym('C');
  const spatial: Dim[] = hint?.rank === 1 ? [sym('L')] : [sym('H'), sym('W')];
  return conventions(fw).joinShape(batch, spatial, channels);
}

/** The batch dimension of a symbolic input: Keras None (it has no name to carry), PyTorch N. */
function batchDim(fw: Framework): Dim {
  const symbol = conventions(fw).batchSymbol;
  return symbol === 'None' ? { sym: symbol } : sym(symbol);
}

function commentFor(root: Root, opts: ModelOptions, ip: Interpreter): ModelOptions['comments'][number] | null {
  const start = root.range.from;
  const startLine = ip.line(start);
  for (const c of opts.comments) {
    if (
      (c.range.from >= root.range.from && c.range.to <= root.range.to) ||
      (c.line < startLine && c.line >= startLine - 2)
    )
      return c;
  }
  return null;
}

function withBatch(fw: Framework, shape: readonly number[], batch?: Dim): Shape {
  const b: Dim = batch ?? batchDim(fw);
  return [b, ...shape.map((d, i) => (d < 0 ? sym(['H', 'W', 'D'][i] ?? `D${i}`) : d))];
}

function trace(
  ip: Interpreter,
  root: Root,
  input: Shape,
  paths: Map<number, string>,
): { nodes: NodeRecord[]; capped: string | null; stop: StopPoint | null } {
  const start = ip.nodes.length;
  ip.stop = null;
  const fw = rootFramework(root);
  let capped: string | null = null;
  ip.tracing++;
  ip.tracedRoot = root.v;
  ip.resetBudget();
  // a forward may assign to its module (`self.moving_mean = …`): every trace starts from the
  // modules as their constructors left them
  const saved = ip.instances.map((inst) => [inst, new Map(inst.attrs)] as const);
  try {
    withNamer(
      (spec) => (spec.framework === 'pytorch' ? (paths.get(spec.id) ?? null) : spec.name),
      () => {
        const x = makeInputTensor(fw, input);
        // a Sequential's children in turn, each called where it was built (it says where it stopped)
        if (root.kind === 'container')
          applyInOrder(ip, root.v.children, x, (c) => (c.t === 'layer' ? c.spec.range : root.range));
        else if (root.kind === 'instance')
          ip.call(
            root.v,
            { positional: [x], keywords: new Map(), posRanges: [root.range], kwRanges: new Map() },
            root.range,
          );
      },
    );
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    capped = e.message;
  } finally {
    ip.tracing--;
    ip.tracedRoot = null;
    for (const [inst, attrs] of saved) inst.attrs = attrs;
  }
  return { nodes: ip.nodes.slice(start), capped, stop: ip.stop };
}

/** A functional model's InputLayers, which Keras lists first in model.layers (Sequential does not). */
function inputNodes(m: KerasModelValue): NodeRecord[] {
  const seen = new Set<number>();
  const out: NodeRecord[] = [];
  for (const t of m.inputs) {
    const spec = t.inputLayer;
    if (!spec || seen.has(spec.id)) continue;
    seen.add(spec.id);
    const label = `InputLayer '${spec.name}'`;
    const result = t.shape
      ? inferLayer(spec.cfg, {
          conv: conventions('keras'),
          type: spec.type,
          label,
          shapes: [t.shape],
          rf: t.rf,
          argRanges: {},
        })
      : null;
    const x: TensorValue = { t: 'tensor', fw: 'keras', shape: t.shape, rf: t.rf, producer: -1 };
    out.push({ spec, argRanges: {}, inputs: [x], output: t, callRange: spec.range, result, label });
  }
  return out;
}

/**
 * Tries square inputs until a size the code pins matches what arrives: a Linear's in_features,
 * or `x.view(-1, k)`'s k values per sample. The smallest size wins.
 */
function pinInput(
  ip: Interpreter,
  root: Root,
  symbolic: Shape,
  nodes: NodeRecord[],
  paths: Map<number, string>,
): { shape: number[]; spec: LayerSpec; features: number; arg: string } | null {
  const perSample = (s: Shape | null | undefined): Dim | null =>
    s ? s.slice(1).reduce<Dim>((a, d) => (isKnown(a) && isKnown(d) ? a * d : { sym: '?' }), 1) : null;
  let target: {
    spec: LayerSpec;
    at: number;
    features: number;
    arg: string;
    arriving: (n: NodeRecord) => Dim | null;
  } | null = null;
  for (const [at, n] of nodes.entries()) {
    const c = n.spec.cfg;
    const inShape = n.inputs[0]?.shape;
    if (!inShape) break;
    if (c.kind === 'dense' && c.inFeatures !== null && !isKnown(inShape[inShape.length - 1]!)) {
      target = {
        spec: n.spec,
        at,
        features: c.inFeatures,
        arg: 'in_features',
        arriving: (m) => m.inputs[0]?.shape?.[m.inputs[0].shape.length - 1] ?? null,
      };
      break;
    }
    if (
      c.kind === 'reshape' &&
      c.includesBatch &&
      c.target[0] === -1 &&
      c.target.slice(1).every((d) => d > 0) &&
      !isKnown(perSample(inShape)!)
    ) {
      target = {
        spec: n.spec,
        at,
        features: c.target.slice(1).reduce((a, b) => a * b, 1),
        arg: 'values per sample',
        arriving: (m) => perSample(m.inputs[0]?.shape),
      };
      break;
    }
  }
  if (!target) return null;
  const channels = symbolic[1]!;
  if (symbolic.length !== 4 || !isKnown(channels)) return null;
  for (let s = 1; s <= MAX_PIN_SIZE; s++) {
    const mark = ip.nodes.length;
    const { nodes: ns } = trace(ip, root, [1, channels, s, s], paths);
    ip.nodes.length = mark;
    // a module keeps its spec from trace to trace; a functional op (a view) gets a new one each time, so it is
    // found by its place (the same code runs in the same order)
    const hit = target.spec.functional ? ns[target.at] : ns.find((n) => n.spec.id === target.spec.id);
    // the size must suit the whole model, not only the first layer that fixes it (pooling's floor
    // lets several sizes reach one layer's features; a later reshape may accept only one of them)
    const fits = (): boolean => ns.every((n) => !n.result?.issues.some((i) => i.severity === 'error'));
    if (hit && target.arriving(hit) === target.features && fits())
      return { shape: [channels, s, s], spec: target.spec, features: target.features, arg: target.arg };
  }
  return null;
}

function buildModel(
  ip: Interpreter,
  root: Root,
  opts: ModelOptions,
  fileComment: { shape: number[]; line: number } | null,
  diagnostics: Diagnostic[],
): ModelGraph | null {
  const fw = rootFramework(root);
  const name = rootName(root);
  const option = (Object.hasOwn(opts.inputShapes ?? {}, name) ? opts.inputShapes![name] : null) ?? opts.inputShape;
  const rootValue: Value = root.v;
  const registered = new Map<number, LayerSpec>();
  const paths =
    root.kind === 'kmodel'
      ? new Map<number, string>()
      : modulePaths(rootValue, registered, (inst) => moduleSpec(ip, inst));
  let nodes: NodeRecord[];
  let inputShape: Shape | null;
  let inputSource: InputSource;
  let capped: string | null = null;
  let stop: StopPoint | null = null;
  const modelRange = root.kind === 'instance' && !root.v.cls.file ? root.v.cls.def.nameRange : root.range;
  if (root.kind === 'kmodel') {
    nodes = [...inputNodes(root.v), ...modelNodes(ip, root.v)];
    inputShape = root.v.inputs[0]?.shape?.slice(1) ?? null;
    inputSource = option
      ? { kind: 'option', detail: 'the input shape option' }
      : { kind: 'declared', detail: 'Input(shape=…)' };
  } else {
    const comment = commentFor(root, opts, ip);
    let full: Shape | null = null;
    if (option) {
      full = withBatch(fw, option);
      inputSource = { kind: 'option', detail: 'the input shape option' };
    } else if (comment) {
      full = withBatch(fw, comment.shape);
      inputSource = { kind: 'comment', detail: `the comment on line ${comment.line}` };
    } else if (root.kind === 'container' && root.v.declaredInput) {
      full = withBatch(fw, root.v.declaredInput.shape);
      inputSource = { kind: 'declared', detail: root.v.declaredInput.detail };
    } else if (root.kind === 'instance' && root.v.exampleInput) {
      full = root.v.exampleInput.shape;
      if (fw === 'pytorch' && isKnown(full[0]!)) full = [sym('N'), ...full.slice(1)];
      inputSource = { kind: 'example', detail: root.v.exampleInput.detail };
    } else if (fileComment) {
      full = withBatch(fw, fileComment.shape);
      inputSource = { kind: 'comment', detail: `the comment on line ${fileComment.line}` };
    } else {
      inputSource = { kind: 'symbolic', detail: 'no input shape in the file' };
    }
    if (full) {
      ({ nodes, capped, stop } = trace(ip, root, full, paths));
    } else {
      const symbolic = symbolicInput(fw, rootValue);
      full = symbolic;
      ({ nodes, capped, stop } = trace(ip, root, symbolic, paths));
      // an input guessed from a layer the trace never reached is no input: only a full trace pins one
      const pinned = fw === 'pytorch' && !capped && !stop ? pinInput(ip, root, symbolic, nodes, paths) : null;
      if (pinned) {
        full = withBatch(fw, pinned.shape);
        ({ nodes, capped, stop } = trace(ip, root, full, paths));
        const layerName = paths.get(pinned.spec.id) ?? `${pinned.spec.type}(-1, ${pinned.features})`;
        inputSource = { kind: 'inferred', detail: `${layerName} ${pinned.arg}=${pinned.features}` };
        diagnostics.push({
          range: modelRange,
          severity: 'info',
          code: 'input-inferred',
          args: {
            model: name,
            shape: `(${pinned.shape.join(', ')})`,
            layer: `'${layerName}'`,
            arg: pinned.arg,
            features: pinned.features,
          },
        });
      } else if (nodes.length > 0) {
        diagnostics.push({
          range: modelRange,
          severity: 'info',
          code: 'input-unknown',
          args: { model: name, example: conventions(fw).exampleInput },
        });
      }
    }
    inputShape = full.slice(1);
  }
  // a module class with a forward is listed even when nothing could be traced, saying why
  if (nodes.length === 0 && !(root.kind === 'instance' && hasForward(ip, root.v))) return null;
  if (stop)
    diagnostics.push({
      range: stop.range,
      severity: 'info',
      code: 'model-partial',
      args: { model: name, why: stop.why, name: stop.name, module: stop.module },
    });
  if (capped)
    diagnostics.push({
      range: modelRange,
      severity: 'warning',
      code: 'file-capped',
      args: { detail: `${name}: ${capped}` },
    });
  const layers = toLayerNodes(nodes, paths, diagnostics);
  // PyTorch's parameters() holds every registered module's, called or not (an auxiliary head)
  const { total, trainable, buffers } = modelTotals(layers, fw === 'pytorch' ? registered : null);
  const variable = root.kind === 'instance' ? null : root.v.varName;
  return {
    name,
    ...(variable && variable !== name ? { variable } : {}),
    framework: fw,
    kind:
      root.kind === 'kmodel'
        ? 'functional'
        : root.kind === 'container'
          ? 'sequential'
          : fw === 'keras'
            ? 'subclass'
            : 'module',
    range: modelRange,
    inputShape,
    inputSource,
    layers,
    totalParams: total,
    trainableParams: trainable,
    ...(stop ? { partial: true } : {}),
    ...(root.v.weightsFile ? { weightsFile: root.v.weightsFile } : {}),
    buffers,
  };
}

function hasForward(ip: Interpreter, inst: InstanceValue): boolean {
  const m = ip.findMember(inst.cls, inst.cls.framework === 'keras' ? 'call' : 'forward');
  return m?.value.t === 'func' || !!inst.containerKind;
}

function toLayerNodes(nodes: NodeRecord[], paths: Map<number, string>, diagnostics: Diagnostic[]): LayerNode[] {
  const counters = new Map<string, number>();
  const seen = new Set<string>();
  const layerIndex = new Map<number, number>();
  const inputIndex = new Map<number, number>();
  for (const [i, n] of nodes.entries()) {
    if (n.output.producer >= 0) layerIndex.set(n.output.producer, i);
    else if (n.output.inputLayer === n.spec) inputIndex.set(n.spec.id, i);
  }
  const indexOf = (t: TensorValue): number =>
    t.producer >= 0 ? (layerIndex.get(t.producer) ?? -1) : t.inputLayer ? (inputIndex.get(t.inputLayer.id) ?? -1) : -1;
  return nodes.map((n, index) => {
    let name: string;
    if (n.spec.functional) {
      const k = (counters.get(n.spec.type) ?? 0) + 1;
      counters.set(n.spec.type, k);
      name = `${n.spec.type}#${k}`;
    } else name = (n.spec.framework === 'pytorch' ? paths.get(n.spec.id) : n.spec.name) ?? n.spec.type;
    for (const issue of n.result?.issues ?? []) {
      const range = (issue.arg && n.argRanges[issue.arg]) || (n.spec.functional ? n.callRange : n.spec.range);
      const key = `${issue.code}:${range.from}:${range.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({
        range,
        severity: issue.severity,
        code: issue.code,
        args: issue.args,
        // a fix would edit the other module's text: only this file's layers get one
        ...(n.spec.file ? { file: n.spec.file } : issue.fix ? { fix: issue.fix } : {}),
      });
    }
    // a functional call's unmodelled arguments (a module's are said where it is built: analyze.ts)
    if (n.spec.functional)
      for (const u of n.spec.unmodelled ?? []) {
        const range = u.range ?? n.callRange;
        const key = `unsupported-argument:${range.from}:${range.to}:${u.arg}`;
        if (seen.has(key)) continue;
        seen.add(key);
        diagnostics.push({
          range,
          severity: 'warning',
          code: 'unsupported-argument',
          args: { layer: n.spec.type, arg: u.arg, value: u.value, ...(u.modelled ? { modelled: u.modelled } : {}) },
          ...(n.spec.file ? { file: n.spec.file } : {}),
        });
      }
    const r = n.result;
    return {
      index,
      spec: n.spec,
      name,
      callRange: n.callRange,
      ...(n.via ? { via: n.via } : {}),
      inputs: n.inputs.map(indexOf),
      argRanges: n.argRanges,
      inputShapes: n.inputs.map((t) => t.shape ?? []),
      outputShape: n.output.shape,
      params: r ? r.params : paramsWithoutInput(n.spec.cfg, conventions(n.spec.framework)),
      trainableParams: r ? r.trainable : null,
      buffers: r ? r.buffers : buffersWithoutInput(n.spec.cfg, conventions(n.spec.framework)),
      paramsFormula: r?.formula ?? null,
      flops: r?.flops ?? null,
      receptiveField: r?.rf ?? null,
      geometry: r?.geometry ?? null,
    };
  });
}

/**
 * Models the file builds that the analysis lost altogether ('model-lost', information): where the
 * call that built each could not be followed, and why. An application model bound at top level
 * and applied afterwards is not lost (its 'opaque-model' information says what it is).
 */
export function lostModelDiagnostics(ip: Interpreter): Diagnostic[] {
  const applied = new Set(ip.nodes.map((n) => n.spec.id));
  const lost = [...ip.lostModels.values(), ...[...ip.lostOpaque].filter(([id]) => !applied.has(id)).map(([, l]) => l)];
  return lost.map(({ where, model }) => ({
    range: where.range,
    severity: 'info',
    code: 'model-lost',
    args: { model, why: where.why, name: where.name, module: where.module },
  }));
}
