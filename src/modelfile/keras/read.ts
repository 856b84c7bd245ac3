/**
 * Keras model files → ModelFile. A `.keras` zip holds config.json (the architecture) and
 * model.weights.h5; a full-model legacy `.h5` holds the architecture as the root attribute
 * `model_config` and the weights under `model_weights`. The config is written as Python source
 * (config.ts) and read by the analyzer, so the graph is the one the same code would give; the
 * weights come from the weight readers of src/io (kerasWeights.ts), named by layer.
 *
 * Hostile files: config.json over MAX_CONFIG_BYTES or nested deeper than MAX_CONFIG_DEPTH is
 * refused before JSON.parse sees it; zip entries are extracted with their declared size capped
 * (zip.ts); of two entries with one name the last one counts, as Python's zipfile reads it; the
 * layer count is capped (config.ts); tensor sizes are capped by the weight readers.
 */
import { analyze } from '../../analysis/analyze';
import { inputFail } from '../../io/errors';
import { H5File } from '../../io/hdf5';
import { readKerasH5, readKerasZip } from '../../io/kerasWeights';
import { jsonDepth, parseJsonCapped } from '../../io/jsonLimits';
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from '../../io/kerasWeights';
import { isZip, latestEntries, listZip, readZipEntry, type ZipEntry } from '../../io/zip';
import type { Diagnostic } from '../../model/diagnostics';
import type { ModelFile, ModelFileFormat, ModelFileOptions } from '../types';
import { kerasConfigSource, type KerasSource } from './config';
import type { WeightTensor } from '../../io/weightFile';

export { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH };
const MAX_METADATA_BYTES = 1024 * 1024;

export { jsonDepth };

/** Size and depth checked first, then JSON.parse; `where` names the file and the part. */
export function parseConfigJson(text: string, where: string): unknown {
  return parseJsonCapped(text, where, { maxBytes: MAX_CONFIG_BYTES, maxDepth: MAX_CONFIG_DEPTH, what: 'model config' });
}

interface Read {
  format: ModelFileFormat;
  config: unknown;
  origin: string;
  weights: () => { tensors: WeightTensor[]; metadata?: Record<string, string> };
  metadata: Record<string, string>;
}

function readZip(bytes: Uint8Array, name: string): Read {
  const entries = latestEntries(listZip(bytes, name));
  const entry = (n: string) => entries.find((e) => e.name === n);
  const cfg = entry('config.json');
  if (!cfg)
    inputFail(
      'unknown-format',
      `${name}: ZIP archive without config.json: not a Keras model file (.keras); entries: ${
        entries
          .slice(0, 6)
          .map((e) => e.name)
          .join(', ') || 'none'
      }`,
    );
  const decode = (e: ZipEntry, cap: number) => new TextDecoder().decode(readZipEntry(bytes, name, e, cap));
  const config = parseConfigJson(decode(cfg, MAX_CONFIG_BYTES), `${name}: config.json`);
  const metadata: Record<string, string> = {};
  const meta = entry('metadata.json');
  if (meta) {
    try {
      const m = JSON.parse(decode(meta, MAX_METADATA_BYTES)) as unknown;
      if (typeof m === 'object' && m !== null)
        for (const k of ['keras_version', 'date_saved'])
          if (typeof (m as Record<string, unknown>)[k] === 'string') metadata[k] = (m as Record<string, string>)[k]!;
    } catch {
      // metadata is informative only
    }
  }
  return {
    format: 'keras-zip',
    config,
    origin: 'config.json',
    weights: () => readKerasZip(bytes, name, entries),
    metadata,
  };
}

function readH5(bytes: Uint8Array, name: string): Read {
  const h5 = H5File.open(bytes, name);
  const text = h5.string('', 'model_config');
  if (text === undefined) {
    if (h5.strings('', 'layer_names') || h5.has('layers') || h5.has('model_weights'))
      inputFail(
        'unsupported',
        `${name}: holds weights only (no model config); open the Python source that builds the model and load this file as its weights`,
      );
    inputFail('unknown-format', `${name}: HDF5 file without a Keras model config (no 'model_config' attribute)`);
  }
  const config = parseConfigJson(text, `${name}: model_config`);
  const metadata: Record<string, string> = {};
  for (const k of ['keras_version', 'backend']) {
    const v = h5.string('', k);
    if (v !== undefined) metadata[k] = v;
  }
  return {
    format: 'keras-legacy-h5',
    config,
    origin: 'legacy HDF5 model_config',
    weights: () => readKerasH5(bytes, name),
    metadata,
  };
}

/** The analyzer's diagnostics on the written source, located by the layer they are about. */
function mapDiagnostics(diags: Diagnostic[], src: KerasSource): Diagnostic[] {
  return diags.map((d) => {
    const span = src.spans.find((s) => d.range.from >= s.from && d.range.from <= s.to);
    const { file: _file, fix: _fix, ...rest } = d;
    return { ...rest, range: { from: 0, to: 0 }, node: span?.layer ?? src.modelName };
  });
}

/**
 * The Python source of a Keras model file, without its weights (the analyzer's `load_model`):
 * the source and its model's variable, or the reason it cannot be read.
 */
export function kerasModelSource(
  bytes: Uint8Array,
  name: string,
): { source: string; modelVar: string } | { error: string } {
  try {
    const read = isZip(bytes) ? readZip(bytes, name) : readH5(bytes, name);
    const src = kerasConfigSource(read.config, name, { origin: read.origin });
    return { source: src.source, modelVar: src.modelVar };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export function readKerasModelFile(bytes: Uint8Array, name: string, options: ModelFileOptions): ModelFile {
  const read = isZip(bytes) ? readZip(bytes, name) : readH5(bytes, name);
  const src = kerasConfigSource(read.config, name, { inputShape: options.inputShape ?? null, origin: read.origin });
  const wf = read.weights();
  const result = analyze(src.source);
  const graph = result.models.find((m) => m.name === src.modelVar) ?? result.models[result.models.length - 1] ?? null;
  const diagnostics = mapDiagnostics(result.diagnostics, src);
  if (graph) {
    graph.name = src.modelName;
    // the input is the file's, not a line of the source written for it
    if (graph.inputSource.kind === 'declared')
      graph.inputSource = { kind: 'declared', detail: `the input layer saved in ${name}` };
  }
  if (src.stop) {
    if (graph) graph.partial = true;
    diagnostics.push({
      range: { from: 0, to: 0 },
      severity: 'warning',
      code: 'unsupported-op',
      node: src.stop.layer,
      args: { node: src.stop.layer, op: src.stop.className, detail: src.stop.why },
    });
  }
  return {
    format: read.format,
    name,
    graph,
    weights: wf.tensors,
    diagnostics,
    source: src.source,
    metadata: { ...wf.metadata, ...read.metadata },
  };
}
