/**
 * Messages between the extension host and a model file's editor (the read-only custom editor of
 * .keras, .h5 and .onnx files): the file's summary table, its diagnostics and the weight
 * statistics of every layer; the selected row. Every message received is validated.
 */
import { isParamStats, type ParamStats } from './weightStats';

export const MAX_ROWS = 20_000;

export interface ModelFileRow {
  index: number;
  name: string;
  type: string;
  /** In the framework's notation: "(None, 28, 28, 32)" or "(N, 32, 28, 28)". */
  outputShape: string;
  params: number | null;
  /** An error or warning about this layer, if any. */
  problem: string | null;
  /** One entry per parameter tensor, from the file's trained weights. */
  weights: ParamStats[];
}

export interface ModelFileSummary {
  kind: 'summary';
  /** The file's name (not its path). */
  file: string;
  /** 'Keras (.keras)', 'Keras (legacy .h5)', 'ONNX'. */
  format: string;
  modelName: string;
  /** The input in the framework's notation. */
  input: string;
  totalParams: number | null;
  trainableParams: number | null;
  /** What the file records: keras_version, producer, opset… */
  metadata: [string, string][];
  rows: ModelFileRow[];
  /** Diagnostics not about one layer, and those about layers, as text. */
  messages: { severity: 'error' | 'warning' | 'info'; text: string }[];
  selected: number;
  /** Shown in part: the messages say where it stops and why. */
  partial: boolean;
  /** The file's model as Keras code can be opened. */
  hasSource: boolean;
}

export type ModelFileState =
  { kind: 'loading'; file: string; text: string } | { kind: 'error'; file: string; message: string } | ModelFileSummary;

export type HostToModelFile = { type: 'state'; state: ModelFileState; locale: 'en' | 'ko' };

export type ModelFileToHost =
  { type: 'ready' } | { type: 'selectLayer'; index: number } | { type: 'openExplorer' } | { type: 'showSource' };

// ---- runtime checks ----

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown, max = 10_000): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_ROWS;
}

function isCount(v: unknown): v is number | null {
  return v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
}

function isRow(v: unknown): v is ModelFileRow {
  return (
    isRecord(v) &&
    isIndex(v['index']) &&
    isText(v['name'], 1000) &&
    isText(v['type'], 200) &&
    isText(v['outputShape'], 200) &&
    isCount(v['params']) &&
    (v['problem'] === null || isText(v['problem'])) &&
    Array.isArray(v['weights']) &&
    v['weights'].length <= 16 &&
    v['weights'].every(isParamStats)
  );
}

const SEVERITIES = ['error', 'warning', 'info'];

function isState(v: unknown): v is ModelFileState {
  if (!isRecord(v) || !isText(v['file'], 1000)) return false;
  if (v['kind'] === 'loading') return isText(v['text']);
  if (v['kind'] === 'error') return isText(v['message']);
  return (
    v['kind'] === 'summary' &&
    isText(v['format'], 100) &&
    isText(v['modelName'], 1000) &&
    isText(v['input'], 200) &&
    isCount(v['totalParams']) &&
    isCount(v['trainableParams']) &&
    Array.isArray(v['metadata']) &&
    v['metadata'].length <= 50 &&
    v['metadata'].every((m) => Array.isArray(m) && m.length === 2 && isText(m[0], 200) && isText(m[1], 1000)) &&
    Array.isArray(v['rows']) &&
    v['rows'].length <= MAX_ROWS &&
    v['rows'].every(isRow) &&
    Array.isArray(v['messages']) &&
    v['messages'].length <= 1000 &&
    v['messages'].every((m) => isRecord(m) && SEVERITIES.includes(m['severity'] as string) && isText(m['text'])) &&
    isIndex(v['selected']) &&
    typeof v['partial'] === 'boolean' &&
    typeof v['hasSource'] === 'boolean'
  );
}

export function isHostToModelFile(v: unknown): v is HostToModelFile {
  return isRecord(v) && v['type'] === 'state' && (v['locale'] === 'en' || v['locale'] === 'ko') && isState(v['state']);
}

export function isModelFileToHost(v: unknown): v is ModelFileToHost {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
    case 'openExplorer':
    case 'showSource':
      return true;
    case 'selectLayer':
      return isIndex(v['index']);
    default:
      return false;
  }
}
