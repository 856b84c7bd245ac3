/**
 * The model file editor (.keras, .h5, .onnx): the file's summary table — name, type, output
 * shape, parameters with the file's own layer names — with each layer's trained weights at a
 * glance (mean ± std and a histogram), the selected layer's weights in detail, the file's
 * metadata and messages. Selecting a row shows that layer in the ConvLens Explorer beside it.
 * It sees only src/shared from the host and validates every message.
 */
import {
  isHostToModelFile,
  isModelFileToHost,
  type ModelFileRow,
  type ModelFileState,
  type ModelFileSummary,
  type ModelFileToHost,
} from '../../src/shared/modelFileProtocol';
import type { ParamStats } from '../../src/shared/weightStats';
import { button, el, forgetCssVars } from '../dom';
import { histogramCanvas, short, statsBlock } from '../histogram';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

const WORDS = {
  en: {
    loading: 'Reading the model…',
    layer: 'Layer (type)',
    output: 'Output shape',
    params: 'Param #',
    weights: 'Trained weights',
    total: 'Total params',
    trainable: 'Trainable',
    input: 'Input',
    openExplorer: 'Open in Explorer',
    showSource: 'Show as Keras code',
    noWeights: 'no weights',
    detailHint: 'Select a layer to see its weights; the Explorer beside shows its feature maps on an image.',
    mean: 'mean',
    std: 'std',
    range: 'range',
    values: 'values',
    partial: 'Shown in part — see the messages.',
    histogram: 'Histogram of {name}: {count} values from {min} to {max}',
    refused: 'An update of this model could not be shown: what the extension sent is too large to draw.',
  },
  ko: {
    loading: '모델을 읽는 중…',
    layer: '층 (종류)',
    output: '출력 크기',
    params: '파라미터 수',
    weights: '훈련된 가중치',
    total: '전체 파라미터',
    trainable: '훈련 가능',
    input: '입력',
    openExplorer: '탐색기에서 보기',
    showSource: '케라스 코드로 보기',
    noWeights: '가중치 없음',
    detailHint: '층을 선택하면 가중치를 보여 줍니다. 옆의 탐색기에는 이미지에 대한 특성 맵이 나타납니다.',
    mean: '평균',
    std: '표준편차',
    range: '범위',
    values: '값',
    partial: '일부만 보여 줍니다 — 메시지를 보세요.',
    histogram: '{name}의 히스토그램: 값 {count}개, {min}부터 {max}까지',
    refused: '이 모델의 새 내용을 보여 줄 수 없습니다. 확장이 보낸 내용이 너무 커서 그릴 수 없습니다.',
  },
};
type Key = keyof (typeof WORDS)['en'];
let lang: 'en' | 'ko' = 'en';
const t = (k: Key, a: Record<string, string | number> = {}): string =>
  WORDS[lang][k].replace(/\{(\w+)\}/g, (_, n: string) => String(a[n] ?? ''));

function post(msg: ModelFileToHost): void {
  if (isModelFileToHost(msg)) api.postMessage(msg);
}

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('main'));
root.dataset['view'] = 'modelfile';
let state: ModelFileState | null = null;

const num = (n: number | null): string => (n === null ? '?' : n.toLocaleString('en-US'));

function histogram(s: ParamStats, width: number, height: number): HTMLCanvasElement {
  return histogramCanvas(
    s,
    width,
    height,
    t('histogram', { name: s.name, count: num(s.count), min: short(s.min), max: short(s.max) }),
  );
}

function header(s: ModelFileSummary): HTMLElement {
  const bar = el('header', 'topbar');
  const title = el('div', 'topbar-title');
  title.append(el('h1', 'model-name', s.file), el('span', 'badge framework', s.format));
  if (s.modelName !== s.file) title.append(el('span', 'input-name', s.modelName));
  const actions = el('div', 'topbar-actions');
  if (s.hasSource)
    actions.append(button(t('showSource'), () => post({ type: 'showSource' }), { cls: 'btn secondary', key: 'src' }));
  actions.append(button(t('openExplorer'), () => post({ type: 'openExplorer' }), { key: 'explorer' }));
  bar.append(title, actions);
  return bar;
}

function facts(s: ModelFileSummary): HTMLElement {
  const p = el('p', 'mf-facts');
  p.append(
    el('span', '', `${t('input')}: ${s.input}`),
    el('span', '', `${t('total')}: ${num(s.totalParams)}`),
    el('span', '', `${t('trainable')}: ${num(s.trainableParams)}`),
    ...s.metadata.map(([k, v]) => el('span', 'muted', `${k}: ${v}`)),
  );
  return p;
}

