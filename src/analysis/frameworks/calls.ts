/**
 * The framework side of the interpreter: what Keras, TensorFlow and PyTorch names mean, layer
 * construction, containers (Sequential, ModuleList), models (keras.Model, nn.Module
 * subclasses) and applying them to symbolic tensors.
 */
import { sym, type Dim } from '../../shared/dims';
import type { LayerCfg, LayerSpec } from '../../model/ir';
import { conventions } from '../../model/conventions';
import { layerParams } from '../../model/layers';
import type { Range } from '../python/ast';
import type { FrameworkHooks, Interpreter, NodeRecord } from '../interp/interpreter';
import {
  NONE,
  UNKNOWN,
  asInt,
  asIntList,
  asString,
  float,
  iterItems,
  num,
  type ContainerValue,
  type InstanceValue,
  type KerasModelValue,
  type LayerValue,
  type TensorValue,
  type Value,
} from '../interp/values';
import { deepCopy, shallowCopy } from '../interp/copying';
import { activationName, bind, type CallArgs } from './args';
import { applyFunctional, applyLayer } from './apply';
import {
  KERAS_MERGE_FUNCTIONS,
  bindKeras,
  canonicalKerasClass,
  isKerasAugmentation,
  kerasInputShape,
  kerasSnake,
} from './keras';
import { IMAGE_DATA_FORMAT, applicationCfg, correctPad, obtainInputShape } from './kerasApps';
import { TORCH_MODULES, bindTorch } from './torch';
import { unmodelledArguments } from './unmodelled';
import { afterForward, layerBaseMethod, registerTensor, torchLayerAttr } from './modules';
import { callKerasLayer, callLambda, kerasLayerMethod, rememberLambda } from './kerasCustom';
import { argparseMethod, argumentParser, objectAttr } from './argparse';
import {
  UNREAD_CHILD,
  applyInOrder,
  containerListing,
  instanceMethod,
  isTorchContainerPath,
  superMethod,
} from './containers';
import { kerasInitializer, kerasInitializerArg, torchInit } from './initializers';
import { applyTensorBinary, kerasOpsArithmetic } from './tensorArithmetic';
import { tensorAttr, tensorMethod, torchFunction } from './tensorOps';
import { namespaceNames } from './torchApi';
import { itertoolsCall } from './itertools';
import { reCall, reMethod } from './pyre';
import { timmLibraryCall } from './timm';
import { dataclassesCall } from './dataclasses';
import { constTensor, constantTorchCall, isConstant } from './tensorValues';
import { emptySequentialSpec } from './emptySequential';
import { tensorIndex } from './tensorIndexing';

const CONVENTIONAL: Record<string, string> = {
  keras: 'keras',
  tf: 'tensorflow',
  tensorflow: 'tensorflow',
  nn: 'torch.nn',
  F: 'torch.nn.functional',
  torch: 'torch',
  layers: 'keras.layers',
  np: 'numpy',
  math: 'math',
  collections: 'collections',
};

/** Canonical spelling of a framework path: tf.keras.layers.Conv2D → keras.layers.Conv2D. */
export function normalizePath(path: string): string {
  let p = path
    .replace(/^tensorflow\.python\.keras(\.|$)/, 'keras$1')
    .replace(/^tensorflow\.keras(\.|$)/, 'keras$1')
    .replace(/^tf_keras(\.|$)/, 'keras$1')
    .replace(/^keras\.src\./, 'keras.');
  if (p.startsWith('keras.layers.')) p = `keras.layers.${p.split('.').pop()!}`;
  if (p === 'keras.models.Sequential' || p === 'keras.layers.Sequential') p = 'keras.Sequential';
  // keras.applications build their models as keras.src.models.Functional(inputs, outputs, name=…)
  if (/^keras\.(models\.|engine\.training\.|models\.functional\.|engine\.functional\.)?(Model|Functional)$/.test(p))
    p = 'keras.Model';
  if (p === 'keras.layers.Input') p = 'keras.Input';
  if (p.startsWith('torch.nn.modules.')) p = `torch.nn.${p.split('.').pop()!}`;
  if (p === 'torch.nn.functional') return p;
  return p;
}

const EXAMPLE_FACTORIES = new Set(['randn', 'rand', 'zeros', 'ones', 'empty', 'full', 'randint', 'normal']);

function isCapitalized(s: string): boolean {
  return /^[A-Z]/.test(s);
}

function tensorArg(v: Value | undefined): TensorValue | null {
  return v && v.t === 'tensor' ? v : null;
}

function inputRF(rank: number): { size: number[]; jump: number[] } {
  return { size: new Array<number>(rank).fill(1), jump: new Array<number>(rank).fill(1) };
}

export function makeInputTensor(fw: 'keras' | 'pytorch', shape: readonly Dim[]): TensorValue {
  const rank = Math.max(shape.length - 2, 1);
  return { t: 'tensor', fw, shape: [...shape], rf: inputRF(rank), producer: -1 };
}

