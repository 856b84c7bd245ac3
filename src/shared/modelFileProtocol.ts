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

// ---- fitting a state to what the checks accept ----

/** Longest texts the checks accept, by field. */
const LIMITS = { name: 1000, type: 200, shape: 200, text: 10_000, metaKey: 200, metaValue: 1000, messages: 1000 };

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * The state the host posts, fitted to what isHostToModelFile accepts, so the editor never drops a
 * state and stays on "loading": long names and texts are cut with "…", rows past MAX_ROWS and
 * messages past the limit are left out (the summary is then partial and a message says what was
 * cut), parameter counts that are not finite numbers are unknown. A state that still does not
 * pass becomes an error state that says so.
 */
export function fitModelFileState(state: ModelFileState, locale: 'en' | 'ko'): ModelFileState {
  if (isState(state as unknown)) return state;
  const file = clip(state.file, LIMITS.name);
  if (state.kind === 'loading') return { kind: 'loading', file, text: clip(state.text, LIMITS.text) };
  if (state.kind === 'error') return { kind: 'error', file, message: clip(state.message, LIMITS.text) };
  const count = (n: number | null): number | null => (isCount(n) ? n : null);
  const rows = state.rows.slice(0, MAX_ROWS).map((r, i) => ({
    index: i,
    name: clip(r.name, LIMITS.name),
    type: clip(r.type, LIMITS.type),
    outputShape: clip(r.outputShape, LIMITS.shape),
    params: count(r.params),
    problem: r.problem === null ? null : clip(r.problem, LIMITS.text),
    weights: r.weights.slice(0, 16).filter(isParamStats),
  }));
  const cut: string[] = [];
  if (state.rows.length > MAX_ROWS)
    cut.push(
      locale === 'ko'
        ? `층 ${state.rows.length.toLocaleString('en-US')}개 중 처음 ${MAX_ROWS.toLocaleString('en-US')}개만 보여 줍니다(너무 커서 다 그릴 수 없습니다)`
        : `only the first ${MAX_ROWS.toLocaleString('en-US')} of ${state.rows.length.toLocaleString('en-US')} layers are shown (too large to draw)`,
    );
  const kept = state.messages.slice(0, LIMITS.messages - 1 - cut.length);
  if (state.messages.length > kept.length)
    cut.push(
      locale === 'ko'
        ? `메시지 ${state.messages.length.toLocaleString('en-US')}개 중 ${kept.length.toLocaleString('en-US')}개만 보여 줍니다`
        : `${kept.length.toLocaleString('en-US')} of ${state.messages.length.toLocaleString('en-US')} messages are shown`,
    );
  const fitted: ModelFileSummary = {
    ...state,
    file,
    format: clip(state.format, 100),
    modelName: clip(state.modelName, LIMITS.name),
    input: clip(state.input, LIMITS.shape),
    totalParams: count(state.totalParams),
    trainableParams: count(state.trainableParams),
    metadata: state.metadata
      .slice(0, 50)
      .map(([k, v]) => [clip(k, LIMITS.metaKey), clip(v, LIMITS.metaValue)] as [string, string]),
    rows,
    messages: [
      ...kept.map((m) => ({ severity: m.severity, text: clip(m.text, LIMITS.text) })),
      ...cut.map((text) => ({ severity: 'warning' as const, text })),
    ],
    selected: Math.max(0, Math.min(state.selected, rows.length - 1)),
    partial: state.partial || cut.length > 0,
  };
  if (isState(fitted)) return fitted;
  return {
    kind: 'error',
    file,
    message:
      locale === 'ko' ? '이 모델의 요약은 너무 커서 그릴 수 없습니다' : "this model's summary is too large to draw",
  };
}
