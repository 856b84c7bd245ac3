/**
 * The model strip: every layer as a chip in a horizontal pipeline (name, type, output shape),
 * the selected one marked, layers with an error in red with the message as tooltip and ARIA
 * description. A chip selects its layer; its small ↗ button reveals the layer in the source.
 * Left/Right/Home/End move between chips.
 */
import type { LayerRow, ModelState } from '../../src/shared/protocol';
import { button, el } from '../dom';
import { fmtInt } from '../format';
import { post } from '../host';
import { t } from '../i18n';
import { icon } from '../icons';

function chip(row: LayerRow, selected: boolean, hideShape: boolean): HTMLLIElement {
  const li = el('li', `chip kind-${row.kind}${selected ? ' current' : ''}${row.error ? ' has-error' : ''}`);
  const main = el('button', 'chip-main');
  main.type = 'button';
  main.dataset['focusKey'] = `chip-${row.index}`;
  main.dataset['index'] = String(row.index);
  if (selected) main.setAttribute('aria-current', 'step');
  const name = el('span', 'chip-name', row.name);
  const type = el('span', 'chip-type', row.type);
  const shape = el('span', 'chip-shape', hideShape ? '(?)' : row.outputShape);
  main.append(name, type, shape);
  const details = [row.type, hideShape ? '' : row.outputShape, row.params ? t('params', { n: fmtInt(row.params) }) : '']
    .filter(Boolean)
    .join(', ');
  main.setAttribute('aria-label', `${row.name}, ${details}`);
  if (row.error) {
    const msg = t('layerError', { error: row.error });
    main.title = msg;
    main.setAttribute('aria-description', msg);
    main.append(el('span', 'chip-error-mark', '!'));
  } else if (row.params) {
    main.title = t('params', { n: fmtInt(row.params) });
  }
  main.addEventListener('click', () => post({ type: 'selectLayer', index: row.index }));
  const src = button('', () => post({ type: 'revealLayer', index: row.index }), {
    cls: 'chip-src',
    label: t('goToSource', { line: row.line }),
    title: t('goToSource', { line: row.line }),
    key: `src-${row.index}`,
  });
  src.append(icon('source'));
  li.append(main, src);
  return li;
}

export function strip(state: ModelState, hideSelectedShape: boolean): HTMLElement {
  const nav = el('nav', 'strip');
  nav.setAttribute('aria-label', t('stripLabel', { model: state.modelName }));
  const list = el('ol', 'strip-list');
  list.append(
    ...state.layers.map((r) => chip(r, r.index === state.selected, hideSelectedShape && r.index === state.selected)),
  );
  list.addEventListener('keydown', (e) => {
    const chips = [...list.querySelectorAll<HTMLButtonElement>('.chip-main')];
    const i = chips.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const j =
      e.key === 'ArrowRight'
        ? i + 1
        : e.key === 'ArrowLeft'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? chips.length - 1
              : -2;
    if (j === -2) return;
    e.preventDefault();
    chips[Math.max(0, Math.min(chips.length - 1, j))]?.focus();
  });
  nav.append(list);
  return nav;
}

/** Brings the selected chip into view after the strip is in the document. */
export function revealSelected(root: HTMLElement): void {
  root.querySelector('.chip.current')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}
