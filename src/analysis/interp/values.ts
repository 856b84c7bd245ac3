/**
 * Values of the analyzer's small Python interpreter. Framework objects (layers, containers,
 * symbolic tensors) are values like any other, so loops, helper functions, constants and
 * default arguments that build models are followed the way Python would run them — without
 * running any Python.
 */
import type { Arg, Field, Range, Stmt } from '../python/ast';
import type { Shape } from '../../shared/dims';
import type { Framework, InitSpec, LayerSpec, ReceptiveField } from '../../model/ir';

export type DefStmt = Extract<Stmt, { k: 'def' }>;
export type ClassStmt = Extract<Stmt, { k: 'class' }>;

export interface Scope {
  vars: Map<string, Value>;
  parent: Scope | null;
  /** Set on the global scope of a module read from another file (absent: the analyzed file). */
  module?: ModuleInfo;
}

/** A Python module read through the resolver: its file, text and name (relative to the analyzed file's package when level > 0). */
export interface ModuleInfo {
  file: string;
  source: string;
  name: string;
  level: number;
  isPackage: boolean;
}

export interface TensorValue {
  t: 'tensor';
  fw: Framework;
  /** Including the batch dimension; null once shape propagation has stopped. */
  shape: Shape | null;
  rf: ReceptiveField | null;
  /** Index of the node that produced it in the interpreter's node log, or -1 for an input. */
  producer: number;
  /** A Keras `Input(...)`: the InputLayer that functional models list first (model.layers). */
  inputLayer?: LayerSpec;
  /**
   * A tensor built from Python numbers (torch.arange, torch.tensor, torch.ones, …) rather than one
   * flowing through a model: its shape is exact (no batch) and small ones carry their values.
   */
  data?: TensorData;
  /** An nn.Parameter: a module's attribute holding it is one of the module's own parameters. */
  param?: { trainable: boolean };
}

export interface TensorData {
  dtype: 'bool' | 'int32' | 'int64' | 'float32' | 'float64';
  /** Row-major; null when not known (random values) or too many to keep. */
  values: number[] | null;
}

export interface LayerValue {
  t: 'layer';
  spec: LayerSpec;
  argRanges: Record<string, Range>;
  /** Keras `input_shape=` / `batch_input_shape=` on the layer (without batch). */
  declaredInput?: number[] | null;
}

export interface ContainerValue {
  t: 'container';
  id: number;
  fw: Framework;
  /** torch nn.Sequential / nn.ModuleList / nn.ModuleDict, or a Keras Sequential model. */
  kind: 'torch-seq' | 'torch-list' | 'torch-dict' | 'keras-seq';
  children: { name: string; value: Value }[];
  range: Range;
  /** Keras Sequential: an input shape from Input(...), input_shape= or build(...) (without batch). */
  declaredInput: { shape: number[]; detail: string } | null;
  /** The variable it was first bound to. */
  varName: string | null;
  /** Keras Sequential: its `name=` (what model.summary() prints as `Model: "…"`). */
  name?: string;
  usedAsChild: boolean;
  /** The file its weights come from: a model file load_model read, a load_weights(…) call. */
  weightsFile?: { path: string; range: Range };
  /**
   * Keras Sequential: its symbolic input and output once something asks for them (`model.inputs`,
   * `model.layers[2].output`), as Keras builds a Sequential that knows its input shape.
   */
  built?: { inputs: TensorValue[]; outputs: TensorValue[] };
}

export interface InstanceValue {
  t: 'instance';
  id: number;
  cls: ClassValue;
  attrs: Map<string, Value>;
  /** The file its weights come from: `load_state_dict(safetensors.torch.load_file(…))`. */
  weightsFile?: { path: string; range: Range };
  /** Registered submodules (PyTorch _modules order / Keras tracked layers), by attribute name. */
  children: string[];
  range: Range;
  varName: string | null;
  usedAsChild: boolean;
  /** Example inputs seen at module level (`model(x)`), and a Keras build((None, ...)) shape. */
  exampleInput: { shape: Shape; detail: string } | null;
  /** Set for subclasses of nn.Sequential / nn.ModuleList / nn.ModuleDict: the instance is also that container. */
  containerKind?: 'seq' | 'list' | 'dict';
  /** A subclass of a torch layer (LayerNorm2d(nn.LayerNorm)): that layer, built by super().__init__(…). */
  base?: LayerValue;
  /** Tensors it registers itself: nn.Parameter attributes, register_parameter/register_buffer, by name. */
  own?: Map<string, { tensor: TensorValue; buffer: boolean }>;
  /** The module's own row (frameworks/modules.ts), made once it is needed. */
  spec?: LayerSpec;
  /** The module file it was created in, when not the analyzed file. */
  file?: string;
  /** A Keras layer or model: its name, as Keras gives it at construction. */
  name?: string;
}

