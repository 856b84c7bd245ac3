/**
 * Layers that change only the arrangement of values: Flatten (Keras flattens (H, W, C), PyTorch
 * (C, H, W) — memory order of each layout), Keras Reshape (batch excluded), PyTorch view/reshape
 * (batch included; −2 stands for x.size(0)).
 */
import * as E from '../../engine';
import { dimText, isKnown, productDim, type Dim } from '../../shared/dims';
import { otherFramework } from '../conventions';
import {
  NO_PARAMS,
  result,
  stop,
  type InferInput,
  type InferResult,
  type LayerFamily,
  type RunContext,
} from './family';

export type FlattenCfg = { kind: 'flatten'; startDim: number; endDim: number };
export type ReshapeCfg = { kind: 'reshape'; target: number[]; includesBatch: boolean };

function inferFlatten(inp: InferInput, c: FlattenCfg): InferResult {
  const s = inp.shapes[0]!;
  const rank = s.length;
  const start = c.startDim < 0 ? c.startDim + rank : c.startDim;
  const end = c.endDim < 0 ? c.endDim + rank : c.endDim;
  if (start < 0 || end >= rank || start > end) {
    // Keras flattens a (batch,) input to (batch, 1) (Keras 3)
    if (inp.conv.framework === 'keras' && rank === 1) return result({ out: [s[0]!, 1], formula: '0' });
    // PyTorch checks start_dim, then end_dim, then their order
    const [arg, given] = start < 0 || start >= rank ? ['start_dim', c.startDim] : ['end_dim', c.endDim];
    const order = end >= 0 && end < rank && start >= 0 && start < rank;
    return stop({
      severity: 'error',
      code: 'bad-argument',
      arg: order ? 'start_dim' : arg,
      args: {
        layer: inp.label,
        detail: order
          ? 'flatten() has invalid args: start_dim cannot come after end_dim'
          : `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${given})`,
      },
    });
  }
  const out = [...s.slice(0, start), productDim(s.slice(start, end + 1)), ...s.slice(end + 1)];
  return result({ out, formula: '0', rf: start <= 1 ? null : inp.rf });
}

function inferReshape(inp: InferInput, c: ReshapeCfg): InferResult {
  const s = inp.shapes[0]!;
  const perSample = productDim(s.slice(1));
  const target = c.includesBatch ? c.target : [-1, ...c.target];
  // Keras' target leaves out the batch: one -1 of its own is allowed besides the batch's
  const unknown = (c.includesBatch ? target : c.target).filter((d) => d === -1).length;
  const fail = () =>
    stop({
      severity: 'error',
      code: 'reshape-mismatch',
      args: {
        layer: inp.label,
        size: `${dimText(perSample)} (per sample)`,
        // -2 stands for x.size(0): the batch
        target: `(${target.map((d) => (d === -2 ? dimText(s[0]!) : d)).join(', ')})`,
      },
    });
  if (unknown > 1) return fail();
  if (!c.includesBatch) {
    const known = c.target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (!isKnown(perSample))
      return result({
        out: [s[0]!, ...c.target.map((d) => (d === -1 ? { sym: `${perSample.sym}/${known}` } : d))],
        formula: '0',
        rf: inp.rf,
      });
    if (unknown === 0 ? known !== perSample : perSample % known !== 0) return fail();
    return result({
      out: [s[0]!, ...c.target.map((d) => (d === -1 ? perSample / known : d))],
      formula: '0',
      rf: inp.rf,
    });
  }
  // PyTorch view/reshape with the batch axis included: x.view(-1, 400), x.view(x.size(0), -1)
  // (-2 stands for x.size(0)), or explicit sizes.
  const batch = s[0]!;
  const rest = target.slice(1);
  const restUnknown = rest.filter((d) => d === -1).length;
  const restKnown = rest.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (target[0] === -2 || (isKnown(batch) && target[0] === batch)) {
    if (restUnknown === 0) {
      if (isKnown(perSample) && perSample !== restKnown) return fail();
      return result({ out: [batch, ...rest], formula: '0', rf: inp.rf });
    }
    if (isKnown(perSample) && perSample % restKnown !== 0) return fail();
    const fill: Dim = isKnown(perSample)
      ? perSample / restKnown
      : restKnown === 1
        ? perSample
        : { sym: `${perSample.sym}/${restKnown}` };
    return result({ out: [batch, ...rest.map((d) => (d === -1 ? fill : d))], formula: '0', rf: inp.rf });
  }
  // with a known batch, -1 takes its share of every value (below): x.view(6, 20).view(-1, 60) is (2, 60)
  if (target[0] === -1 && restUnknown === 0 && !isKnown(batch)) {
    if (!isKnown(perSample)) return result({ out: [batch, ...rest], formula: '0', rf: inp.rf });
    if (perSample === restKnown) return result({ out: [batch, ...rest], formula: '0', rf: inp.rf });
    if (perSample % restKnown === 0) {
      // every sample becomes several rows: the batch is multiplied
      const m = perSample / restKnown;
      return result({
        out: [{ sym: `${dimText(batch)}*${m}` }, ...rest],
        formula: '0',
        rf: inp.rf,
      });
    }
    return fail();
  }
  const total = productDim(s);
  if (unknown === 0) {
    if (isKnown(total) && total !== target.reduce((a, b) => a * b, 1)) return fail();
    return result({ out: target, formula: '0', rf: inp.rf });
  }
  if (!isKnown(total))
    return result({ out: target.map((d) => (d === -1 ? { sym: '?' } : d)), formula: '0', rf: inp.rf });
  const knownAll = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (total % knownAll !== 0) return fail();
  return result({ out: target.map((d) => (d === -1 ? total / knownAll : d)), formula: '0', rf: inp.rf });
}

function resolveTarget(ctx: RunContext, x: E.Tensor, c: ReshapeCfg): number[] {
  if (!c.includesBatch) {
    const known = c.target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const perSample = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return [x.shape[0]!, ...c.target.map((d) => (d === -1 ? perSample / known : d))];
  }
  if (ctx.outputShape) return [...ctx.outputShape];
  return c.target.map((d, i) => (d === -2 && i === 0 ? x.shape[0]! : d));
}

export const flattenFamily: LayerFamily<FlattenCfg> = {
  kinds: ['flatten'],
  infer: inferFlatten,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    const rank = x!.shape.length;
    const start = c.startDim < 0 ? c.startDim + rank : c.startDim;
    const end = c.endDim < 0 ? c.endDim + rank : c.endDim;
    const merged = x!.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
    return E.reshape(x!, [...x!.shape.slice(0, start), merged, ...x!.shape.slice(end + 1)], ctx.label);
  },
  equivalent: (_c, facts) =>
    otherFramework(facts.conv.framework) === 'pytorch'
      ? 'nn.Flatten()  # PyTorch flattens (C, H, W): channel by channel, not pixel by pixel as Keras (H, W, C)'
      : 'layers.Flatten()  # Keras flattens (H, W, C): all channels of a pixel together, not channel by channel as PyTorch',
  panel: () => ({ kind: 'flatten', row: 'flatten' }),
};

export const reshapeFamily: LayerFamily<ReshapeCfg> = {
  kinds: ['reshape'],
  infer: inferReshape,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.reshape(x!, resolveTarget(ctx, x!, c), ctx.label),
  equivalent: () => null,
  panel: () => ({ kind: 'flatten', row: 'flatten' }),
};

export type Cfg = FlattenCfg | ReshapeCfg;
export const families = [flattenFamily, reshapeFamily];
