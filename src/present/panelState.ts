/**
 * The panel state as the host sends it, always within what the protocol accepts: the webview
 * validates every message and drops one that does not fit, which would leave the panel silently
 * stale. So a model too large for the strip is listed up to its limit, over-long names are cut
 * with an ellipsis, counts past the limit are shown as unknown, a layer view that still does not
 * fit is left out — and the panel says so in its message ("too large to draw: …").
 */
import {
  isHostToWebview,
  MAX_PANEL_LAYERS,
  MAX_PANEL_NAME,
  MAX_PANEL_PARAMS,
  MAX_PANEL_TEXT,
  MAX_PANEL_TYPE,
  type LayerRow,
  type PanelState,
} from '../shared/protocol';

/** `s` cut to `max` characters, the last one an ellipsis when cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function fitRow(r: LayerRow): { row: LayerRow; countCut: boolean } {
  const countCut = r.params !== null && !(Number.isInteger(r.params) && r.params >= 0 && r.params <= MAX_PANEL_PARAMS);
  return {
    row: {
      index: r.index,
      name: clip(r.name, MAX_PANEL_NAME),
      type: clip(r.type, MAX_PANEL_TYPE),
      kind: clip(r.kind, 32),
      outputShape: clip(r.outputShape, MAX_PANEL_NAME),
      params: countCut ? null : r.params,
      line: Number.isInteger(r.line) && r.line >= 0 && r.line <= 1e9 ? r.line : 0,
      error: r.error === null ? null : clip(r.error, MAX_PANEL_TEXT),
    },
    countCut,
  };
}

/** The index the panel may select in a model of `layerCount` layers (the strip's last row at most). */
export function panelIndex(selected: number, layerCount: number): number {
  return Math.max(0, Math.min(selected, layerCount - 1, MAX_PANEL_LAYERS - 1));
}

/** The notes, in English and Korean. */
const NOTES = {
  en: {
    layers: (total: string, max: string, more: string) =>
      `too large to draw: the model has ${total} layers; the strip lists the first ${max} (… ${more} more layers)`,
    counts: (n: number, max: string) =>
      `too large to draw: ${fmt(n)} layer${n === 1 ? ' has' : 's have'} more than ${max} parameters (shown as ?)`,
    names: (n: number, max: number) => `${fmt(n)} layer name${n === 1 ? ' is' : 's are'} cut to ${max} characters`,
    view: (name: string) => `too large to draw: the view of layer ${name} does not fit the panel`,
    empty: 'too large to draw',
  },
  ko: {
    layers: (total: string, max: string, more: string) =>
      `너무 커서 그릴 수 없습니다: 모델의 층이 ${total}개라 처음 ${max}개만 보여 줍니다 (… 나머지 ${more}개)`,
    counts: (n: number, max: string) =>
      `너무 커서 그릴 수 없습니다: 층 ${fmt(n)}개의 파라미터가 ${max}개를 넘어 ?로 표시합니다`,
    names: (n: number, max: number) => `층 이름 ${fmt(n)}개를 ${max}자로 줄였습니다`,
    view: (name: string) => `너무 커서 그릴 수 없습니다: 층 ${name}의 보기가 패널에 맞지 않습니다`,
    empty: '너무 커서 그릴 수 없습니다',
  },
};

/** A state the protocol accepts, with what had to be left out said in its message. */
export function fitPanelState(state: PanelState, locale: 'en' | 'ko' = 'en'): PanelState {
  const w = NOTES[locale];
  if (state.kind === 'empty')
    return { kind: 'empty', title: clip(state.title, MAX_PANEL_TEXT), hint: clip(state.hint, MAX_PANEL_TEXT) };
  const notes: string[] = [];
  const total = state.layers.length;
  if (total > MAX_PANEL_LAYERS) notes.push(w.layers(fmt(total), fmt(MAX_PANEL_LAYERS), fmt(total - MAX_PANEL_LAYERS)));
  let cutCounts = 0;
  let cutNames = 0;
  const layers = state.layers.slice(0, MAX_PANEL_LAYERS).map((r) => {
    const f = fitRow(r);
    if (f.countCut) cutCounts++;
    if (f.row.name !== r.name) cutNames++;
    return f.row;
  });
  if (cutCounts) notes.push(w.counts(cutCounts, fmt(MAX_PANEL_PARAMS)));
  if (cutNames) notes.push(w.names(cutNames, MAX_PANEL_NAME));
  let fitted: PanelState = {
    ...state,
    modelName: clip(state.modelName, MAX_PANEL_NAME),
    ...(state.fileFormat !== undefined ? { fileFormat: clip(state.fileFormat, 100) } : {}),
    layers,
    selected: Math.max(0, Math.min(state.selected, Math.max(layers.length - 1, 0))),
    inputName: clip(state.inputName, 1000),
    layer: state.layer && {
      ...state.layer,
      name: clip(state.layer.name, MAX_PANEL_NAME),
      type: clip(state.layer.type, MAX_PANEL_TYPE),
    },
    message: null,
  };
  if (fitted.kind === 'model' && fitted.layer && !valid({ ...fitted, message: null })) {
    notes.push(w.view(clip(fitted.layer.name, 80)));
    fitted = { ...fitted, layer: null };
  }
  const message = [...(state.message === null ? [] : [state.message]), ...notes].join(' · ');
  fitted = { ...fitted, message: message === '' ? null : clip(message, MAX_PANEL_TEXT) } as PanelState;
  return valid(fitted) ? fitted : { kind: 'empty', title: clip(state.modelName, 200), hint: w.empty };
}

function valid(state: PanelState): boolean {
  return isHostToWebview({ type: 'state', runId: 0, state });
}
