/**
 * The framework-neutral model graph (IR): layers with typed, normalized parameters, the order
 * they run in, their source ranges, and what shape inference found for each.
 */
import type { Range } from '../shared/range';
import type { Geometry2D } from '../engine/geometry';
import type { Dim, Shape } from '../shared/dims';
import type { Framework } from './conventions';
import type { LayerCfg, LayerKind, ReceptiveField } from './layers';
import type { Modelled } from './diagnostics';

export type { ConvCfg, PoolCfg, PaddingSpec, ReceptiveField } from './layers';
export type { Framework, LayerCfg, LayerKind };

export type { Range };

/**
 * An initializer written in the source: Keras `kernel_initializer=…` / `keras.initializers.*`,
 * PyTorch `nn.init.*_(self.layer.weight, …)`. Random ones are drawn from a seeded generator.
 */
export type InitSpec =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'normal'; mean: number; std: number; truncated: boolean }
  | {
      kind: 'variance-scaling';
      scale: number;
      mode: 'fan_in' | 'fan_out' | 'fan_avg';
      distribution: 'uniform' | 'normal' | 'truncated_normal';
    };

/** One constructed layer (a Keras layer object or a PyTorch module), or a functional op. */
export interface LayerSpec {
  readonly id: number;
  readonly framework: Framework;
  /** The framework's class name (`Conv2D`, `Conv2d`) or the function (`F.relu`, `view`). */
  readonly type: string;
  readonly cfg: LayerCfg;
  /** Keras: explicit or auto name. PyTorch: the named_modules() path, set once the tree is known. */
  name: string | null;
  /** In the analyzed file: for a layer built in another module, the call here that led there. */
  readonly range: Range;
  /** The module file the layer was built in, when not the analyzed file. */
  readonly file?: string;
  /**
   * Built by a function of the analyzed file that returned it (`conv3x3(in_planes, planes)` with
   * `def conv3x3(…): return nn.Conv2d(…)`): the calls whose value this layer is, innermost first.
   * `range` is then the constructor in the function's body, shared by every layer it built.
   */
  sites?: Range[];
  readonly functional: boolean;
  /** Initializers from the source, by parameter name (`kernel`, `bias`, `weight`, …). */
  init?: Record<string, InitSpec>;
  /** Constructor arguments the layer's config leaves out (an `unsupported-argument` warning each). */
  unmodelled?: readonly UnmodelledArg[];
}

/**
 * An argument ConvLens does not model: `arg` names it as written (a keyword, or `#n` for the n-th
 * positional argument); `value` is its source text; `modelled`, for a value ConvLens replaces,
 * what it computes instead (absent: the argument is not read at all).
 */
export interface UnmodelledArg {
  arg: string;
  value: string;
  modelled?: Modelled;
  /** A positional argument past the ones read: its own range. */
  range?: Range;
}

/** One run of a call: its range, and a number that is the same for every layer applied in that run. */
export interface CallSite {
  range: Range;
  call: number;
}

export interface LayerNode {
  index: number;
  spec: LayerSpec;
  name: string;
  /** Where the layer is applied: the call in forward()/call()/functional code, else its constructor. */
  callRange: Range;
  /**
   * The calls in the analyzed file this application ran inside (a module's or a Sequential's call in
   * forward(), the model's own call), outermost first; `call` tells one run of a call from another.
   */
  via?: CallSite[];
  /** Indices of the layers feeding it in this model's `layers`; −1 is the model input. */
  inputs: number[];
  /** Source ranges of the constructor's arguments by parameter name (for edits and fixes). */
  argRanges: Record<string, Range>;
  inputShapes: Shape[];
  /** Including the batch dimension; null when shape propagation stopped before this layer. */
  outputShape: Shape | null;
  params: number | null;
  trainableParams: number | null;
  /** PyTorch buffers (BatchNorm running statistics): not parameters; 0 for Keras. Null when unknown. */
  buffers: number | null;
  /** The arithmetic behind params, with the user's numbers: "3·3·1·32 + 32". */
  paramsFormula: string | null;
  /** 2 × multiply-accumulates of conv and dense layers; window reads for pooling. */
  flops: number | null;
  receptiveField: ReceptiveField | null;
  /** The sliding-window geometry (per spatial axis) when the input size was known. */
  geometry: Geometry2D | null;
}

export type InputSource =
  | { kind: 'declared'; detail: string }
  | { kind: 'example'; detail: string }
  | { kind: 'comment'; detail: string }
  | { kind: 'option'; detail: string }
  | { kind: 'inferred'; detail: string }
  | { kind: 'symbolic'; detail: string };

export interface ModelGraph {
  /** A Keras model's `name=` (as model.summary() prints it), else the variable it is bound to, else its class. */
  name: string;
  /** The Python variable the model is bound to, when its name is another (a Keras `name=`). */
  variable?: string;
  framework: Framework;
  kind: 'sequential' | 'functional' | 'subclass' | 'module';
  range: Range;
  /** Without the batch dimension, in the framework's layout; symbolic dims when unknown. */
  inputShape: Shape | null;
  inputSource: InputSource;
  layers: LayerNode[];
  totalParams: number | null;
  trainableParams: number | null;
  /** Set when the model is shown in part; the 'model-partial' diagnostics say where and why. */
  partial?: boolean;
  /** The model's buffers (running statistics PyTorch keeps outside its parameters); null when unknown. */
  buffers: number | null;
  /** Read from a model file rather than source: its format (src/modelfile). */
  fileFormat?: 'keras-zip' | 'keras-legacy-h5' | 'onnx';
  /**
   * The file the model's weights come from, as an absolute path: the model file a Keras
   * `load_model('…')` read, or a `model.load_weights('…')` call's file; `range` is that call.
   */
  weightsFile?: { path: string; range: Range };
}

export type { Dim, Shape };
