/**
 * Applying a layer to symbolic tensors: runs the layer's shape rule, records the node in the
 * interpreter's log and returns the output tensor. Once a shape is unknown, later nodes are
 * still recorded (so they are listed) but carry no shape.
 */
import { conventions } from '../../model/conventions';
import { inferLayer } from '../../model/layers';
import type { LayerCfg, LayerSpec, Framework, UnmodelledArg } from '../../model/ir';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import type { LayerValue, TensorValue } from '../interp/values';

/** The display name of a layer in messages: "Conv2D 'conv2d_1'". Set per trace for PyTorch paths. */
export type Namer = (spec: LayerSpec) => string | null;

let currentNamer: Namer | null = null;

export function withNamer<T>(namer: Namer, f: () => T): T {
  const prev = currentNamer;
  currentNamer = namer;
  try {
    return f();
  } finally {
    currentNamer = prev;
  }
}

export function nameOf(spec: LayerSpec): string | null {
  return currentNamer?.(spec) ?? spec.name;
}

export function labelOf(spec: LayerSpec): string {
  const n = nameOf(spec);
  return n && !spec.functional ? `${spec.type} '${n}'` : spec.type;
}

export function applyLayer(ip: Interpreter, layer: LayerValue, inputs: TensorValue[], callRange: Range): TensorValue {
  const spec = layer.spec;
  const label = labelOf(spec);
  const fw = spec.framework;
  const known = inputs.length > 0 && inputs.every((t) => t.shape !== null);
  const result = known
    ? inferLayer(spec.cfg, {
        conv: conventions(fw),
        type: spec.type,
        label,
        shapes: inputs.map((t) => t.shape!),
        rf: inputs[0]!.rf,
        argRanges: layer.argRanges,
      })
    : null;
  const output: TensorValue = { t: 'tensor', fw, shape: result?.out ?? null, rf: result?.rf ?? null, producer: -1 };
  const idx = ip.record({ spec, argRanges: layer.argRanges, inputs, output, callRange, result, label });
  output.producer = idx;
  return output;
}

/** A functional op (F.relu, torch.flatten, x.view, +) as a one-off layer spec. */
export function functionalLayer(
  ip: Interpreter,
  fw: Framework,
  type: string,
  cfg: LayerCfg,
  range: Range,
  unmodelled: readonly UnmodelledArg[] = [],
): LayerValue {
  const file = ip.ext ? { file: ip.ext.info.file } : {};
  const spec: LayerSpec = {
    id: ip.nextId(),
    framework: fw,
    type,
    cfg,
    name: null,
    range,
    functional: true,
    ...file,
    ...(unmodelled.length ? { unmodelled } : {}),
  };
  return { t: 'layer', spec, argRanges: {} };
}

/** `unmodelled`: the call's arguments its config leaves out (an unsupported-argument warning each). */
export function applyFunctional(
  ip: Interpreter,
  fw: Framework,
  type: string,
  cfg: LayerCfg,
  inputs: TensorValue[],
  range: Range,
  unmodelled: readonly UnmodelledArg[] = [],
): TensorValue {
  return applyLayer(ip, functionalLayer(ip, fw, type, cfg, range, unmodelled), inputs, range);
}
