/**
 * The Weights card: for each parameter tensor of the layer (kernel, bias, BatchNorm's gamma and
 * statistics…), its histogram with mean, standard deviation and range — trained weights from a
 * file look different from the initializers' uniform or normal spread, and that is the point.
 */
import type { LayerView } from '../../src/shared/protocol';
import type { ParamStats } from '../../src/shared/weightStats';
import { card } from '../dom';
import { fmtInt } from '../format';
import { short, statsBlock } from '../histogram';
import { t } from '../i18n';

export function weightsCard(v: LayerView): HTMLElement | null {
  if (v.weightStats.length === 0) return null;
  const box = card(t('weightsCard'), 'weights-card');
  const words = {
    label: (s: ParamStats) =>
      t('weightsHistogram', { name: s.name, n: fmtInt(s.count), min: short(s.min), max: short(s.max) }),
    moments: (s: ParamStats) => t('weightsMoments', { mean: short(s.mean), std: short(s.std), n: fmtInt(s.count) }),
  };
  for (const s of v.weightStats) box.body.append(statsBlock(s, 220, 48, words));
  return box.root;
}
