/**
 * Shape rules of the layers without sliding windows: dense, flatten, reshape, normalization,
 * activations, dropout, padding, upsampling, merges, adaptive and global pooling.
 */
import { addDim, dimText, isKnown, mulDim, productDim, sameDim, shapeText, type Dim } from '../../shared/dims';
import type { Framework, LayerCfg } from '../ir';
import { MUL, joinShape, layoutName, result, splitShape, stop, type InferInput, type InferResult } from './types';

type Cfg<K extends LayerCfg['kind']> = Extract<LayerCfg, { kind: K }>;

const GLOBAL_RF = null;

function batchText(fw: Framework): string {
  return fw === 'keras' ? 'None' : 'N';
}

export function inferDense(inp: InferInput, c: Cfg<'dense'>): InferResult {
  const s = inp.shapes[0]!;
  const fw = inp.spec.framework;
  if (s.length < 2) return stop({ severity: 'error', code: 'rank-mismatch', args: { layer: inp.label, expected: 'a batched', actual: shapeText(s) } });
  const last = s[s.length - 1]!;
  const issues: InferResult['issues'] = [];
  const inF = c.inFeatures ?? (isKnown(last) ? last : null);
  if (c.inFeatures !== null && isKnown(last) && last !== c.inFeatures) {
    const detail = s.length > 2 ? `it acts on the last axis of ${shapeText(s, batchText(fw))}` : '';
    issues.push({
      severity: 'error', code: 'in-features-mismatch', arg: 'in_features',
      args: { layer: inp.label, arg: 'in_features', expected: c.inFeatures, actual: last, detail },
      ...(inp.argRanges['in_features'] ? { fix: { title: { en: `Set in_features to ${last}`, ko: `in_features를 ${last}(으)로 바꾸기` }, edits: [{ range: inp.argRanges['in_features'], newText: String(last) }] } } : {}),
    });
  }
  if (c.units === null) return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail: 'the number of units is not known' } }, { issues });
  const out = [...s.slice(0, -1), c.units];
  let params: number | null = null;
  let formula: string | null = null;
  let flops: number | null = null;
  if (inF !== null) {
    params = inF * c.units + (c.useBias ? c.units : 0);
    formula = `${inF}${MUL}${c.units}${c.useBias ? ` + ${c.units}` : ''}`;
    const rows = productDim(s.slice(1, -1));
    if (isKnown(rows)) flops = 2 * rows * inF * c.units;
  }
  return result({ out, params, trainable: params, formula, flops, rf: GLOBAL_RF, issues });
}

export function inferFlatten(inp: InferInput, c: Cfg<'flatten'>): InferResult {
  const s = inp.shapes[0]!;
  const rank = s.length;
  const start = c.startDim < 0 ? c.startDim + rank : c.startDim;
  const end = c.endDim < 0 ? c.endDim + rank : c.endDim;
  if (start < 0 || end >= rank || start > end) return result({ out: s, formula: '0' });
  const out = [...s.slice(0, start), productDim(s.slice(start, end + 1)), ...s.slice(end + 1)];
  return result({ out, formula: '0', rf: start <= 1 ? GLOBAL_RF : inp.rf });
}