function newLayer(
  ip: Interpreter,
  spec: Omit<LayerSpec, 'id'>,
  argRanges: Record<string, Range>,
  declaredInput: number[] | null = null,
): LayerValue {
  // built in another module: shown at the call here that led there, with no argument ranges to edit
  const file = ip.ext ? { file: ip.ext.info.file } : {};
  const layer: LayerValue = {
    t: 'layer',
    spec: { id: ip.nextId(), ...spec, ...file },
    argRanges: ip.ext ? {} : argRanges,
    declaredInput,
  };
  ip.layers.push(layer);
  return layer;
}

function kerasLayer(ip: Interpreter, cls: string, args: CallArgs, range: Range): LayerValue {
  const canonical = canonicalKerasClass(cls);
  const { builder, bound } = bindKeras(canonical, args);
  let cfg: LayerCfg;
  if (builder) cfg = builder.build(bound);
  else if (isKerasAugmentation(canonical)) cfg = { kind: 'identity' };
  else cfg = { kind: 'unknown', reason: `${canonical} is not modelled` };
  const explicit = asString(bound.values.get('name'));
  const name = explicit ?? ip.uniqueName(kerasSnake(canonical));
  const unmodelled = builder ? unmodelledArguments('keras', canonical, builder.params, args, bound) : [];
  const layer = newLayer(
    ip,
    {
      framework: 'keras',
      type: canonical,
      cfg,
      name,
      range,
      functional: false,
      ...(unmodelled.length ? { unmodelled } : {}),
    },
    bound.ranges,
    kerasInputShape(bound),
  );
  for (const [k, v] of bound.values) {
    const m = /^(\w+)_initializer$/.exec(k);
    const spec = m ? kerasInitializerArg(v) : null;
    if (m && spec) (layer.spec.init ??= {})[m[1]!] = spec;
  }
  if (canonical === 'Lambda') rememberLambda(layer.spec, bound.values);
  return layer;
}

function torchModule(ip: Interpreter, cls: string, args: CallArgs, range: Range): LayerValue {
  const { builder, bound } = bindTorch(cls, args);
  const cfg: LayerCfg = builder ? builder.build(bound) : { kind: 'unknown', reason: `nn.${cls} is not modelled` };
  const unmodelled = builder ? unmodelledArguments('pytorch', cls, builder.params, args, bound) : [];
  return newLayer(
    ip,
    {
      framework: 'pytorch',
      type: cls,
      cfg,
      name: null,
      range,
      functional: false,
      ...(unmodelled.length ? { unmodelled } : {}),
    },
    bound.ranges,
  );
}

function newContainer(
  ip: Interpreter,
  fw: 'keras' | 'pytorch',
  kind: ContainerValue['kind'],
  range: Range,
): ContainerValue {
  const c: ContainerValue = {
    t: 'container',
    id: ip.nextId(),
    fw,
    kind,
    children: [],
    range,
    declaredInput: null,
    varName: null,
    usedAsChild: false,
  };
  ip.containers.push(c);
  return c;
}

function markChild(v: Value): void {
  if (v.t === 'container' || v.t === 'instance') v.usedAsChild = true;
}

function kerasSeqAdd(ip: Interpreter, c: ContainerValue, v: Value, range: Range): void {
  if (v.t === 'tensor' && v.producer === -1 && v.shape) {
    c.declaredInput = {
      shape: v.shape.slice(1).map((d) => (typeof d === 'number' ? d : -1)),
      detail: `Input(shape=…) on line ${ip.line(range.from)}`,
    };
    return;
  }
  if (v.t === 'layer') {
    if (v.spec.cfg.kind === 'input') {
      if (v.declaredInput)
        c.declaredInput = { shape: v.declaredInput, detail: `InputLayer on line ${ip.line(v.spec.range.from)}` };
      return;
    }
    if (c.children.length === 0 && !c.declaredInput && v.declaredInput) {
      c.declaredInput = { shape: v.declaredInput, detail: `input_shape= on line ${ip.line(v.spec.range.from)}` };
      ip.uniqueName('input_layer');
    }
  }
  markChild(v);
  c.children.push({ name: String(c.children.length), value: v });
}

function kerasInput(ip: Interpreter, args: CallArgs, range: Range): Value {
  const b = bind(['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name'], args);
  const shape =
    ip.inputShapeOption ??
    asIntListOrNone(b.values.get('shape')) ??
    (() => {
      const bs = asIntListOrNone(b.values.get('batch_shape'));
      return bs ? bs.slice(1) : null;
    })();
  const name = asString(b.values.get('name')) ?? ip.uniqueName('input_layer');
  const inputLayer: LayerSpec = {
    id: ip.nextId(),
    framework: 'keras',
    type: 'InputLayer',
    cfg: { kind: 'input' },
    name,
    range,
    functional: false,
  };
  const t = shape
    ? makeInputTensor('keras', [
        { sym: 'None' },
        ...shape.map((d, i) => (d < 0 ? sym(i === 0 ? 'H' : i === 1 ? 'W' : `D${i}`) : d)),
      ])
    : makeInputTensor('keras', [{ sym: 'None' }, sym('…')]);
  t.inputLayer = inputLayer;
  return t;
}

/** A shape tuple, None as −1; a single int is not a shape (Keras: "Cannot convert '28' to a shape"). */
function asIntListOrNone(v: Value | undefined): number[] | null {
  if (!v || (v.t !== 'tuple' && v.t !== 'list')) return null;
  const out: number[] = [];
  for (const it of v.items) {
    if (it.t === 'none') out.push(-1);
    else {
      const x = asInt(it);
      if (x === null) return null;
      out.push(x);
    }
  }
  return out;
}

