/** Shape inference for one layer: dispatch on the layer kind. */
import { inferConv, inferPool } from './window';
import {
  inferAdaptivePool, inferBatchNorm, inferDense, inferFlatten, inferGlobalPool, inferLayerNorm, inferMerge,
  inferReshape, inferUpsample, inferZeroPad, passThrough,
} from './other';
import { stop, type InferInput, type InferResult } from './types';

export function inferLayer(inp: InferInput): InferResult {
  const cfg = inp.spec.cfg;
  switch (cfg.kind) {
    case 'conv': return inferConv(inp, cfg.c);
    case 'pool': return inferPool(inp, cfg.c);
    case 'dense': return inferDense(inp, cfg);
    case 'flatten': return inferFlatten(inp, cfg);
    case 'reshape': return inferReshape(inp, cfg);
    case 'batchNorm': return inferBatchNorm(inp, cfg);
    case 'layerNorm': return inferLayerNorm(inp, cfg);
    case 'zeroPad': return inferZeroPad(inp, cfg);
    case 'upsample': return inferUpsample(inp, cfg);
    case 'globalPool': return inferGlobalPool(inp, cfg);
    case 'adaptivePool': return inferAdaptivePool(inp, cfg);
    case 'merge': return inferMerge(inp, cfg);
    case 'activation':
    case 'dropout':
    case 'identity':
    case 'input':
      return passThrough(inp);
    case 'unknown':
      return /is not modelled$/.test(cfg.reason)
        ? stop({ severity: 'info', code: 'unknown-layer', args: { layer: inp.label, type: inp.spec.type } })
        : stop({ severity: 'info', code: 'unreadable-layer', args: { layer: inp.label, reason: cfg.reason } });
  }
}

export type { InferInput, InferResult, Issue } from './types';