export function inferReshape(inp: InferInput, c: Cfg<'reshape'>): InferResult {
  const s = inp.shapes[0]!;
  const perSample = productDim(s.slice(1));
  const target = c.includesBatch ? c.target : [-1, ...c.target];
  const unknown = target.filter((d) => d === -1).length;
  const fail = () => stop({ severity: 'error', code: 'reshape-mismatch', args: { layer: inp.label, size: `${dimText(perSample)} (per sample)`, target: `(${target.join(', ')})` } });
  if (unknown > 1) return fail();
  if (!c.includesBatch) {
    const known = c.target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (!isKnown(perSample)) return result({ out: [s[0]!, ...c.target.map((d) => (d === -1 ? { sym: `${perSample.sym}/${known}` } : d))], formula: '0', rf: inp.rf });
    if (unknown === 0 ? known !== perSample : perSample % known !== 0) return fail();
    return result({ out: [s[0]!, ...c.target.map((d) => (d === -1 ? perSample / known : d))], formula: '0', rf: inp.rf });
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
    const fill: Dim = isKnown(perSample) ? perSample / restKnown : restKnown === 1 ? perSample : { sym: `${perSample.sym}/${restKnown}` };
    return result({ out: [batch, ...rest.map((d) => (d === -1 ? fill : d))], formula: '0', rf: inp.rf });
  }
  if (target[0] === -1 && restUnknown === 0) {
    if (!isKnown(perSample)) return result({ out: [batch, ...rest], formula: '0', rf: inp.rf });
    if (perSample === restKnown) return result({ out: [batch, ...rest], formula: '0', rf: inp.rf });
    if (perSample % restKnown === 0) {
      // every sample becomes several rows: the batch is multiplied
      const m = perSample / restKnown;
      return result({ out: [isKnown(batch) ? batch * m : { sym: `${dimText(batch)}*${m}` }, ...rest], formula: '0', rf: inp.rf });
    }
    return fail();
  }
  const total = productDim(s);
  if (unknown === 0) {
    if (isKnown(total) && total !== target.reduce((a, b) => a * b, 1)) return fail();
    return result({ out: target, formula: '0', rf: inp.rf });
  }
  if (!isKnown(total)) return result({ out: target.map((d) => (d === -1 ? { sym: '?' } : d)), formula: '0', rf: inp.rf });
  const knownAll = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (total % knownAll !== 0) return fail();
  return result({ out: target.map((d) => (d === -1 ? total / knownAll : d)), formula: '0', rf: inp.rf });
}

export function inferBatchNorm(inp: InferInput, c: Cfg<'batchNorm'>): InferResult {
  const s = inp.shapes[0]!;
  const fw = inp.spec.framework;
  const ch = fw === 'keras' ? s[s.length - 1]! : s[1]!;
  const issues: InferResult['issues'] = [];
  if (c.numFeatures !== null && isKnown(ch) && ch !== c.numFeatures) {
    issues.push({
      severity: 'error', code: 'channel-mismatch', arg: 'num_features',
      args: { layer: inp.label, expected: c.numFeatures, actual: ch, arg: `num_features=${c.numFeatures}` },
      ...(inp.argRanges['num_features'] ? { fix: { title: { en: `Set num_features to ${ch}`, ko: `num_features를 ${ch}(으)로 바꾸기` }, edits: [{ range: inp.argRanges['num_features'], newText: String(ch) }] } } : {}),
    });
  }
  const n = c.numFeatures ?? (isKnown(ch) ? ch : null);
  if (n === null) return result({ out: s, params: null, trainable: null, rf: inp.rf, issues });
  const affine = c.affine ? 2 * n : 0;
  const stats = c.trackStats ? 2 * n : 0;
  const parts = [c.affine ? `2${MUL}${n} (γ, β)` : '', c.trackStats ? `2${MUL}${n} (${fw === 'keras' ? 'moving mean, variance' : 'running mean, var'})` : ''].filter(Boolean);
  return result({ out: s, params: affine + stats, trainable: affine, formula: parts.join(' + ') || '0', flops: 0, rf: inp.rf, issues });
}

export function inferLayerNorm(inp: InferInput, c: Cfg<'layerNorm'>): InferResult {
  const s = inp.shapes[0]!;
  const n = c.normalizedShape ? c.normalizedShape.reduce((a, b) => a * b, 1) : (() => { const d = s[s.length - 1]!; return isKnown(d) ? d : null; })();
  const params = n === null ? null : c.affine ? 2 * n : 0;
  return result({ out: s, params, trainable: params, formula: params === null ? null : c.affine ? `2${MUL}${n}` : '0', rf: inp.rf });
}

export function inferZeroPad(inp: InferInput, c: Cfg<'zeroPad'>): InferResult {
  const s = inp.shapes[0]!;
  const fw = inp.spec.framework;
  if (s.length !== 4) return stop({ severity: 'error', code: 'rank-mismatch', args: { layer: inp.label, expected: layoutName(2, fw), actual: shapeText(s, batchText(fw)) } });
  const { batch, spatial, channels } = splitShape(s, fw);
  const [[t, b], [l, r]] = c.pads;
  return result({ out: joinShape(batch, [addDim(spatial[0]!, t + b), addDim(spatial[1]!, l + r)], channels, fw), formula: '0', rf: inp.rf });
}

