/**
 * What a layer family owns, in one record: its shape rule, the parameters it needs (names and
 * shapes per framework, through the conventions), how it runs on the engine, its equivalent in
 * the other framework, and the panel view it gets. One module per family implements it; the
 * index (./index.ts) maps each layer kind to its family.
 */
import type { Range } from '../../shared/range';
import type * as E from '../../engine';
import type { Tensor } from '../../engine';
import type { Geometry2D } from '../../engine/geometry';
import type { Shape } from '../../shared/dims';
import type { Conventions, ParamRole } from '../conventions';
import type { DiagArgs, DiagCode, Fix, Severity } from '../diagnostics';

export const MUL = '·';

export type { Range };

export interface ReceptiveField {
  /** Receptive field size per spatial axis, in input pixels. */
  size: number[];
  /** Distance in input pixels between neighbouring outputs. */
  jump: number[];
}

export interface Issue {
  severity: Severity;
  code: DiagCode;
  args: DiagArgs;
  fix?: Fix;
  /** Put the diagnostic on this argument's value instead of the whole call. */
  arg?: string;
}

/** What a shape rule receives. */
export interface InferInput {
  conv: Conventions;
  /** The framework's class name (`Conv2D`, `Conv2d`) or the function (`F.relu`). */
  type: string;
  /** Display name for messages: "Conv2D 'conv2d_1'" or "Conv2d 'features.0'". */
  label: string;
  shapes: Shape[];
  rf: ReceptiveField | null;
  /** Source ranges of the constructor's arguments by parameter name, for quick fixes. */
  argRanges: Record<string, Range>;
}

export interface InferResult {
  /** Including the batch dimension; null when propagation must stop here. */
  out: Shape | null;
  params: number | null;
  trainable: number | null;
  /** Running statistics kept outside the parameters (PyTorch buffers); null when unknown. */
  buffers: number | null;
  /** The arithmetic behind params, with the user's numbers: "3·3·1·32 + 32". */
  formula: string | null;
  flops: number | null;
  rf: ReceptiveField | null;
  geometry: Geometry2D | null;
  issues: Issue[];
}

/** A result with the given fields; the others take their defaults. One object shape for every rule (this runs per layer, per keystroke). */
export function result(p: Partial<InferResult> & { out: Shape | null }): InferResult {
  return {
    out: p.out,
    params: p.params !== undefined ? p.params : 0,
    trainable: p.trainable !== undefined ? p.trainable : 0,
    buffers: p.buffers !== undefined ? p.buffers : 0,
    formula: p.formula !== undefined ? p.formula : null,
    flops: p.flops !== undefined ? p.flops : 0,
    rf: p.rf !== undefined ? p.rf : null,
    geometry: p.geometry !== undefined ? p.geometry : null,
    issues: p.issues !== undefined ? p.issues : [],
  };
}

export function stop(issue: Issue, partial: Partial<InferResult> = {}): InferResult {
  return {
    params: null,
    trainable: null,
    buffers: null,
    formula: null,
    flops: null,
    rf: null,
    geometry: null,
    ...partial,
    out: null,
    issues: [...(partial.issues ?? []), issue],
  };
}

/** One parameter tensor of a layer, named and shaped as its framework stores it. */
export interface ParamSpec {
  name: string;
  shape: number[];
  role: ParamRole;
  /** False for statistics (BatchNorm moving mean/variance): never trained. */
  trainable: boolean;
  /**
   * A running statistic (BatchNorm mean/variance): a non-trainable parameter in Keras, a buffer in
   * PyTorch (conventions.statisticsAreParams). Either way a weight file stores it.
   */
  statistic?: boolean;
}

/** What the families see of a placed layer: its input shapes and the geometry found for it. */
export interface LayerFacts {
  conv: Conventions;
  inputShapes: readonly Shape[];
  outputShape: Shape | null;
  geometry: Geometry2D | null;
}

/** What a family's `run` gets besides its inputs. */
export interface RunContext {
  conv: Conventions;
  /** "Conv2D 'conv2d'": for engine error messages. */
  label: string;
  /** The layer's parameters by name (but those in `skip`), from the weight source. Throws when their shapes are unknown. */
  params(skip?: ReadonlySet<string>): Map<string, Tensor>;
  /**
   * A parameter in pieces, in memory order, when the weight source can give it so (a default
   * initializer's draw): a layer whose kernel is too large to hold at once computes from pieces.
   */
  stream?(name: string): { shape: readonly number[]; fill: (dst: Float32Array) => void } | null;
  /** The layer's output shape as analyzed (batch included), when every size was known. */
  outputShape: readonly number[] | null;
  /**
   * The inputs are read by nothing after this layer (the runtime checked: a fresh output of the
   * layer before, not kept): an elementwise layer may write its result over its input.
   */
  overwrite?: boolean;
}

