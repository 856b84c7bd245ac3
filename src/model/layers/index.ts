/**
 * The layer families, and every question about a layer answered through its family: the shape
 * rule, the parameter tensors, running it on the engine, the other framework's equivalent, the
 * panel view. A new layer kind lives in its family's module (its config type joins that module's
 * `Cfg` and its family joins `families`); nothing here changes unless a new family module is added.
 */
import type { Tensor } from '../../engine';
import type { Conventions } from '../conventions';
import * as activation from './activation';
import * as axes from './axes';
import * as conv from './conv';
import * as dense from './dense';
import { sym } from '../../shared/dims';
import * as elementwise from './elementwise';
import * as indexing from './indexing';
import {
  RunError,
  result,
  stop,
  type InferInput,
  type InputHint,
  type InferResult,
  type LayerFacts,
  type LayerFamily,
  type PanelSpec,
  type ParamSpec,
  type RunContext,
} from './family';
import * as merge from './merge';
import * as moduleRow from './module';
import * as norm from './norm';
import * as padding from './padding';
import * as pixelShuffle from './pixelShuffle';
import * as sampling from './sampling';
import * as pool from './pool';
import * as reduce from './reduce';
import * as reshape from './reshape';
import * as standardize from './standardize';
import * as upsampling from './upsampling';

/** A layer ConvLens cannot model (unknown class, arguments it could not read). */
/** A layer left unread; `arg` and `value` (as written) name the argument refused, when one is. */
/**
 * A layer left unread, with the reason; `invalid` when the framework itself refuses the value
 * (an error, as the framework raises), otherwise it is only not read (the shapes after it unknown).
 */
export type UnknownCfg = { kind: 'unknown'; reason: string; arg?: string; value?: string; invalid?: true };
/**
 * A whole model whose source is not read (keras.applications.VGG16(…)) used as a layer: shapes
 * after it go on symbolically, its parameters are unknown, and an info diagnostic says why.
 */
export type OpaqueCfg = { kind: 'opaque'; what: string; includeTop: boolean; pooling: string | null };

export type LayerCfg =
  | conv.Cfg
  | pool.Cfg
  | dense.Cfg
  | norm.Cfg
  | standardize.Cfg
  | activation.Cfg
  | reshape.Cfg
  | merge.Cfg
  | elementwise.Cfg
  | axes.Cfg
  | indexing.Cfg
  | reduce.Cfg
  | padding.Cfg
  | pixelShuffle.Cfg
  | sampling.Cfg
  | upsampling.Cfg
  | moduleRow.Cfg
  | UnknownCfg
  | OpaqueCfg;

export type LayerKind = LayerCfg['kind'];

const unknownFamily: LayerFamily<UnknownCfg> = {
  kinds: ['unknown'],
  infer: (inp, c) =>
    c.invalid
      ? stop({
          severity: 'error',
          code: 'bad-argument',
          ...(c.arg !== undefined ? { arg: c.arg } : {}),
          args: { layer: inp.label, detail: c.reason },
        })
      : /is not modelled$/.test(c.reason)
        ? stop({ severity: 'info', code: 'unknown-layer', args: { layer: inp.label, type: inp.type } })
        : stop({
            severity: 'info',
            code: 'unreadable-layer',
            ...(c.arg !== undefined ? { arg: c.arg } : {}),
            args: {
              layer: inp.label,
              reason: c.reason,
              ...(c.arg !== undefined ? { arg: c.arg } : {}),
              ...(c.value !== undefined ? { value: c.value } : {}),
            },
          }),
  paramsWithoutInput: () => null,
  buffersWithoutInput: () => null,
  params: () => [],
  run: (ctx, c) => {
    throw new RunError(ctx.label, `${ctx.label}: ${c.reason}`);
  },
  equivalent: () => null,
  panel: () => ({ kind: 'other', row: 'other' }),
};

const opaqueFamily: LayerFamily<OpaqueCfg> = {
  kinds: ['opaque'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    // include_top: (batch, classes); pooling: (batch, channels); else an image of unknown size
    const out =
      c.includeTop || c.pooling
        ? [s[0]!, sym(c.includeTop ? 'K' : 'C')]
        : inp.conv.joinShape(
            s[0]!,
            s.slice(2).map((_, i) => sym(['h', 'w', 'd'][i] ?? `d${i}`)),
            sym('C'),
          );
    return {
      ...result({ out, params: null, trainable: null, flops: null }),
      issues: [{ severity: 'info', code: 'opaque-model', args: { layer: inp.label, what: c.what } }],
    };
  },
  paramsWithoutInput: () => null,
  params: () => null,
  run: (ctx, c) => {
    throw new RunError(ctx.label, `${ctx.label}: ${c.what} is not read, so it cannot run`);
  },
  equivalent: () => null,
  panel: () => ({ kind: 'other', row: 'other' }),
};