export interface ClassValue {
  t: 'class';
  id: number;
  def: ClassStmt;
  bases: Value[];
  scope: Scope;
  /** 'torch' for nn.Module subclasses, 'keras' for keras.Model / keras.layers.Layer subclasses. */
  framework: Framework | null;
  instantiated: number;
  /** The file that defines it, when not the analyzed file (its ranges point there). */
  file?: string;
  /** A @dataclass: its fields, those of dataclass bases first (the generated __init__'s parameters). */
  fields?: Field[];
}

export interface KerasModelValue {
  t: 'kmodel';
  id: number;
  inputs: TensorValue[];
  outputs: TensorValue[];
  range: Range;
  name: string | null;
  varName: string | null;
  /** Called on a tensor inside another model: a part of that one. */
  usedAsChild?: boolean;
  /** The file its weights come from: a model file load_model read, a load_weights(…) call. */
  weightsFile?: { path: string; range: Range };
}

export type Value =
  /**
   * A number. `float` marks a Python float with an integral value (2.0, float(2), 3 / 1); ints and
   * floats are otherwise one kind here, and only a tensor's dtype tells them apart.
   */
  | { t: 'num'; v: number; float?: true }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'tuple'; items: Value[] }
  | { t: 'list'; items: Value[] }
  | { t: 'dict'; keys: Value[]; vals: Value[] }
  | { t: 'qual'; path: string }
  /** A module read from another file (`import pkg.blocks as B`): its global scope. */
  | { t: 'module'; info: ModuleInfo; scope: Scope }
  /** `owner`: the class a method was found in, so that `super()` inside it starts after that class. */
  | { t: 'func'; def: DefStmt; scope: Scope; self: Value | null; owner?: ClassValue }
  /** `super()` inside a method of `owner`, bound to `self`. */
  | { t: 'super'; self: InstanceValue; owner: ClassValue }
  /**
   * A plain object the analyzer models by its attributes: an argparse parser or namespace, or a
   * `foreign` object made by a class from a module ConvLens does not read (`what` names it).
   */
  | {
      t: 'object';
      kind:
        | 'argparse-parser'
        | 'argparse-namespace'
        | 'foreign'
        | 're-pattern'
        | 're-match'
        | 'namespace'
        /** A state dict read from a file (`safetensors.torch.load_file(path)`): `what` is the absolute path, '' when not found. */
        | 'state-dict';
      attrs: Map<string, Value>;
      what: string;
    }
  | { t: 'lazyfunc'; load: () => DefStmt | null; scope: Scope; r: Range }
  /**
   * A name another module imports (`from .blocks import Bottleneck` in a module read through an
   * import): its module is read when the name is first looked up, as a language server reads only
   * what is used. Lives only in scopes: a lookup replaces it by what it resolves to.
   */
  | { t: 'lazyname'; resolve: () => Value; pending?: boolean }
  | { t: 'builtin'; name: string; self: Value | null }
  | { t: 'range'; start: number; stop: number; step: number }
  | { t: 'initializer'; spec: InitSpec }
  /** A layer's parameter (`self.conv.weight`), the target of torch.nn.init calls. */
  | { t: 'param'; layer: LayerValue; name: string }
  /** functools.partial(fn, *args, **kwargs): called, fn gets these arguments before the call's own. */
  | { t: 'partial'; fn: Value; args: CallArgs }
  | ClassValue
  | InstanceValue
  | LayerValue
  | ContainerValue
  | TensorValue
  | KerasModelValue
  /** lost: the call that gave it could not be followed (where and why), when it came from one. */
  | { t: 'unknown'; lost?: StopPoint };

/** Where a call could not be followed, and why (stops.ts). */
export interface StopPoint {
  range: Range;
  why: 'foreign-class' | 'foreign-function' | 'unknown-function' | 'not-modelled';
  name: string;
  module: string;
}

export const UNKNOWN: Value = { t: 'unknown' };
export const NONE: Value = { t: 'none' };

export function num(v: number): Value {
  return { t: 'num', v };
}

/** A Python float (marked when its value is integral, so that it is not read as an int). */
export function float(v: number): Value {
  return Number.isInteger(v) ? { t: 'num', v, float: true } : { t: 'num', v };
}

/** Whether a number is a Python float: marked so, or not integral. */
export function isFloat(v: Value): boolean {
  return v.t === 'num' && (v.float === true || !Number.isInteger(v.v));
}

export function str(v: string): Value {
  return { t: 'str', v };
}

/** Python truthiness; null when it cannot be known. */
export function truthy(v: Value): boolean | null {
  switch (v.t) {
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v.length > 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'tuple':
    case 'list':
      return v.items.length > 0;
    case 'dict':
      return v.keys.length > 0;
    case 'unknown':
    case 'tensor':
      return null;
    case 'object':
      return v.kind === 'foreign' ? null : true;
    default:
      return true;
  }
}

export function asNumber(v: Value | undefined): number | null {
  if (!v) return null;
  if (v.t === 'num') return v.v;
  if (v.t === 'bool') return v.v ? 1 : 0;
  return null;
}

