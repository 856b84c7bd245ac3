/**
 * The layer families, and every question about a layer answered through its family: the shape
 * rule, the parameter tensors, running it on the engine, the other framework's equivalent, the
 * panel view. A new layer kind lives in its family's module (its config type joins that module's
 * `Cfg` and its family joins `families`); nothing here changes unless a new family module is added.
 */
import type { Tensor } from '../../engine';
import * as activation from './activation';
import * as axes from './axes';
import * as conv from './conv';
import * as dense from './dense';
import * as elementwise from './elementwise';
import {
  RunError,
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
import * as norm from './norm';
import * as padding from './padding';
import * as pool from './pool';
import * as reduce from './reduce';
import * as reshape from './reshape';
import * as upsampling from './upsampling';

/** A layer ConvLens cannot model (unknown class, arguments it could not read). */
export type UnknownCfg = { kind: 'unknown'; reason: string };

export type LayerCfg =
  | conv.Cfg
  | pool.Cfg
  | dense.Cfg
  | norm.Cfg
  | activation.Cfg
  | reshape.Cfg
  | merge.Cfg
  | elementwise.Cfg
  | axes.Cfg
  | reduce.Cfg
  | padding.Cfg
  | upsampling.Cfg
  | UnknownCfg;

export type LayerKind = LayerCfg['kind'];

const unknownFamily: LayerFamily<UnknownCfg> = {
  kinds: ['unknown'],
  infer: (inp, c) =>
    /is not modelled$/.test(c.reason)
      ? stop({ severity: 'info', code: 'unknown-layer', args: { layer: inp.label, type: inp.type } })
      : stop({ severity: 'info', code: 'unreadable-layer', args: { layer: inp.label, reason: c.reason } }),
  paramsWithoutInput: () => null,
  params: () => [],
  run: (ctx, c) => {
    throw new RunError(ctx.label, `${ctx.label}: ${c.reason}`);
  },
  equivalent: () => null,
  panel: () => ({ kind: 'other', row: 'other' }),
};

const FAMILIES: readonly { readonly kinds: readonly string[] }[] = [
  ...conv.families,
  ...pool.families,
  ...dense.families,
  ...norm.families,
  ...activation.families,
  ...reshape.families,
  ...merge.families,
  ...elementwise.families,
  ...axes.families,
  ...reduce.families,
  ...padding.families,
  ...upsampling.families,
  unknownFamily,
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

export function paramsWithoutInput(cfg: LayerCfg): number | null {
  return familyOf(cfg).paramsWithoutInput(cfg);
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