const FAMILIES: readonly { readonly kinds: readonly string[] }[] = [
  ...conv.families,
  ...pool.families,
  ...dense.families,
  ...norm.families,
  ...standardize.families,
  ...activation.families,
  ...reshape.families,
  ...merge.families,
  ...elementwise.families,
  ...axes.families,
  ...indexing.families,
  ...reduce.families,
  ...padding.families,
  ...pixelShuffle.families,
  ...sampling.families,
  ...upsampling.families,
  ...moduleRow.families,
  unknownFamily,
  opaqueFamily,
];

const BY_KIND = new Map<string, LayerFamily<LayerCfg>>();
for (const f of FAMILIES) for (const k of f.kinds) BY_KIND.set(k, f as unknown as LayerFamily<LayerCfg>);

/** The family that owns a layer kind. Every kind of LayerCfg has one (test/unit/model/families.test.ts). */
export function familyOf(cfg: LayerCfg): LayerFamily<LayerCfg> {
  const f = BY_KIND.get(cfg.kind);
  if (!f) throw new Error(`no layer family for kind '${cfg.kind}'`);
  return f;
}

export function registeredKinds(): string[] {
  return [...BY_KIND.keys()];
}

export function inferLayer(cfg: LayerCfg, inp: InferInput): InferResult {
  return familyOf(cfg).infer(inp, cfg);
}

export function layerParams(cfg: LayerCfg, facts: LayerFacts): ParamSpec[] | null {
  return familyOf(cfg).params(cfg, facts);
}

export function paramsWithoutInput(cfg: LayerCfg, conv: Conventions): number | null {
  return familyOf(cfg).paramsWithoutInput(cfg, conv);
}

/** Trainable parameters from the constructor alone. */
export function trainableWithoutInput(cfg: LayerCfg, conv: Conventions): number | null {
  const f = familyOf(cfg);
  return f.trainableWithoutInput ? f.trainableWithoutInput(cfg, conv) : f.paramsWithoutInput(cfg, conv);
}

/** Running statistics kept as buffers (PyTorch), from the constructor alone; 0 for most layers. */
export function buffersWithoutInput(cfg: LayerCfg, conv: Conventions): number | null {
  return familyOf(cfg).buffersWithoutInput?.(cfg, conv) ?? 0;
}

export function runFamily(ctx: RunContext, cfg: LayerCfg, inputs: Tensor[]): Tensor {
  return familyOf(cfg).run(ctx, cfg, inputs);
}

export function equivalentOf(cfg: LayerCfg, facts: LayerFacts): string | null {
  return familyOf(cfg).equivalent(cfg, facts);
}

/** The input a model starting with this layer expects (null: the layer does not say). */
export function inputHintOf(cfg: LayerCfg): InputHint | null {
  return familyOf(cfg).inputHint?.(cfg) ?? null;
}

/** Whether the layer's run always returns a tensor nothing else holds (LayerFamily.freshOutput). */
export function freshOutput(cfg: LayerCfg): boolean {
  return familyOf(cfg).freshOutput?.(cfg) ?? false;
}

/** Whether the layer computes the same on NHWC inputs with channels-last conventions (LayerFamily.sameInEitherLayout). */
export function sameInEitherLayout(cfg: LayerCfg): boolean {
  return familyOf(cfg).sameInEitherLayout?.(cfg) ?? false;
}

export function panelOf(cfg: LayerCfg): PanelSpec<LayerCfg> {
  return familyOf(cfg).panel(cfg);
}

export { isPlainConv2d, type ConvCfg } from './conv';
export type { PoolCfg } from './pool';
export type { PaddingSpec } from './window';
export { RunError, MUL } from './family';
export type {
  InferInput,
  InferResult,
  InputHint,
  Issue,
  LayerFacts,
  PanelKind,
  PanelSpec,
  ParamSpec,
  ReceptiveField,
  RowKind,
  RunContext,
} from './family';
