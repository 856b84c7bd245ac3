/**
 * The Weights card: for each parameter tensor of the layer (kernel, bias, BatchNorm's gamma and
 * statistics…), its histogram with mean, standard deviation and range — trained weights from a
 * file look different from the initializers' uniform or normal spread, and that is the point.
 */
import type { LayerView } from '../../src/shared/protocol';
import { card, el } from '../dom';
import { fmtInt } from '../format';
import { histogramCanvas, short } from '../histogram';
import { t } from '../i18n';

export function weightsCard(v: LayerView): HTMLElement | null {
  if (v.weightStats.length === 0) return null;
  const box = card(t('weightsCard'), 'weights-card');
  for (const s of v.weightStats) {
    const sec = el('div', 'weights-param');
    sec.append(el('h3', 'mono small', `${s.name} (${s.shape.join(', ')})`));
    sec.append(
      histogramCanvas(
        s,
        220,
        48,
        t('weightsHistogram', { name: s.name, n: fmtInt(s.count), min: short(s.min), max: short(s.max) }),
      ),
    );
    const axis = el('div', 'weights-axis mono muted small');
    axis.append(el('span', '', short(s.min)), el('span', '', short(s.max)));
    sec.append(axis);
    sec.append(
      el(
        'p',
        'mono small',
        t('weightsMoments', { mean: short(s.mean), std: short(s.std), n: fmtInt(s.count) }) +
          (s.nonFinite ? ` · NaN/Inf ${fmtInt(s.nonFinite)}` : ''),
      ),
    );
    box.body.append(sec);
  }
  return box.root;
}