function tensorsOf(v: Value | undefined): TensorValue[] | null {
  if (!v) return null;
  if (v.t === 'tensor') return [v];
  const items = iterItems(v);
  if (!items) return null;
  const ts = items.filter((x): x is TensorValue => x.t === 'tensor');
  return ts.length === items.length && ts.length > 0 ? ts : null;
}

function callQualified(ip: Interpreter, rawPath: string, args: CallArgs, range: Range): Value {
  const path = normalizePath(rawPath);
  const last = path.split('.').pop()!;
  if (path.startsWith('keras.layers.')) {
    const merge = KERAS_MERGE_FUNCTIONS[last];
    if (merge) {
      const inputs = tensorsOf(args.positional[0] ?? args.keywords.get('inputs'));
      const rest: CallArgs = { ...args, positional: args.positional.slice(1), posRanges: args.posRanges.slice(1) };
      const layer = kerasLayer(ip, merge, rest, range);
      return inputs ? applyLayer(ip, layer, inputs, range) : UNKNOWN;
    }
    if (isCapitalized(last)) return kerasLayer(ip, last, args, range);
    return UNKNOWN;
  }
  switch (path) {
    case 'keras.Sequential': {
      const c = newContainer(ip, 'keras', 'keras-seq', range);
      const name = asString(args.keywords.get('name'));
      ip.uniqueName('sequential');
      if (name) c.name = name;
      const items = iterItems(args.positional[0] ?? args.keywords.get('layers') ?? { t: 'list', items: [] });
      for (const it of items ?? []) kerasSeqAdd(ip, c, it, range);
      return c;
    }
    case 'keras.Input':
      return kerasInput(ip, args, range);
    case 'keras.models.load_model':
    case 'keras.saving.load_model':
    case 'keras.saving.saving_api.load_model': {
      const path = asString(args.positional[0] ?? args.keywords.get('filepath'));
      return path !== null && ip.importer ? ip.importer.loadModelFile(ip, path, range) : UNKNOWN;
    }
    case 'safetensors.torch.load_file': {
      // a state dict from a file: `model.load_state_dict(…)` takes the model's weights from it
      const path = asString(args.positional[0] ?? args.keywords.get('filename'));
      const file = path !== null ? ip.importer?.findFile(path) : null;
      if (path !== null && !file)
        ip.importer?.note(range, `${path}: weights file not found next to the file or in the project root`);
      return { t: 'object', kind: 'state-dict', attrs: new Map(), what: file ?? '' };
    }
    case 'torch.load': {
      const path = asString(args.positional[0] ?? args.keywords.get('f'));
      ip.importer?.note(
        range,
        `${path ?? 'torch.load(…)'}: a pickle is never unpickled (it can run any code), so its weights are not used; save a state dict with safetensors instead — from safetensors.torch import save_file; save_file(model.state_dict(), "model.safetensors") — and load it with safetensors.torch.load_file`,
      );
      return UNKNOWN;
    }
    case 'keras.backend.image_data_format':
    case 'keras.config.image_data_format':
      return IMAGE_DATA_FORMAT;
    case 'keras.applications.imagenet_utils.obtain_input_shape':
      return obtainInputShape(args);
    case 'keras.applications.imagenet_utils.correct_pad':
      return correctPad(args);
    case 'keras.Model': {
      const b = bind(['inputs', 'outputs', 'name'], args);
      const inputs = tensorsOf(b.values.get('inputs'));
      const outputs = tensorsOf(b.values.get('outputs'));
      if (!inputs || !outputs) return UNKNOWN;
      ip.uniqueName('functional');
      const m = {
        t: 'kmodel' as const,
        id: ip.nextId(),
        inputs,
        outputs,
        range,
        name: asString(b.values.get('name')),
        varName: null,
      };
      // a model made of another's layers (a feature extractor) has that model's trained weights
      const from = weightsOwner(ip, modelNodes(ip, m));
      ip.kmodels.push(from ? { ...m, weightsFile: from } : m);
      return ip.kmodels[ip.kmodels.length - 1]!;
    }
    case 'torch.nn.Sequential':
    case 'torch.nn.ModuleList':
    case 'torch.nn.ModuleDict': {
      const kind =
        path === 'torch.nn.ModuleList' ? 'torch-list' : path === 'torch.nn.ModuleDict' ? 'torch-dict' : 'torch-seq';
      const c = newContainer(ip, 'pytorch', kind, range);
      const first = args.positional[0];
      if (first?.t === 'dict') {
        first.keys.forEach((k, i) => {
          markChild(first.vals[i]!);
          c.children.push({ name: k.t === 'str' ? k.v : String(i), value: first.vals[i]! });
        });
      } else {
        const listed = path === 'torch.nn.Sequential' ? args.positional : iterItems(first ?? { t: 'list', items: [] });
        (listed ?? []).forEach((v, i) => {
          markChild(v);
          c.children.push({ name: String(i), value: v });
        });
        // modules given through `*x` or a list that could not be read: applying the container stops there
        if (!listed || args.incomplete) c.children.push({ name: UNREAD_CHILD, value: UNKNOWN });
      }
      return c;
    }
    case 'argparse.ArgumentParser':
      return argumentParser();
    case 'functools.partial': {
      const [fn, ...rest] = args.positional;
      if (!fn) return UNKNOWN;
      const bound: CallArgs = { ...args, positional: rest, posRanges: args.posRanges.slice(1) };
      // a partial of a partial is flattened, as CPython does: one function, the arguments merged
      if (fn.t === 'partial')
        return {
          t: 'partial',
          fn: fn.fn,
          args: {
            positional: [...fn.args.positional, ...rest],
            posRanges: [...fn.args.posRanges, ...bound.posRanges],
            keywords: new Map([...fn.args.keywords, ...bound.keywords]),
            kwRanges: new Map([...fn.args.kwRanges, ...bound.kwRanges]),
            ...(fn.args.incomplete || bound.incomplete ? { incomplete: true as const } : {}),
          },
        };
      return { t: 'partial', fn, args: bound };
    }
    case 'copy.copy': {
      const v = args.positional[0];
      if (!v) return UNKNOWN;
      const out = shallowCopy(v, () => ip.nextId());
      if (out.t === 'instance' && out !== v) ip.instances.push(out);
      return out;
    }
    case 'copy.deepcopy':
      return args.positional[0] ? deepCopy(args.positional[0], () => ip.nextId()) : UNKNOWN;
    case 'typing.cast':
      return args.positional[1] ?? UNKNOWN;
    case 'collections.OrderedDict':
      return ip.call({ t: 'builtin', name: 'OrderedDict', self: null }, args, range);
  }
  if (/^keras\.applications\.(\w+\.)?[A-Z]\w*$/.test(path)) {
    // read from the package source when the resolver finds it
    const app = applicationSource(ip, path);
    if (app) return ip.call(app, args, range);
    // the application makes its own Input unless it is given one (input_tensor=)
    const given = args.keywords.get('input_tensor');
    if (!given || given.t === 'none') ip.uniqueName('input_layer');
    const layer = kerasLayer(ip, last, args, range);
    return Object.assign(layer, { spec: { ...layer.spec, cfg: applicationCfg(path, args) } });
  }
  if (path.startsWith('keras.initializers.')) {
    const spec = kerasInitializer(last, args);
    return spec ? { t: 'initializer', spec } : UNKNOWN;
  }
  if (path.startsWith('torch.nn.init.')) {
    const target = args.positional[0];
    const spec = torchInit(last, args);
    if (target?.t === 'param' && spec) (target.layer.spec.init ??= {})[target.name] = spec;
    return target ?? UNKNOWN;
  }
  if (path.startsWith('torch.nn.functional.')) return torchFunction(ip, last, args, range) ?? UNKNOWN;
  if (path === 'torch.nn.Parameter' || path === 'torch.nn.parameter.Parameter') return parameter(args);
  if (path.startsWith('torch.nn.') && isCapitalized(last) && path.split('.').length === 3)
    return torchModule(ip, last, args, range);
  if (path.startsWith('torch.') && EXAMPLE_FACTORIES.has(last) && path.split('.').length === 2)
    return exampleTensor(ip, last, args, range);
  if (path.startsWith('torch.') && path.split('.').length === 2)
    return constantTorchCall(ip, last, args) ?? torchFunction(ip, last, args, range) ?? UNKNOWN;
  if (path.startsWith('keras.activations.') || path.startsWith('tensorflow.nn.') || path.startsWith('keras.ops.')) {
    const arithmetic = path.startsWith('keras.ops.') ? kerasOpsArithmetic(ip, last, args, range) : undefined;
    if (arithmetic) return arithmetic;
    const x = tensorArg(args.positional[0]);
    const fn = activationName({ t: 'qual', path });
    if (x && fn)
      return applyFunctional(ip, 'keras', path.replace(/^tensorflow\./, 'tf.'), { kind: 'activation', fn }, [x], range);
    return UNKNOWN;
  }
  if (path.startsWith('math.')) return mathCall(last, args);
  if (path.startsWith('itertools.')) return itertoolsCall(last, args);
  if (path.startsWith('dataclasses.')) return dataclassesCall(ip, last, args, range);
  if (path.startsWith('re.') && path.split('.').length === 2) return reCall(last, args);
  // a class from a module ConvLens does not read: kept, so a model that uses it can say so
  if (isCapitalized(last) && !/^(torch|keras|tensorflow|numpy)(\.|$)/.test(path))
    return { t: 'object', kind: 'foreign', attrs: new Map(), what: rawPath };
  return UNKNOWN;
}