export function asInt(v: Value | undefined): number | null {
  const n = asNumber(v);
  return n !== null && Number.isInteger(n) ? n : null;
}

export function asString(v: Value | undefined): string | null {
  return v && v.t === 'str' ? v.v : null;
}

export function asBool(v: Value | undefined): boolean | null {
  if (!v) return null;
  if (v.t === 'bool') return v.v;
  if (v.t === 'num') return v.v !== 0;
  if (v.t === 'none') return false;
  return null;
}

/** An int or a tuple/list of ints. */
export function asIntList(v: Value | undefined): number[] | null {
  if (!v) return null;
  const n = asInt(v);
  if (n !== null) return [n];
  if (v.t === 'tuple' || v.t === 'list') {
    const out: number[] = [];
    for (const it of v.items) {
      const x = asInt(it);
      if (x === null) return null;
      out.push(x);
    }
    return out;
  }
  return null;
}

/** How many items a range holds, without making them. */
export function rangeLength(r: { start: number; stop: number; step: number }): number {
  if (r.step === 0) return 0;
  return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
}

/**
 * How many elements a builtin or an operator touches when it reads or builds `v` (the items of
 * a list, tuple, range or dict, the characters of a string): what it is charged in steps.
 */
export function sizeOf(v: Value | undefined): number {
  if (!v) return 0;
  switch (v.t) {
    case 'tuple':
    case 'list':
      return v.items.length;
    case 'dict':
      return v.keys.length;
    case 'str':
      return v.v.length;
    case 'range':
      return rangeLength(v);
    default:
      return 0;
  }
}

export function iterItems(v: Value): Value[] | null {
  switch (v.t) {
    case 'tuple':
    case 'list':
      return v.items;
    case 'dict':
      return v.keys;
    case 'str':
      return [...v.v].map((c) => ({ t: 'str', v: c }) as Value);
    case 'range': {
      const out: Value[] = [];
      if (v.step === 0) return null;
      for (let i = v.start; v.step > 0 ? i < v.stop : i > v.stop; i += v.step) {
        out.push(num(i));
        if (out.length > 100_000) return null;
      }
      return out;
    }
    case 'container':
      // iterating a ModuleDict gives its keys, like a dict
      return v.kind === 'torch-dict' ? v.children.map((c) => str(c.name)) : v.children.map((c) => c.value);
    case 'instance':
      if (!v.containerKind) return null;
      return v.containerKind === 'dict' ? v.children.map(str) : v.children.map((n) => v.attrs.get(n) ?? UNKNOWN);
    default:
      return null;
  }
}

const PLAIN_DATA = new Set(['tuple', 'list', 'dict', 'range', 'class', 'func', 'instance', 'layer', 'container']);

/**
 * The key a number, bool, string or None has among others of them (1, 1.0 and True are one key),
 * or null for other values: what lets dict literals and set() find repeats without comparing
 * every pair.
 */
export function primitiveKey(v: Value): string | null {
  switch (v.t) {
    case 'num':
      return `n${v.v}`;
    case 'bool':
      return v.v ? 'n1' : 'n0';
    case 'str':
      return `s${v.v}`;
    case 'none':
      return 'none';
    default:
      return null;
  }
}

export function equal(a: Value, b: Value): boolean | null {
  if (a.t === 'unknown' || b.t === 'unknown' || a.t === 'tensor' || b.t === 'tensor') return null;
  if ((a.t === 'num' || a.t === 'bool') && (b.t === 'num' || b.t === 'bool')) return asNumber(a) === asNumber(b);
  if (a.t === 'str' && b.t === 'str') return a.v === b.v;
  if (a.t === 'none' || b.t === 'none') return a.t === b.t;
  if ((a.t === 'tuple' || a.t === 'list') && a.t === b.t) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = equal(a.items[i]!, b.items[i]!);
      if (e !== true) return e;
    }
    return true;
  }
  if (a.t === 'str' || b.t === 'str' || a.t === 'num' || b.t === 'num') return false;
  // framework names: the same name is the same object (`norm_layer in (nn.BatchNorm2d, …)`)
  // (two paths with one last name may be aliases: torch.nn.Conv2d, torch.nn.modules.conv.Conv2d)
  if (a.t === 'qual' && b.t === 'qual')
    return a.path === b.path ? true : a.path.split('.').pop() === b.path.split('.').pop() ? null : false;
  if (a.t === 'qual' || b.t === 'qual') return PLAIN_DATA.has(a.t === 'qual' ? b.t : a.t) ? false : null;
  return a === b;
}

export type { Arg };

/** The arguments of a call: values and the source range of each, positional and by keyword. */
export interface CallArgs {
  positional: Value[];
  keywords: Map<string, Value>;
  posRanges: Range[];
  kwRanges: Map<string, Range>;
  /** Set when `*x` or `**x` could not be read: the call has arguments that are not listed. */
  incomplete?: true;
}
