/**
 * The top bar: model name, framework, input, the "which weights" badge (always visible: random
 * untrained weights with their seed, a weight file, or preset kernels) and Export PNG.
 */
import type { ModelState, WeightsInfo } from '../../src/shared/protocol';
import { button, el } from '../dom';
import { post } from '../host';
import { t } from '../i18n';

function weightsBadge(w: WeightsInfo | null): HTMLElement {
  const b = el('span', `badge weights weights-${w?.kind ?? 'none'}`);
  if (!w) return b;
  b.textContent =
    w.kind === 'random'
      ? t('weightsRandom', { seed: w.seed })
      : w.kind === 'file'
        ? t('weightsFile', { file: w.file })
        : t('weightsPreset');
  if (w.kind === 'random') b.title = t('weightsRandomHint');
  b.setAttribute('role', 'status');
  return b;
}

export function topbar(state: ModelState, weights: WeightsInfo | null): HTMLElement {
  const bar = el('header', 'topbar');
  const title = el('div', 'topbar-title');
  title.append(
    el('h1', 'model-name', state.modelName),
    el('span', 'badge framework', state.fileFormat ?? (state.framework === 'keras' ? 'Keras' : 'PyTorch')),
    el('span', 'input-name', t('inputName', { name: state.inputName })),
  );
  const actions = el('div', 'topbar-actions');
  actions.append(
    weightsBadge(weights),
    button(t('exportPng'), () => post({ type: 'exportPng' }), { cls: 'btn secondary', key: 'export' }),
  );
  bar.append(title, actions);
  return bar;
}
