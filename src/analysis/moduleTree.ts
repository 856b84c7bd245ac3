/**
 * A model's module tree and its totals: named_modules()-style paths for every module under a
 * root, and the parameter, trainable and buffer counts of a model — the layers it applies, and
 * for PyTorch also every registered module it never calls (model.parameters() holds them all:
 * GoogLeNet's auxiliary heads in eval mode).
 */
import { conventions } from '../model/conventions';
import type { LayerNode, LayerSpec } from '../model/ir';
import { buffersWithoutInput, paramsWithoutInput, trainableWithoutInput } from '../model/layers';
import type { InstanceValue, Value } from './interp/values';
import { emptySequentialSpec } from './frameworks/emptySequential';

/**
 * named_modules()-style paths for every module under a root; `specs` gets each module's spec.
 * `rowOf` gives a module of the model's own code its own row, if it has one (frameworks/modules.ts).
 */
export function modulePaths(
  root: Value,
  specs?: Map<number, LayerSpec>,
  rowOf?: (inst: InstanceValue) => LayerSpec | null,
): Map<number, string> {
  const paths = new Map<number, string>();
  const seen = new Set<Value>();
  const walk = (v: Value, prefix: string): void => {
    if (seen.has(v) || seen.size > 100_000) return;
    seen.add(v);
    if (v.t === 'layer') {
      if (!paths.has(v.spec.id)) paths.set(v.spec.id, prefix);
      specs?.set(v.spec.id, v.spec);
    } else if (v.t === 'container') {
      const own = emptySequentialSpec(v);
      if (own) {
        if (!paths.has(own.id)) paths.set(own.id, prefix);
        specs?.set(own.id, own);
      }
      for (const c of v.children) walk(c.value, prefix ? `${prefix}.${c.name}` : c.name);
    } else if (v.t === 'instance') {
      const own = rowOf?.(v);
      if (own) {
        if (!paths.has(own.id)) paths.set(own.id, prefix);
        specs?.set(own.id, own);
      }
      for (const name of v.children) {
        const child = v.attrs.get(name);
        if (child) walk(child, prefix ? `${prefix}.${name}` : name);
      }
    }
  };
  walk(root, '');
  return paths;
}

export interface Totals {
  total: number | null;
  trainable: number | null;
  buffers: number | null;
}

/**
 * Each module counted once: the layers applied (their counts from the shapes they saw), then the
 * registered modules never applied (their counts from the constructor; null when it does not say).
 */
export function modelTotals(layers: readonly LayerNode[], registered: ReadonlyMap<number, LayerSpec> | null): Totals {
  const counted = new Set<number>();
  const t: Totals = { total: 0, trainable: 0, buffers: 0 };
  const add = (params: number | null, trainable: number | null, buffers: number | null): void => {
    t.total = params === null || t.total === null ? null : t.total + params;
    t.trainable = trainable === null || t.trainable === null ? null : t.trainable + trainable;
    t.buffers = buffers === null || t.buffers === null ? null : t.buffers + buffers;
  };
  for (const l of layers) {
    if (l.spec.functional || counted.has(l.spec.id)) continue;
    counted.add(l.spec.id);
    add(l.params, l.trainableParams, l.buffers);
  }
  for (const [id, spec] of registered ?? []) {
    if (counted.has(id) || spec.functional) continue;
    counted.add(id);
    const conv = conventions(spec.framework);
    add(paramsWithoutInput(spec.cfg, conv), trainableWithoutInput(spec.cfg, conv), buffersWithoutInput(spec.cfg, conv));
  }
  return t;
}
