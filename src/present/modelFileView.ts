/**
 * A model file in the editor: reading it off the extension host's thread (the 'modelfile.read'
 * job: bytes in; the model, its weights matched to its layers and each layer's weight statistics
 * out), and the summary its editor shows. Pure: no vscode.
 */
import { InputError } from '../io/errors';
import { diagnosticMessage, type Locale } from '../model/diagnostics';
import type { ModelGraph } from '../model/ir';
import { paramSpecs } from '../model/nodes';
import { readModelFile, type ModelFile } from '../modelfile';
import { matchWeights, type WeightMatch } from '../runtime/weights';
import type { ModelFileRow, ModelFileSummary } from '../shared/modelFileProtocol';
import { paramStats, type ParamStats } from '../shared/weightStats';
import type { JobDef } from '../worker/jobs';
import { layerErrors } from './layerView';
import { shapeNotation } from './notation';

export interface ModelFileRequest {
  bytes: Uint8Array;
  /** The display name, for messages. */
  name: string;
  inputShape: number[] | null;
}

export interface LoadedModelFile {
  file: ModelFile;
  /** The file's weights matched to the graph's layers (null without a graph). */
  match: WeightMatch | null;
  /** Per layer index: statistics of each parameter tensor the file gives it. */
  stats: [number, ParamStats[]][];
}

export type ModelFileResponse = { ok: true; loaded: LoadedModelFile } | { ok: false; message: string };

/** Statistics of the weights each layer gets from the file. */
export function layerWeightStats(graph: ModelGraph, match: WeightMatch): [number, ParamStats[]][] {
  const out: [number, ParamStats[]][] = [];
  for (const node of graph.layers) {
    const params = match.byLayer.get(node.spec.id);
    const specs = params ? paramSpecs(node) : null;
    if (!params || !specs) continue;
    const stats = specs.flatMap((p) => {
      const data = params.get(p.name);
      return data ? [paramStats(p.name, p.shape, data)] : [];
    });
    if (stats.length) out.push([node.index, stats]);
  }
  return out;
}

export function loadModelFile(req: ModelFileRequest): ModelFileResponse {
  try {
    const file = readModelFile(req.bytes, req.name, { inputShape: req.inputShape });
    const match = file.graph ? matchWeights(file.graph, file.weights) : null;
    const stats = file.graph && match ? layerWeightStats(file.graph, match) : [];
    return { ok: true, loaded: { file, match, stats } };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, message: e.message };
    throw e;
  }
}

export const modelFileJob: JobDef<ModelFileRequest, ModelFileResponse> = {
  name: 'modelfile.read',
  run: loadModelFile,
  transfers: (res) => {
    if (!res.ok) return [];
    const out = new Set<ArrayBuffer>();
    for (const t of res.loaded.file.weights) out.add(t.data.buffer as ArrayBuffer);
    return [...out];
  },
};

const FORMAT_TEXT: Record<ModelFile['format'], string> = {
  'keras-zip': 'Keras (.keras)',
  'keras-legacy-h5': 'Keras (legacy .h5)',
  onnx: 'ONNX',
};

/** What the model file's editor shows: the table, the totals, the file's own metadata, messages. */
export function modelFileSummary(
  loaded: LoadedModelFile,
  fileName: string,
  selected: number,
  locale: Locale,
): ModelFileSummary {
  const { file } = loaded;
  const graph = file.graph;
  const errors = graph ? layerErrors(graph, file.diagnostics, locale) : new Map<number, string>();
  const stats = new Map(loaded.stats);
  const rows: ModelFileRow[] = (graph?.layers ?? []).map((l) => ({
    index: l.index,
    name: l.name,
    type: l.spec.type,
    outputShape: shapeNotation(l.outputShape, l.spec.framework),
    params: l.params,
    problem: errors.get(l.index) ?? null,
    weights: stats.get(l.index) ?? [],
  }));
  const problems = loaded.match?.problems.map((p) => ({ severity: 'warning' as const, text: p.message })) ?? [];
  return {
    kind: 'summary',
    file: fileName,
    format: FORMAT_TEXT[file.format],
    modelName: graph?.name ?? fileName,
    input: graph?.inputShape
      ? shapeNotation([{ sym: graph.framework === 'keras' ? 'None' : 'N' }, ...graph.inputShape], graph.framework)
      : '?',
    totalParams: graph?.totalParams ?? null,
    trainableParams: graph?.trainableParams ?? null,
    metadata: Object.entries(file.metadata).slice(0, 50),
    rows,
    messages: [
      ...file.diagnostics.map((d) => ({ severity: d.severity, text: diagnosticMessage(d, locale) })),
      ...problems,
    ],
    selected: Math.max(0, Math.min(selected, rows.length - 1)),
    partial: !!graph?.partial,
    hasSource: file.source !== undefined,
  };
}
