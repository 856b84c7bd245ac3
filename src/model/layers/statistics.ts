/**
 * Running statistics and how normalization layers count their tensors: γ, β are parameters; the
 * running mean and variance are non-trainable parameters in Keras (model.summary()) and buffers
 * in PyTorch (outside model.parameters()), as conventions.statisticsAreParams says.
 */
import type { Conventions } from '../conventions';
import type { LayerFacts, ParamSpec } from './family';

export function statistics(n: number, names: LayerFacts['conv']['paramName']): ParamSpec[] {
  return [
    { name: names.mean, shape: [n], role: 'mean', trainable: false, statistic: true },
    { name: names.variance, shape: [n], role: 'variance', trainable: false, statistic: true },
  ];
}

/** The counts of a normalization's tensors: parameters and buffers, by the framework's rule. */
export function normCounts(
  specs: readonly ParamSpec[],
  conv: Conventions,
): { params: number; trainable: number; buffers: number } {
  const size = (p: ParamSpec) => p.shape.reduce((a, b) => a * b, 1);
  let params = 0;
  let trainable = 0;
  let buffers = 0;
  for (const p of specs) {
    if (p.statistic && !conv.statisticsAreParams) buffers += size(p);
    else params += size(p);
    if (p.trainable) trainable += size(p);
  }
  return { params, trainable, buffers };
}