/** keras.applications.<Name> (or .<module>.<Name>) as the package defines it, when its source is read. */
function applicationSource(ip: Interpreter, path: string): Value | null {
  const dot = path.lastIndexOf('.');
  const mod = ip.importer?.module(ip, path.slice(0, dot));
  if (!mod || !ip.importer) return null;
  const v = ip.importer.moduleAttr(ip, mod, path.slice(dot + 1));
  return v.t === 'func' || v.t === 'lazyfunc' ? v : null;
}

function exampleTensor(ip: Interpreter, factory: string, args: CallArgs, range: Range): Value {
  const dimsArgs =
    factory === 'randint'
      ? args.positional.slice(2)
      : factory === 'full'
        ? args.positional.slice(0, 1)
        : args.positional;
  const src =
    args.keywords.get('size') ??
    (dimsArgs.length === 1 && (dimsArgs[0]!.t === 'tuple' || dimsArgs[0]!.t === 'list')
      ? dimsArgs[0]
      : { t: 'tuple' as const, items: dimsArgs });
  const shape = asIntList(src);
  const made = VALUE_FACTORIES.has(factory) ? constantTorchCall(ip, factory, args) : undefined;
  const data = made && isConstant(made) ? made.data : { dtype: 'float32' as const, values: null };
  if (!shape || shape.length < 2 || shape.some((d) => d < 1))
    return (
      made ??
      (shape && shape.every((d) => d >= 0)
        ? constTensor(shape, 'float32', null)
        : { t: 'tensor', fw: 'pytorch', shape: null, rf: null, producer: -1 })
    );
  // an example input as well: its shape is what a model called on it receives
  const t: TensorValue = { ...makeInputTensor('pytorch', shape), data };
  exampleSources.set(t, `torch.${factory}(${shape.join(', ')}) on line ${ip.line(range.from)}`);
  return t;
}

