/**
 * What if…: kernel size, stride, padding and pooling type for the selected layer. Each change
 * asks the host for a preview (`whatIf`, answered with a new state); "Apply to code" asks it to
 * edit the source (`applyWhatIf`), "Back to the code" previews the values written in the code.
 */
import type { LayerView, WhatIf } from '../../src/shared/protocol';
import { button, card, el, segmented, select } from '../dom';
import { paddingKind } from '../geometry';
import { post } from '../host';
import { t } from '../i18n';
import { store } from '../store';

function codeValues(v: LayerView): WhatIf {
  const g = v.geometry!;
  // a sequence (rank 1) slides along its width only
  const a = g.rank === 1 ? 1 : 0;
  const w: WhatIf = { kernel: g.kernel[a], stride: g.strides[a] };
  const padding = paddingKind(g);
  if (padding === 'same' || padding === 'valid') w.padding = padding;
  if (v.poolMode) w.poolMode = v.poolMode;
  return w;
}

function options(values: number[], current: number): { value: number; text: string }[] {
  return [...new Set([...values, current])].sort((a, b) => a - b).map((n) => ({ value: n, text: String(n) }));
}

export function whatIfCard(v: LayerView, rerender: () => void): HTMLElement | null {
  if (!v.geometry || (v.kind !== 'conv' && v.kind !== 'pool')) return null;
  const key = store.layerKey ?? '';
  const draft = store.ui.whatIf?.layerKey === key ? store.ui.whatIf : null;
  const code = draft?.original ?? codeValues(v);
  const shown: WhatIf = { ...codeValues(v), ...draft?.change };
  const change = (w: WhatIf): void => {
    const next = { layerKey: key, original: code, change: { ...draft?.change, ...w } };
    store.ui.whatIf = next;
    post({ type: 'whatIf', change: next.change });
    rerender();
  };
  const box = card(t('whatIf'), 'whatif');
  const fields = el('div', 'fields');
  const pool = v.kind === 'pool';
  fields.append(
    select(
      pool ? t('poolSize') : t('kernelSize'),
      options(pool ? [1, 2, 3, 4] : [1, 3, 5, 7], shown.kernel ?? 3),
      shown.kernel ?? 3,
      (kernel) => change({ kernel }),
      'wi-kernel',
    ),
    select(
      t('stride'),
      options([1, 2, 3, 4], shown.stride ?? 1),
      shown.stride ?? 1,
      (stride) => change({ stride }),
      'wi-stride',
    ),
  );
  const padRow = el('div', 'field');
  padRow.append(
    el('span', 'field-label', t('padding')),
    segmented(
      t('padding'),
      [
        { value: 'valid', text: t('paddingValid') },
        { value: 'same', text: t('paddingSame') },
      ],
      shown.padding ?? null,
      (padding) => change({ padding }),
      'wi-padding',
    ),
  );
  fields.append(padRow);
  if (pool) {
    const modeRow = el('div', 'field');
    modeRow.append(
      el('span', 'field-label', t('poolType')),
      segmented(
        t('poolType'),
        [
          { value: 'max', text: t('poolMax') },
          { value: 'avg', text: t('poolAvg') },
        ],
        shown.poolMode ?? 'max',
        (poolMode) => change({ poolMode }),
        'wi-mode',
      ),
    );
    fields.append(modeRow);
  }
  box.body.append(fields);
  const actions = el('div', 'actions');
  const pending = draft !== null && Object.keys(draft.change).length > 0;
  actions.append(
    button(
      t('applyToCode'),
      () => {
        if (!draft) return;
        post({ type: 'applyWhatIf', change: draft.change });
        store.ui.whatIf = null;
        rerender();
      },
      { cls: 'btn', key: 'wi-apply', disabled: !pending },
    ),
    button(
      t('backToCode'),
      () => {
        store.ui.whatIf = null;
        post({ type: 'whatIf', change: code });
        rerender();
      },
      { cls: 'btn secondary', key: 'wi-back', disabled: !pending },
    ),
  );
  box.body.append(actions);
  if (pending) box.body.append(el('p', 'notice-inline', t('previewNote')));
  return box.root;
}
