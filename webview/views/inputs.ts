/**
 * The input card: bundled samples, a workspace image, any file, drag and drop, the drawing pad,
 * and the preprocessing steps the host applied (decode, gray/RGB, resize, scale, layout).
 */
import { button, card, el } from '../dom';
import { post } from '../host';
import { t } from '../i18n';
import { store } from '../store';
import { drawPad } from './drawpad';

/** The pad and its drawing survive re-renders (a state may arrive mid-stroke). */
let pad: { el: HTMLDetailsElement; locale: string } | null = null;

function padSection(open: boolean): HTMLDetailsElement {
  if (pad && pad.locale === store.settings.locale) return pad.el;
  const details = el('details', 'draw-details');
  details.open = open;
  details.append(el('summary', '', t('drawDigit')), drawPad());
  pad = { el: details, locale: store.settings.locale };
  return details;
}

export function inputsCard(inputName: string | null, preprocessing: string[], looksLikeDigits: boolean): HTMLElement {
  const box = card(t('inputs'), 'inputs');
  if (inputName) box.head.append(el('span', 'muted small input-current', inputName));
  if (store.samples.length > 0) {
    const samples = el('div', 'samples');
    samples.setAttribute('role', 'group');
    samples.setAttribute('aria-label', t('samples'));
    samples.append(
      ...store.samples.map((s) => {
        const b = button(s.label, () => post({ type: 'chooseInput', source: 'sample', id: s.id }), {
          cls: 'btn chip-btn',
          key: `sample-${s.id}`,
        });
        if (s.label === inputName) b.setAttribute('aria-current', 'true');
        return b;
      }),
    );
    box.body.append(el('div', 'field-label', t('samples')), samples);
  }
  const files = el('div', 'actions');
  files.append(
    button(t('workspaceImage'), () => post({ type: 'chooseInput', source: 'workspace' }), {
      cls: 'btn secondary',
      key: 'in-workspace',
    }),
    button(t('openFile'), () => post({ type: 'chooseInput', source: 'file' }), {
      cls: 'btn secondary',
      key: 'in-file',
    }),
  );
  box.body.append(files, el('p', 'muted small', t('dropHere')));
  box.body.append(padSection(looksLikeDigits));
  if (preprocessing.length > 0) {
    const list = el('ol', 'steps');
    list.append(...preprocessing.map((s) => el('li', '', s)));
    box.body.append(el('h3', 'compare-title', t('preprocessing')), list);
  }
  return box.root;
}