const VALUE_FACTORIES = new Set(['zeros', 'ones', 'full']);

/** nn.Parameter(tensor, requires_grad=True): the tensor, marked as a parameter. */
function parameter(args: CallArgs): Value {
  const b = bind(['data', 'requires_grad'], args);
  const t = b.values.get('data');
  if (!t || t.t !== 'tensor') return UNKNOWN;
  const rg = b.values.get('requires_grad');
  return { ...t, param: { trainable: rg === undefined || rg.t !== 'bool' || rg.v } };
}

/** Where an example input tensor came from, for "input from …" notes. */
export const exampleSources = new WeakMap<TensorValue, string>();

/** math.* on numbers, as CPython computes them in doubles; a domain error (log of 0) is unknown, not an error. */
function mathCall(fn: string, args: CallArgs): Value {
  const [x, y] = args.positional.map((v) => (v.t === 'num' ? v.v : v.t === 'bool' ? Number(v.v) : null));
  if (x === undefined || x === null) return UNKNOWN;
  const finite = (r: number): Value => (Number.isFinite(r) ? float(r) : UNKNOWN);
  switch (fn) {
    case 'ceil':
      return num(Math.ceil(x));
    case 'floor':
      return num(Math.floor(x));
    case 'trunc':
      return num(Math.trunc(x));
    case 'sqrt':
      return x < 0 ? UNKNOWN : float(Math.sqrt(x));
    case 'fabs':
      return float(Math.abs(x));
    case 'exp':
      return finite(Math.exp(x));
    case 'log':
      if (x <= 0 || (y !== undefined && (y === null || y <= 0 || y === 1))) return UNKNOWN;
      return finite(y === undefined ? Math.log(x) : Math.log(x) / Math.log(y));
    case 'log2':
      return x <= 0 ? UNKNOWN : finite(Math.log2(x));
    case 'log10':
      return x <= 0 ? UNKNOWN : finite(Math.log10(x));
    case 'pow':
      return y === undefined || y === null ? UNKNOWN : finite(x ** y);
    case 'gcd': {
      if (y === undefined || y === null || !Number.isInteger(x) || !Number.isInteger(y)) return UNKNOWN;
      let [p, q] = [Math.abs(x), Math.abs(y)];
      while (q) [p, q] = [q, p % q];
      return num(p);
    }
    default:
      return UNKNOWN;
  }
}

/**
 * A functional Keras model called on tensors: its layers are applied again, in order, to the new
 * inputs (the same layer objects, so their parameters count once), and it becomes a part of the
 * calling model.
 */
function callKerasModel(ip: Interpreter, m: KerasModelValue, x: Value | undefined, range: Range): Value {
  const ts = tensorsOf(x);
  if (!ts || ts.length !== m.inputs.length) return UNKNOWN;
  m.usedAsChild = true;
  const map = new Map<TensorValue, TensorValue>(m.inputs.map((t, i) => [t, ts[i]!]));
  for (const n of modelNodes(ip, m)) {
    const inputs = n.inputs.map((t) => map.get(t) ?? t);
    map.set(n.output, applyLayer(ip, { t: 'layer', spec: n.spec, argRanges: n.argRanges }, inputs, range));
  }
  const outs = m.outputs.map((t) => map.get(t) ?? t);
  return outs.length === 1 ? outs[0]! : { t: 'list', items: outs };
}

