/**
 * Keras weight files → WeightTensor lists, in model order.
 *
 * Keras 3 `.weights.h5` (model.save_weights) and the `model.weights.h5` inside a `.keras` zip use
 * the H5IOStore layout: one group per saved object, `layers/<path>/vars/<0,1,…>`, nested models as
 * `layers/<model>/layers/<layer>/vars`, the optimizer under `optimizer/vars` (skipped). The path is
 * made from class names (see kerasConfig.ts), so the real layer name and the variable names come
 * from the zip's config.json when there is one; a bare .weights.h5 keeps the path-derived layer
 * name ('conv2d', 'sequential/conv2d') and the variable index as `param` ('0', '1'), and the caller
 * matches by order. Groups are visited in object-address order, which is creation order in a file
 * written in one go — the model's layer order, where h5py would list names alphabetically.
 *
 * Legacy tf.keras `.h5` (model.save_weights('x.h5') / model.save('x.h5')): the root (or the
 * `model_weights` group) lists `layer_names`; each layer group lists `weight_names` such as
 * 'conv2d/kernel:0', and the datasets live at <layer>/<weight name>. param = the last name segment
 * without ':0'. layer = the layer group's name, except inside a nested model's group (weights of
 * several sub-layers), where it is the weight name's prefix ('conv2d').
 */
import { inputFail } from './errors';
import { H5File, type H5Child } from './hdf5';
import { kerasLayerPaths, kerasVariableNames, snakeCase, type KerasLayerInfo } from './kerasConfig';
import { ElementBudget, printable } from './weightLimits';
import type { WeightFile, WeightTensor } from './weightFile';
import { parseJsonCapped } from './jsonLimits';
import { latestEntries, readZipEntry, type ZipEntry } from './zip';

/** jsfive needs the whole HDF5 file in one ArrayBuffer. */
export const MAX_KERAS_WEIGHTS_BYTES = 2 ** 31 - 1;
/** A .keras archive's config.json: size and nesting checked before it is parsed (the model-file reader's limits). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
export const MAX_CONFIG_DEPTH = 64;
const MAX_METADATA_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
/** Keras 2.13 wrote 'layers' under this name; Keras 3 still reads it. */
const COMPAT_LAYERS = '_layer_checkpoint_dependencies';

function join(a: string, b: string): string {
  return a ? `${a}/${b}` : b;
}

export function readKerasH5(bytes: Uint8Array, file: string): WeightFile {
  const h5 = H5File.open(bytes, file);
  // model.save_weights('x.h5') puts layer_names on the root, model.save('x.h5') on model_weights
  if (h5.strings('', 'layer_names')) return readLegacy(h5, '');
  if (h5.has('model_weights') && h5.isGroup('model_weights') && h5.strings('model_weights', 'layer_names'))
    return readLegacy(h5, 'model_weights');
  if (h5.has('layers') || h5.has('vars') || h5.has(COMPAT_LAYERS))
    return { format: 'keras3-h5', tensors: readKeras3(h5, null) };
  const top = h5.list('').map((c) => printable(c.name));
  const dense = h5.hasDenseAttributes('')
    ? "; its attributes are in HDF5 dense storage (libver='latest' or many attributes), which this reader cannot read"
    : '';
  inputFail(
    'unknown-format',
    `${file}: HDF5 file without Keras weights: no 'layer_names' attribute (tf.keras .h5) and no 'layers'/'vars' groups (Keras 3); top-level members: ${top.slice(0, 8).join(', ') || 'none'}${dense}`,
  );
}

export function readKerasZip(bytes: Uint8Array, file: string, all: ZipEntry[]): WeightFile {
  // of two entries with one name the last counts, as Python's zipfile (and so Keras) reads it
  const entries = latestEntries(all);
  const entry = (name: string) => entries.find((e) => e.name === name);
  const weights = entry('model.weights.h5');
  if (!weights) {
    if (entry('model.weights.npz'))
      inputFail(
        'unsupported',
        `${file}: .keras archive with npz weights (model.weights.npz) is not supported; save with the default h5 weights format`,
      );
    const names = entries
      .slice(0, 6)
      .map((e) => e.name)
      .join(', ');
    inputFail(
      'unknown-format',
      `${file}: ZIP archive is neither a Keras .keras file (no model.weights.h5) nor a PyTorch checkpoint; entries: ${names || 'none'}`,
    );
  }
  const json = (name: string, maxBytes: number, what: string): Record<string, unknown> | undefined => {
    const e = entry(name);
    if (!e) return undefined;
    const text = new TextDecoder().decode(readZipEntry(bytes, file, e, maxBytes));
    const v = parseJsonCapped(text, `${file}: ${name}`, { maxBytes, maxDepth: MAX_CONFIG_DEPTH, what });
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    inputFail('corrupt', `${file}: ${name} is not a JSON object`);
  };
  const config = json('config.json', MAX_CONFIG_BYTES, 'model config');
  let meta: Record<string, unknown> | undefined;
  try {
    meta = json('metadata.json', MAX_METADATA_BYTES, 'metadata');
  } catch {
    // metadata is informative only
  }
  const h5 = H5File.open(readZipEntry(bytes, file, weights, MAX_KERAS_WEIGHTS_BYTES), `${file}: model.weights.h5`);
  const tensors = readKeras3(h5, config ? kerasLayerPaths(config) : null);
  const metadata: Record<string, string> = {};
  for (const k of ['keras_version', 'date_saved']) if (typeof meta?.[k] === 'string') metadata[k] = meta[k] as string;
  return Object.keys(metadata).length ? { format: 'keras-zip', tensors, metadata } : { format: 'keras-zip', tensors };
}

