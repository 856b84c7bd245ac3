/**
 * Learn: "predict the output shape" — the learner types H and W before seeing the output, then
 * the answer is revealed with the formula ((in + pads − dilated kernel) / stride + 1, or
 * ⌈in / stride⌉ for 'same'); optionally the outputs stay hidden until then. Below, the same
 * layer in the other framework, with the layout difference that trips people up.
 */
import type { LayerView } from '../../src/shared/protocol';
import { button, card, checkbox, el } from '../dom';
import { dims } from '../format';
import { axisFormula } from '../geometry';
import { persistSoon, post } from '../host';
import { t } from '../i18n';
import { store } from '../store';
import { paddingText } from './labels';

function numberField(label: string, key: string, value: number | null): HTMLLabelElement {
  const wrap = el('label', 'field');
  wrap.append(el('span', 'field-label', label));
  const input = el('input', 'input');
  input.type = 'number';
  input.min = '0';
  input.inputMode = 'numeric';
  input.dataset['focusKey'] = key;
  input.name = key;
  if (value !== null) input.value = String(value);
  wrap.append(input);
  return wrap;
}

function predict(v: LayerView, rerender: () => void): HTMLElement {
  const g = v.geometry!;
  const key = store.layerKey ?? '';
  const answer = store.ui.answers[key] ?? null;
  const box = el('div', 'predict');
  box.append(el('h3', 'compare-title', t('predictTitle')));
  // a 1-D layer (a sequence): one length to predict, no height
  const seq = g.rank === 1;
  const pads = g.pads.some((p) => p > 0)
    ? `, ${seq ? t('padsText1d', { l: g.pads[2], r: g.pads[3] }) : t('padsText', { t: g.pads[0], b: g.pads[1], l: g.pads[2], r: g.pads[3] })}`
    : '';
  const size = (a: number, b: number) => (seq ? String(b) : dims(a, b));
  const givens = `${t('input')} ${size(g.inH, g.inW)}, ${t('kernel')} ${size(g.kernel[0], g.kernel[1])}, ${t('stride')} ${seq ? g.strides[1] : g.strides.join('×')}, ${t('padding')} ${paddingText(g)}${pads}`;
  box.append(el('p', 'muted small', t(seq ? 'predictHint1d' : 'predictHint')), el('p', 'givens', givens));
  const form = el('form', 'predict-form');
  const h = seq ? null : numberField(t('height'), 'predict-h', answer?.h ?? null);
  const w = numberField(t(seq ? 'length' : 'width'), 'predict-w', answer?.w ?? null);
  form.append(
    ...(h ? [h, el('span', 'times', '×')] : []),
    w,
    button(t('check'), () => form.requestSubmit(), { cls: 'btn', key: 'predict-check' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const hText = h ? h.querySelector('input')!.value : '1';
    const wText = w.querySelector('input')!.value;
    const hv = Number(hText);
    const wv = Number(wText);
    if (!Number.isFinite(hv) || !Number.isFinite(wv) || hText === '' || wText === '') return;
    store.ui.answers[key] = { h: hv, w: wv };
    persistSoon();
    rerender();
  });
  box.append(form);
  if (answer) {
    const right = answer.h === g.outH && answer.w === g.outW;
    const result = el('div', `predict-result ${right ? 'ok' : 'bad'}`);
    result.setAttribute('role', 'status');
    result.dataset['right'] = String(right);
    const wrong = seq ? t('wrong1d', { w: g.outW }) : t('wrong', { h: g.outH, w: g.outW });
    result.append(el('strong', '', right ? `✓ ${t('right')}` : `✗ ${wrong}`));
    const fw = axisFormula(g, 'w');
    const formula = el('div', 'formula');
    if (seq) formula.append(el('code', '', `L = ${fw.text}`));
    else formula.append(el('code', '', `H = ${axisFormula(g, 'h').text}`), el('code', '', `W = ${fw.text}`));
    result.append(formula);
    box.append(result);
  }
  box.append(
    checkbox(
      t('hideUntil'),
      store.ui.quiz,
      (on) => {
        store.ui.quiz = on;
        persistSoon();
        rerender();
      },
      'quiz',
    ),
  );
  return box;
}

function equivalent(v: LayerView): HTMLElement | null {
  if (!v.equivalent) return null;
  const box = el('div', 'equivalent');
  box.append(el('h3', 'compare-title', t('equivalentIn', { fw: v.framework === 'keras' ? 'PyTorch' : 'Keras' })));
  const pre = el('pre', 'code');
  pre.append(el('code', '', v.equivalent));
  box.append(pre, el('p', 'muted small', t('layoutKerasToTorch')));
  return box;
}

export function learnCard(v: LayerView, rerender: () => void): HTMLElement | null {
  const parts = [
    v.geometry && (v.kind === 'conv' || v.kind === 'pool') ? predict(v, rerender) : null,
    equivalent(v),
  ].filter((x): x is HTMLElement => x !== null);
  if (parts.length === 0) return null;
  const box = card(t('learn'), 'learn');
  box.body.append(...parts);
  return box.root;
}

/** Outputs stay hidden while the learner has not predicted this layer's shape. */
export function outputHidden(v: LayerView | null): boolean {
  return (
    !!v &&
    store.ui.quiz &&
    !!v.geometry &&
    (v.kind === 'conv' || v.kind === 'pool') &&
    !store.ui.answers[store.layerKey ?? '']
  );
}

/** The layer whose hidden output the host was last told of (by layer key). */
let told: { key: string; index: number; name: string } | null = null;

/**
 * Tells the host when the shown layer's output becomes hidden, and when it is shown again (the
 * shape was predicted, or the exercise turned off), so the editor hides that layer's inline hint
 * and hover too.
 */
export function reportHidden(v: LayerView | null): void {
  const key = store.layerKey;
  if (!v || key === null) return;
  if (outputHidden(v)) {
    if (told?.key === key) return;
    told = { key, index: v.index, name: v.name };
    post({ type: 'outputHidden', index: v.index, name: v.name, hidden: true });
  } else if (told && (told.key === key || !store.ui.quiz)) {
    post({ type: 'outputHidden', index: told.index, name: told.name, hidden: false });
    told = null;
  }
}