function callLayer(
  ip: Interpreter,
  layer: LayerValue | ContainerValue | KerasModelValue,
  args: CallArgs,
  range: Range,
): Value {
  const x = args.positional[0] ?? args.keywords.get('inputs') ?? args.keywords.get('input') ?? args.keywords.get('x');
  if (layer.t === 'kmodel') return callKerasModel(ip, layer, x, range);
  if (layer.t === 'layer') {
    const lambda = callLambda(ip, layer, x, range);
    if (lambda) return lambda;
    const ts = tensorsOf(x);
    if (!ts) return UNKNOWN;
    if (ip.tracing === 0 && ts[0]!.producer === -1 && ts[0]!.shape && ts[0]!.shape.length >= 2)
      firstLayerInput(ip, layer, ts[0]!, range);
    return applyLayer(ip, layer, layer.spec.cfg.kind === 'merge' ? ts : [ts[0]!], range);
  }
  if (layer.kind === 'torch-list' || layer.kind === 'torch-dict') return UNKNOWN;
  // Applied to an intermediate tensor or a keras.Input (or inside a model), a container is a part
  // of a larger model.
  const kerasInputTensor = x?.t === 'tensor' && x.fw === 'keras' && layer.fw === 'keras' && !exampleSources.has(x);
  if (ip.tracing > 0 || (x?.t === 'tensor' && x.producer >= 0) || kerasInputTensor) layer.usedAsChild = true;
  else if (x?.t === 'tensor' && x.shape && x.shape.length >= 2 && !layer.declaredInput) {
    if (layer.fw === 'pytorch' && x.producer === -1) firstLayerInput(ip, layer, x, range);
    // `model(x)` at module level: remember the example input, trace later.
    const shape = x.shape.slice(1).map((d) => (typeof d === 'number' ? d : -1));
    layer.declaredInput = { shape, detail: exampleSources.get(x) ?? `the input passed on line ${ip.line(range.from)}` };
    return { t: 'tensor', fw: layer.fw, shape: null, rf: null, producer: -1 };
  }
  const empty = ip.tracing > 0 && x?.t === 'tensor' ? emptySequentialSpec(layer) : null;
  if (empty) return applyLayer(ip, { t: 'layer', spec: empty, argRanges: {} }, [x as TensorValue], range);
  return applyInOrder(ip, layer.children, x ?? UNKNOWN, range);
}

/**
 * `for layer in net: X = layer(X)` at module level: the input given to a container's first layer
 * (a layer, or a block such as `nn.Sequential(conv, relu)`) is the container's example input.
 */
function firstLayerInput(ip: Interpreter, layer: LayerValue | ContainerValue, x: TensorValue, range: Range): void {
  const c = ip.containers.find((k) => k.kind === 'torch-seq' && k.children[0]?.value === layer && !k.declaredInput);
  if (!c || !x.shape) return;
  const shape = x.shape.slice(1).map((d) => (typeof d === 'number' ? d : -1));
  c.declaredInput = { shape, detail: exampleSources.get(x) ?? `the input passed on line ${ip.line(range.from)}` };
}