export function inferUpsample(inp: InferInput, c: Cfg<'upsample'>): InferResult {
  const s = inp.shapes[0]!;
  const fw = inp.spec.framework;
  if (s.length !== 4) return stop({ severity: 'error', code: 'rank-mismatch', args: { layer: inp.label, expected: layoutName(2, fw), actual: shapeText(s, batchText(fw)) } });
  const { batch, spatial, channels } = splitShape(s, fw);
  let out: Dim[];
  if (c.size) out = [c.size[0]!, c.size[1] ?? c.size[0]!];
  else {
    const sc = c.scale ?? [2, 2];
    out = spatial.map((d, i) => (isKnown(d) ? Math.floor(d * sc[i]!) : mulDim(d, sc[i]!)));
  }
  const rf = inp.rf && c.scale ? { size: inp.rf.size, jump: inp.rf.jump.map((j, i) => j / c.scale![i]!) } : null;
  return result({ out: joinShape(batch, out, channels, fw), formula: '0', rf });
}

export function inferGlobalPool(inp: InferInput, c: Cfg<'globalPool'>): InferResult {
  const s = inp.shapes[0]!;
  const fw = inp.spec.framework;
  if (s.length !== c.rank + 2) return stop({ severity: 'error', code: 'rank-mismatch', args: { layer: inp.label, expected: layoutName(c.rank, fw), actual: shapeText(s, batchText(fw)) } });
  const { batch, channels } = splitShape(s, fw);
  const out = c.keepdims ? joinShape(batch, new Array<Dim>(c.rank).fill(1), channels, fw) : [batch, channels];
  return result({ out, formula: '0', rf: GLOBAL_RF });
}

export function inferAdaptivePool(inp: InferInput, c: Cfg<'adaptivePool'>): InferResult {
  const s = inp.shapes[0]!;
  const fw = inp.spec.framework;
  const rank = c.out.length;
  if (s.length !== rank + 2 && s.length !== rank + 1) return stop({ severity: 'error', code: 'rank-mismatch', args: { layer: inp.label, expected: layoutName(rank === 1 ? 1 : 2, fw), actual: shapeText(s, batchText(fw)) } });
  const { batch, spatial, channels } = splitShape(s, fw);
  const out = c.out.map((d, i) => d ?? spatial[i]!);
  return result({ out: joinShape(batch, out, channels, fw), formula: '0', rf: GLOBAL_RF });
}

export function inferMerge(inp: InferInput, c: Cfg<'merge'>): InferResult {
  const shapes = inp.shapes;
  const first = shapes[0]!;
  const fw = inp.spec.framework;
  const b = batchText(fw);
  const rank = first.length;
  const axis = c.axis < 0 ? c.axis + rank : c.axis;
  for (const s of shapes.slice(1)) {
    const bad = s.length !== rank || s.some((d, i) => i !== 0 && (c.op !== 'concat' || i !== axis) && !sameDim(d, first[i]!) && isKnown(d) && isKnown(first[i]!));
    if (bad) {
      return stop({ severity: 'error', code: 'merge-mismatch', args: { layer: inp.label, op: c.op === 'concat' ? 'concatenate' : c.op, a: shapeText(first, b), b: shapeText(s, b) } });
    }
  }
  if (c.op !== 'concat') return result({ out: first, formula: '0', rf: inp.rf });
  const out = [...first];
  const sizes = shapes.map((s) => s[axis]!);
  out[axis] = sizes.every(isKnown) ? sizes.reduce((a, d) => a + d, 0) : { sym: sizes.map(dimText).join('+') };
  return result({ out, formula: '0', rf: inp.rf });
}

export function passThrough(inp: InferInput): InferResult {
  return result({ out: inp.shapes[0]!, formula: '0', rf: inp.rf });
}
