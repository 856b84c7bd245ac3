/**
 * Preset kernels for learning — classic 3×3 image filters (src/runtime/presets.ts has the values)
 * a learner can put in place of a filter's own weights to see "a filter detects a feature".
 */
import type { LayerView } from '../../src/shared/protocol';
import { select } from '../dom';
import { post } from '../host';
import { t, type Key } from '../i18n';

export const PRESETS: [string, Key][] = [
  ['identity', 'presetIdentity'],
  ['sobel_x', 'presetSobelX'],
  ['sobel_y', 'presetSobelY'],
  ['laplacian', 'presetLaplacian'],
  ['blur', 'presetBlur'],
  ['sharpen', 'presetSharpen'],
  ['emboss', 'presetEmboss'],
];

/** The preset picker for filter f: a classic 3×3 kernel instead of its own weights (`setPreset`). */
export function presetPicker(v: LayerView, f: number, key: string): HTMLElement {
  const presets = v.weights.kind === 'preset' ? v.weights.presets : [];
  const pick = select(
    t('presetFor', { f }),
    [{ value: '', text: t('ownWeights') }, ...PRESETS.map(([id, k]) => ({ value: id, text: t(k) }))],
    presets[f] ?? '',
    (id) => post({ type: 'setPreset', filter: f, preset: id === '' ? null : id }),
    key,
  );
  pick.classList.add('preset-pick');
  return pick;
}