function callMethod(ip: Interpreter, self: Value, name: string, args: CallArgs, range: Range): Value | undefined {
  if (self.t === 'tensor') return tensorMethod(ip, self, name, args, range);
  if (name === 'load_weights' && ((self.t === 'container' && self.fw === 'keras') || self.t === 'kmodel')) {
    // the file the model's weights come from, for the panel and the CLI to load
    const path = asString(args.positional[0] ?? args.keywords.get('filepath'));
    const file = path !== null ? ip.importer?.findFile(path) : null;
    if (file) self.weightsFile = { path: file, range };
    return NONE;
  }
  if (name === 'load_state_dict' && (self.t === 'instance' || (self.t === 'container' && self.fw === 'pytorch'))) {
    // weights from a safetensors file (`model.load_state_dict(load_file('x.safetensors'))`)
    const sd = args.positional[0] ?? args.keywords.get('state_dict');
    if (sd?.t === 'object' && sd.kind === 'state-dict' && sd.what) self.weightsFile = { path: sd.what, range };
    return NONE;
  }
  // `down.forward(y)` on a torch layer or container is the call `down(y)`
  const isTorchModule =
    (self.t === 'layer' && self.spec.framework === 'pytorch') || (self.t === 'container' && self.fw === 'pytorch');
  if (name === 'forward' && isTorchModule) return ip.call(self, args, range);
  if (self.t === 'object')
    return self.kind.startsWith('re-') ? reMethod(self, name, args) : argparseMethod(ip, self, name, args);
  if (self.t === 'super')
    return (
      layerBaseMethod(ip, self.self, self.owner, name, args, range, normalizePath, (cls, a) =>
        torchModule(ip, cls, a, range),
      ) ?? superMethod(ip, self.self, self.owner, name, args, range, normalizePath)
    );
  if (self.t === 'container') {
    const a = args.positional;
    const listed = self.fw === 'pytorch' ? containerListing(self, name) : undefined;
    if (listed) return listed;
    switch (name) {
      case 'add':
        if (self.kind === 'keras-seq' && a[0]) kerasSeqAdd(ip, self, a[0], range);
        return NONE;
      case 'append':
        if (a[0]) {
          markChild(a[0]);
          self.children.push({ name: String(self.children.length), value: a[0] });
        }
        return self;
      case 'extend':
        for (const v of iterItems(a[0] ?? NONE) ?? []) {
          markChild(v);
          self.children.push({ name: String(self.children.length), value: v });
        }
        return self;
      case 'add_module':
        if (a[1]) {
          markChild(a[1]);
          // a name that cannot be read still keeps the module (named by its position)
          self.children.push({ name: a[0]?.t === 'str' ? a[0].v : String(self.children.length), value: a[1] });
        }
        return NONE;
      case 'build': {
        const shape = asIntListOrNone(a[0] ?? args.keywords.get('input_shape'));
        if (shape && self.kind === 'keras-seq')
          self.declaredInput = { shape: shape.slice(1), detail: `build(…) on line ${ip.line(range.from)}` };
        return NONE;
      }
      case 'eval':
      case 'train':
      case 'to':
      case 'cuda':
      case 'cpu':
        return self;
      default:
        return NONE;
    }
  }
  if (self.t === 'instance') {
    const r =
      instanceMethod(ip, self, name, args) ?? registerTensor(self, name, args) ?? kerasLayerMethod(self, name, args);
    if (r) return r;
    switch (name) {
      case 'add_module':
      case 'register_module': {
        const a = args.positional;
        if (a[0]?.t === 'str' && a[1]) ip.setInstanceAttr(self, a[0].v, a[1]);
        return NONE;
      }
      case 'build': {
        const shape = asIntListOrNone(args.positional[0] ?? args.keywords.get('input_shape'));
        if (shape)
          self.exampleInput = {
            shape: [{ sym: 'None' }, ...shape.slice(1).map((d) => (d < 0 ? sym('H') : d))],
            detail: `build(…) on line ${ip.line(range.from)}`,
          };
        return NONE;
      }
      case 'eval':
      case 'train':
      case 'to':
      case 'cuda':
      case 'cpu':
      case 'double':
      case 'float':
        return self;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The shape of a layer's parameter (`self.weight.shape[-2:]`, the kernel size), from its configuration. */
function paramAttr(p: Extract<Value, { t: 'param' }>, name: string): Value | undefined {
  if (name !== 'shape' && name !== 'ndim') return undefined;
  const fw = p.layer.spec.framework;
  const specs = layerParams(p.layer.spec.cfg, {
    conv: conventions(fw),
    inputShapes: [],
    outputShape: null,
    geometry: null,
  });
  const shape = specs?.find((s) => s.name === p.name)?.shape;
  if (!shape) return UNKNOWN;
  return name === 'shape' ? { t: 'tuple', items: shape.map(num) } : num(shape.length);
}

/**
 * A Keras Sequential's symbolic input and output, built once when first asked for: its layers
 * applied in order to an input of its declared shape, as Keras builds a Sequential that knows
 * its input. Null when it declares no input.
 */
function builtSequential(ip: Interpreter, c: ContainerValue): { inputs: TensorValue[]; outputs: TensorValue[] } | null {
  if (c.kind !== 'keras-seq' || !c.declaredInput) return null;
  if (c.built) return c.built;
  const dims: Dim[] = c.declaredInput.shape.map((d, i) => (d < 0 ? sym(['H', 'W', 'D'][i] ?? `D${i}`) : d));
  const x = makeInputTensor('keras', [{ sym: 'None' }, ...dims]);
  c.built = { inputs: [x], outputs: [] };
  const y = applyInOrder(ip, c.children, x, (ch) => (ch.t === 'layer' ? ch.spec.range : c.range));
  if (y.t === 'tensor') c.built.outputs = [y];
  return c.built;
}

/** The last tensor a Keras layer produced (its `.output`), building the Sequential it is in if needed. */
function kerasLayerOutput(ip: Interpreter, layer: LayerValue, which: 'input' | 'output'): Value {
  const find = (): TensorValue | null => {
    for (let i = ip.nodes.length - 1; i >= 0; i--) {
      const n = ip.nodes[i]!;
      if (n.spec.id === layer.spec.id) return which === 'output' ? n.output : (n.inputs[0] ?? null);
    }
    return null;
  };
  let t = find();
  if (!t) {
    const owner = ip.containers.find((c) => c.kind === 'keras-seq' && c.children.some((ch) => ch.value === layer));
    if (owner && builtSequential(ip, owner)) t = find();
  }
  return t ?? UNKNOWN;
}

/** `model.inputs`, `model.output`, `model.layers` of Keras models; `layer.output` / `layer.input`. */
function kerasModelAttr(ip: Interpreter, obj: Value, name: string): Value | undefined {
  const one = (ts: TensorValue[]): Value => (ts.length === 1 ? ts[0]! : { t: 'list', items: ts });
  if (obj.t === 'layer' && obj.spec.framework === 'keras' && (name === 'output' || name === 'input'))
    return kerasLayerOutput(ip, obj, name);
  let io: { inputs: TensorValue[]; outputs: TensorValue[] } | null = null;
  if (obj.t === 'kmodel') {
    if (name === 'layers') {
      // as Keras lists them: the InputLayers, then every layer once, in the order they run
      const seen = new Set<number>();
      const items: Value[] = [];
      for (const t of obj.inputs)
        if (t.inputLayer && !seen.has(t.inputLayer.id)) {
          seen.add(t.inputLayer.id);
          items.push({ t: 'layer', spec: t.inputLayer, argRanges: {} });
        }
      for (const n of modelNodes(ip, obj))
        if (!seen.has(n.spec.id)) {
          seen.add(n.spec.id);
          items.push({ t: 'layer', spec: n.spec, argRanges: n.argRanges });
        }
      return { t: 'list', items };
    }
    io = obj;
  } else if (obj.t === 'container' && obj.kind === 'keras-seq' && /^(inputs?|outputs?)$/.test(name))
    io = builtSequential(ip, obj);
  if (!io) return undefined;
  if (name === 'inputs') return { t: 'list', items: io.inputs };
  if (name === 'outputs') return { t: 'list', items: io.outputs };
  if (name === 'input') return one(io.inputs);
  if (name === 'output') return one(io.outputs);
  return undefined;
}

/** The weights file of the loaded model whose layers these nodes run, if one has them all. */
function weightsOwner(ip: Interpreter, nodes: NodeRecord[]): { path: string; range: Range } | undefined {
  if (nodes.length === 0) return undefined;
  const ids = (v: ContainerValue | KerasModelValue): Set<number> =>
    new Set(
      v.t === 'container'
        ? v.children.flatMap((c) => (c.value.t === 'layer' ? [c.value.spec.id] : []))
        : modelNodes(ip, v).map((n) => n.spec.id),
    );
  for (const owner of [...ip.containers, ...ip.kmodels]) {
    if (!owner.weightsFile) continue;
    const own = ids(owner);
    if (nodes.every((n) => own.has(n.spec.id))) return owner.weightsFile;
  }
  return undefined;
}

/** The recorded nodes a functional model's outputs depend on, in the order they ran. */
export function modelNodes(ip: Interpreter, m: KerasModelValue): NodeRecord[] {
  const keep = new Set<number>();
  const stack = m.outputs.map((t) => t.producer).filter((p) => p >= 0);
  while (stack.length) {
    const i = stack.pop()!;
    if (keep.has(i)) continue;
    keep.add(i);
    for (const t of ip.nodes[i]!.inputs) if (t.producer >= 0) stack.push(t.producer);
  }
  return [...keep].sort((a, b) => a - b).map((i) => ip.nodes[i]!);
}

function getAttr(ip: Interpreter, obj: Value, name: string): Value | undefined {
  if (obj.t === 'tensor') return tensorAttr(obj, name);
  if (obj.t === 'object') return objectAttr(obj, name);
  if (obj.t === 'param') return paramAttr(obj, name);
  if (obj.t === 'layer' && obj.spec.framework === 'pytorch') return torchLayerAttr(obj, name);
  // a subclass of a torch layer has that layer's attributes
  if (obj.t === 'instance' && obj.base) {
    const v = torchLayerAttr(obj.base, name);
    if (v) return v;
  }
  if (obj.t === 'container' && name === 'layers') return { t: 'list', items: obj.children.map((c) => c.value) };
  const keras = kerasModelAttr(ip, obj, name);
  if (keras) return keras;
  // a module is read as it runs on an input, in eval mode: `if self.training:` code (an
  // auxiliary head, a training-only branch) is not applied
  if (obj.t === 'instance' && obj.cls.framework === 'pytorch' && name === 'training') return { t: 'bool', v: false };
  return undefined;
}

function classFramework(bases: Value[]): 'keras' | 'pytorch' | null {
  for (const b of bases) {
    if (b.t === 'class' && b.framework) return b.framework;
    if (b.t === 'qual') {
      const p = normalizePath(b.path);
      if (p === 'torch.nn.Module' || isTorchContainerPath(p)) return 'pytorch';
      if (p.startsWith('torch.nn.') && p.slice('torch.nn.'.length) in TORCH_MODULES) return 'pytorch';
      if (p === 'keras.Model' || p === 'keras.layers.Layer' || p === 'keras.Layer') return 'keras';
    }
  }
  return null;
}

function onInstanceCalled(ip: Interpreter, inst: InstanceValue, args: CallArgs, range: Range): Value | undefined {
  // a plain object with __call__ (a builder), not a module: its method runs
  if (!inst.cls.framework) return undefined;
  // a Keras layer of the file's own code, applied to Keras tensors (in a functional model or a call())
  const custom = callKerasLayer(ip, inst, args, range, normalizePath);
  if (custom) return custom;
  if (ip.tracing > 0) return undefined;
  // A model called outside a trace (e.g. `out = model(x)` at module level): remember the
  // example input; the model is traced once, later, with everything known.
  const x = tensorArg(args.positional[0] ?? args.keywords.get('x') ?? args.keywords.get('inputs'));
  // a batch of at least one axis (a tensor of numbers such as torch.ones(8) is not one)
  if (x?.shape && x.shape.length >= 2 && !inst.exampleInput) {
    inst.exampleInput = {
      shape: x.shape,
      detail: exampleSources.get(x) ?? `the input passed on line ${ip.line(range.from)}`,
    };
  }
  return { t: 'tensor', fw: inst.cls.framework ?? 'pytorch', shape: null, rf: null, producer: -1 };
}

export const FRAMEWORK_HOOKS: FrameworkHooks = {
  qualifiedName: (name) => CONVENTIONAL[name] ?? null,
  callQualified,
  callLayer,
  callMethod,
  getAttr,
  classFramework,
  onInstanceCalled,
  onForwardReturned: afterForward,
  tensorBinary: applyTensorBinary,
  tensorIndex,
  namespaceNames: (path) => namespaceNames(normalizePath(path)),
  libraryCall: timmLibraryCall,
};