/** How the explorer panel shows a layer, and how the model strip labels it. */
export type PanelKind = 'conv' | 'pool' | 'dense' | 'flatten' | 'other';
export type RowKind = 'conv' | 'pool' | 'dense' | 'flatten' | 'activation' | 'norm' | 'merge' | 'other';

export interface PanelSpec<C> {
  kind: PanelKind;
  row: RowKind;
  /** A fused activation (Conv2D(…, activation='relu'), Dense(…, activation='softmax')). */
  activation?: string;
  /** The same layer without its activation, run again for the panel's "before activation" view. */
  bare?: C;
  /** Pooling: this mode, and the layer with the other mode, run on the same input for comparison. */
  pool?: { mode: 'max' | 'avg'; other: C };
  /** The output is a probability distribution (softmax). */
  probabilities?: boolean;
  /** The explanation card the layer gets (the data it needs is gathered by present/layerView.ts). */
  explain?: PanelExplain;
}

export type PanelExplain =
  /** y = γ·(x − moving mean)/√(moving variance + ε) + β per channel. */
  | { kind: 'batchNorm'; epsilon: number }
  | { kind: 'dropout'; rate: number | null }
  | { kind: 'activation'; fn: string; alpha: number | null }
  /** `axis` of the batched input (negative from the end) for concat and stack. */
  | {
      kind: 'merge';
      op: 'add' | 'subtract' | 'multiply' | 'divide' | 'average' | 'maximum' | 'minimum' | 'concat' | 'stack';
      axis: number;
    }
  /** Arithmetic with a number or a tensor the model holds, written out: "out = 1 − x", "out = x × t". */
  | { kind: 'arithmetic'; formula: string };

export interface LayerFamily<C extends { kind: string }> {
  readonly kinds: readonly C['kind'][];
  infer(inp: InferInput, cfg: C): InferResult;
  /** Parameters from the constructor alone, when shapes stopped before this layer (null: unknown). */
  paramsWithoutInput(cfg: C, conv: Conventions): number | null;
  /** Buffers from the constructor alone (absent: the family has none). */
  buffersWithoutInput?(cfg: C, conv: Conventions): number | null;
  /** Trainable parameters from the constructor alone (absent: all of paramsWithoutInput). */
  trainableWithoutInput?(cfg: C, conv: Conventions): number | null;
  /** The parameter tensors, in the framework's order; null when their shapes are not known. */
  params(cfg: C, facts: LayerFacts): ParamSpec[] | null;
  run(ctx: RunContext, cfg: C, inputs: Tensor[]): Tensor;
  /** The same layer written in the other framework, or null when there is no direct equivalent. */
  equivalent(cfg: C, facts: LayerFacts): string | null;
  panel(cfg: C): PanelSpec<C>;
  /**
   * What a model starting with this layer expects, when the file gives no input shape: a spatial
   * rank (and the channels, if the constructor says), or a number of features.
   */
  inputHint?(cfg: C): InputHint;
  /**
   * Whether run() on 4-D channels-first inputs gives the same values, permuted, when ctx.conv is
   * the framework's channels-last twin (conventions.ts channelsLastTwin) and the inputs are
   * permuted to NHWC: the layer reads the layout only through ctx.conv. The runtime then keeps a
   * channels-first model's activations channels-last across runs of such layers (absent: no).
   */
  sameInEitherLayout?(cfg: C): boolean;
  /**
   * Whether run() always returns a new tensor that nothing else holds (not an input, a weight
   * or a view of one): when no later layer and no caller reads it, the next layer may write
   * over it (RunContext.overwrite). Absent: no.
   */
  freshOutput?(cfg: C): boolean;
}

export type InputHint = { rank: 1 | 2; channels: number | null } | { features: number | null };

/** A layer the engine cannot run (unsupported variant, unknown parameters); names the layer. */
export class RunError extends Error {
  override readonly name = 'RunError';
  /** `code`: the engine's error code when the engine refused the layer. */
  constructor(
    readonly layer: string,
    message: string,
    readonly code: E.EngineErrorCode | null = null,
  ) {
    super(message);
  }
}

/** For families without weights. */
export const NO_PARAMS = {
  paramsWithoutInput: (): number => 0,
  params: (): ParamSpec[] => [],
};

export const NO_EQUIVALENT = (): null => null;

/** The channel count of a batched input in the framework's layout, when known. */
export function inputChannels(facts: LayerFacts): number | null {
  const s = facts.inputShapes[0];
  if (!s || s.length < 2) return null;
  const d = s[facts.conv.channelAxis(s.length)]!;
  return typeof d === 'number' ? d : null;
}

export function tuple(v: readonly number[]): string {
  return v.every((x) => x === v[0]) ? String(v[0]) : `(${v.join(', ')})`;
}