function messages(s: ModelFileSummary): HTMLElement | null {
  if (!s.messages.length && !s.partial) return null;
  const box = el('ul', 'mf-messages');
  if (s.partial) box.append(el('li', 'sev-warning', t('partial')));
  for (const m of s.messages) box.append(el('li', `sev-${m.severity}`, m.text));
  return box;
}

function weightsCell(r: ModelFileRow): HTMLElement {
  const td = el('td', 'mf-weights');
  const main = r.weights[0];
  if (!main) {
    return td;
  }
  td.append(histogram(main, 64, 16), el('span', 'mono', `${short(main.mean)} ± ${short(main.std)}`));
  return td;
}

function select(index: number): void {
  if (state?.kind !== 'summary' || index < 0 || index >= state.rows.length) return;
  state = { ...state, selected: index };
  render();
  post({ type: 'selectLayer', index });
}

function table(s: ModelFileSummary): HTMLElement {
  const wrap = el('div', 'mf-table-wrap');
  const tbl = el('table', 'mf-table');
  const head = el('tr');
  for (const h of ['#', t('layer'), t('output'), t('params'), t('weights')]) head.append(el('th', '', h));
  tbl.append(el('thead'));
  tbl.tHead!.append(head);
  const body = el('tbody');
  for (const r of s.rows) {
    const tr = el('tr', r.index === s.selected ? 'selected' : '');
    tr.tabIndex = r.index === s.selected ? 0 : -1;
    tr.dataset['focusKey'] = `row-${r.index}`;
    tr.setAttribute('aria-selected', String(r.index === s.selected));
    const name = el('td', 'mf-name');
    name.append(el('span', 'mono', r.name), el('span', 'muted', ` (${r.type})`));
    if (r.problem) {
      tr.classList.add('has-problem');
      name.title = r.problem;
    }
    tr.append(el('td', 'muted num', String(r.index)), name, el('td', 'mono', r.outputShape));
    tr.append(el('td', 'num', r.params === null ? '?' : num(r.params)), weightsCell(r));
    tr.addEventListener('click', () => select(r.index));
    tr.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (step) {
        e.preventDefault();
        select(r.index + step);
      } else if (e.key === 'Enter') post({ type: 'openExplorer' });
    });
    body.append(tr);
  }
  tbl.append(body);
  wrap.append(tbl);
  return wrap;
}

function detail(s: ModelFileSummary): HTMLElement {
  const box = el('aside', 'card mf-detail');
  const r = s.rows[s.selected];
  if (!r) {
    box.append(el('p', 'hint', t('detailHint')));
    return box;
  }
  box.append(el('h2', 'layer-title', `${r.name} `), el('p', 'muted', `${r.type} → ${r.outputShape}`));
  if (r.problem) box.append(el('p', 'sev-error', r.problem));
  if (!r.weights.length) box.append(el('p', 'muted', t('noWeights')));
  const words = {
    label: (w: ParamStats) =>
      t('histogram', { name: w.name, count: num(w.count), min: short(w.min), max: short(w.max) }),
    moments: (w: ParamStats) =>
      `${t('mean')} ${short(w.mean)} · ${t('std')} ${short(w.std)} · ${t('values')} ${num(w.count)}`,
  };
  for (const w of r.weights) box.append(statsBlock(w, 260, 72, words));
  box.append(el('p', 'hint small', t('detailHint')));
  return box;
}

function render(): void {
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.['focusKey'] ?? null;
  root.replaceChildren();
  if (!state) return;
  if (state.kind === 'loading') {
    const p = el('div', 'progress');
    p.setAttribute('role', 'progressbar');
    p.append(el('div', 'progress-bar'));
    root.append(el('h1', 'model-name', state.file), p, el('p', 'muted', state.text || t('loading')));
    return;
  }
  if (state.kind === 'error') {
    root.append(el('h1', 'model-name', state.file), el('p', 'sev-error', state.message));
    return;
  }
  const s = state;
  root.append(header(s), facts(s));
  const m = messages(s);
  if (m) root.append(m);
  const body = el('div', 'mf-body');
  body.append(table(s), detail(s));
  root.append(body);
  if (focused?.startsWith('row-')) {
    const row = root.querySelector<HTMLElement>(`tr[data-focus-key="row-${s.selected}"]`);
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (!isHostToModelFile(e.data)) {
    // a state that fails the checks (the host fits them first): what is shown stays, and a
    // notice says the update could not be shown, instead of dropping it in silence
    const d = e.data as { type?: unknown } | null;
    if (d?.type === 'state' && !root.querySelector('.mf-refused'))
      root.prepend(el('p', 'sev-error mf-refused', t('refused')));
    return;
  }
  lang = e.data.locale;
  state = e.data.state;
  render();
});
// VS Code switches themes by changing body classes and the --vscode-* variables: the
// histograms are drawn again in the new theme's colours
new MutationObserver(() => {
  forgetCssVars();
  render();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
post({ type: 'ready' });