/** Saveables whose state is not a layer's weights. */
function skipped(name: string, parent: string): boolean {
  return (parent === '' && name === 'optimizer') || (name.startsWith('_') && name !== COMPAT_LAYERS);
}

/** Paths of every object that has a 'vars' group, in creation order. */
function layerPaths(h5: H5File): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  const walk = (path: string, depth: number): void => {
    for (const child of h5.list(path)) {
      if (child.kind !== 'group' || seen.has(child.address)) continue;
      seen.add(child.address); // hard links can form cycles
      if (child.name === 'vars') out.push(path);
      else if (!skipped(child.name, path) && depth < MAX_DEPTH) walk(join(path, child.name), depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/** Keras order: '0', '1', … numerically, then any other names (custom save_own_variables) in creation order. */
function variableOrder(children: H5Child[]): H5Child[] {
  const num = (c: H5Child) => (/^(0|[1-9]\d{0,8})$/.test(c.name) ? Number(c.name) : Infinity);
  return children.filter((c) => c.kind === 'dataset').sort((a, b) => num(a) - num(b) || a.address - b.address);
}

/** The config's layer for this path, if its class agrees with the class the path was named after. */
function layerInfo(paths: Map<string, KerasLayerInfo> | null, path: string): KerasLayerInfo | undefined {
  const info = paths?.get(
    path
      .split('/')
      .map((s) => (s === COMPAT_LAYERS ? 'layers' : s))
      .join('/'),
  );
  if (!info || path === '') return info;
  const last = path.slice(path.lastIndexOf('/') + 1);
  const base = snakeCase(info.className);
  return last === base || (last.startsWith(`${base}_`) && /^\d+$/.test(last.slice(base.length + 1))) ? info : undefined;
}

function readKeras3(h5: H5File, paths: Map<string, KerasLayerInfo> | null): WeightTensor[] {
  const budget = new ElementBudget(h5.file);
  const tensors: WeightTensor[] = [];
  for (const path of layerPaths(h5)) {
    const vars = variableOrder(h5.list(join(path, 'vars')));
    if (vars.length === 0) continue;
    const info = layerInfo(paths, path);
    const names = info && kerasVariableNames(info);
    const named = names !== undefined && names.length === vars.length && vars.every((v, i) => v.name === String(i));
    const layer =
      info?.name ??
      path
        .split('/')
        .filter((s) => s !== 'layers' && s !== COMPAT_LAYERS)
        .join('/');
    vars.forEach((v, i) => {
      const full = join(join(path, 'vars'), v.name);
      const t = h5.read(full, budget);
      const tensor: WeightTensor = {
        name: full,
        layer,
        param: named ? names[i]! : v.name,
        shape: t.shape,
        data: t.data,
        dtype: t.dtype,
      };
      if (t.nonFloat) tensor.nonFloat = true;
      tensors.push(tensor);
    });
  }
  return tensors;
}

function readLegacy(h5: H5File, root: string): WeightFile {
  const budget = new ElementBudget(h5.file);
  const tensors: WeightTensor[] = [];
  for (const layerName of h5.strings(root, 'layer_names') ?? []) {
    const group = join(root, layerName);
    if (layerName.includes('/') || !h5.has(group))
      inputFail(
        'corrupt',
        `${h5.file}: layer_names lists '${printable(layerName)}' but there is no group '${printable(group)}'`,
      );
    const weightNames = h5.strings(group, 'weight_names') ?? [];
    const prefix = (w: string) => w.slice(0, Math.max(0, w.lastIndexOf('/')));
    // one layer's weights share a prefix ('conv2d/'); a nested model's group mixes several
    const nested = new Set(weightNames.map(prefix)).size > 1;
    for (const w of weightNames) {
      if (w.split('/').some((s) => s === '' || s === '.' || s === '..'))
        inputFail(
          'corrupt',
          `${h5.file}: weight name '${printable(w)}' of layer '${printable(layerName)}' is not a valid HDF5 path`,
        );
      const t = h5.read(join(group, w), budget);
      const last = w.slice(w.lastIndexOf('/') + 1);
      const tensor: WeightTensor = {
        name: w,
        layer: nested && prefix(w) ? prefix(w) : layerName,
        param: last.replace(/:\d+$/, ''),
        shape: t.shape,
        data: t.data,
        dtype: t.dtype,
      };
      if (t.nonFloat) tensor.nonFloat = true;
      tensors.push(tensor);
    }
  }
  const metadata: Record<string, string> = {};
  for (const k of ['keras_version', 'backend']) {
    const v = h5.string('', k);
    if (v !== undefined) metadata[k] = v;
  }
  return Object.keys(metadata).length
    ? { format: 'keras-legacy-h5', tensors, metadata }
    : { format: 'keras-legacy-h5', tensors };
}
