/**
 * Shape rules of sliding-window layers (convolution, transposed convolution, pooling). Known
 * sizes go through the engine's geometry functions — the one place output sizes are computed —
 * and unknown sizes get the same formula symbolically.
 */
import { axisGeometry, transposeAxisGeometry, window2dGeometry, type AxisGeometry, type AxisPadding, type Geometry2D } from '../../engine/geometry';
import { EngineError } from '../../engine/errors';
import { addDim, ceilDivDim, dimText, floorDivDim, isKnown, mulDim, productDim, shapeText, type Dim, type Shape } from '../../shared/dims';
import type { ConvCfg, PaddingSpec, PoolCfg, ReceptiveField } from '../ir';
import { MUL, joinShape, layoutName, result, splitShape, stop, type InferInput, type InferResult, type Issue } from './types';

function axisPadding(p: PaddingSpec, axis: number): AxisPadding {
  return typeof p === 'string' ? p : p[axis] ?? [0, 0];
}

function paddingText(p: PaddingSpec): string {
  if (typeof p === 'string') return `padding='${p}'`;
  const sym = p.every(([a, b]) => a === b);
  return `padding=${sym ? (p.length === 1 ? String(p[0]![0]) : `(${p.map(([a]) => a).join(', ')})`) : JSON.stringify(p)}`;
}

/** Output size of one axis, symbolic when the input is. Returns null on an engine error. */
function windowAxis(label: string, inDim: Dim, k: number, s: number, d: number, p: AxisPadding, ceil: boolean): { out: Dim; geo: AxisGeometry | null } {
  if (isKnown(inDim)) {
    const g = axisGeometry(label, { inSize: inDim, kernel: k, stride: s, dilation: d, padding: p, ceilMode: ceil });
    return { out: g.out, geo: g };
  }
  const eff = (k - 1) * d + 1;
  if (p === 'same') return { out: ceilDivDim(inDim, 0, s), geo: null };
  const [b, a] = p === 'valid' ? [0, 0] : p === 'causal' ? [eff - 1, 0] : p;
  const c = b + a - eff;
  // floor((X + c) / s) + 1 = floor((X + c + s) / s): keeps texts like (H-2)//2
  return { out: ceil ? ceilDivDim(inDim, c + s, s) : floorDivDim(inDim, c + s, s), geo: null };
}

function windowOutput(inp: InferInput, spatial: Shape, kernel: number[], strides: number[], dilation: number[], padding: PaddingSpec, ceil: boolean): { out: Dim[]; geometry: Geometry2D | null } | Issue {
  const rank = kernel.length;
  try {
    if (rank === 2 && isKnown(spatial[0]!) && isKnown(spatial[1]!)) {
      const pad = typeof padding === 'string' ? padding : ([padding[0]!, padding[1]!] as const);
      if (pad === 'causal') throw new EngineError('bad-argument', `${inp.label}: padding='causal' is only for 1-D convolutions`);
      const g = window2dGeometry(inp.label, { inH: spatial[0], inW: spatial[1], kernel: [kernel[0]!, kernel[1]!], strides: [strides[0]!, strides[1]!], dilations: [dilation[0]!, dilation[1]!], padding: pad, ceilMode: ceil });
      return { out: [g.outH, g.outW], geometry: g };
    }
    const out: Dim[] = [];
    for (let i = 0; i < rank; i++) {
      const r = windowAxis(inp.label, spatial[i]!, kernel[i]!, strides[i]!, dilation[i]!, axisPadding(padding, i), ceil);
      if (isKnown(r.out) && r.out < 1) {
        const g = r.geo!;
        return { severity: 'error', code: 'kernel-too-large', args: { layer: inp.label, kernel: String(kernel[i]), input: dimText(spatial[i]!), padding: paddingText(padding) } } satisfies Issue as Issue & { _g?: typeof g };
      }
      out.push(r.out);
    }
    return { out, geometry: null };
  } catch (e) {
    if (e instanceof EngineError) {
      if (e.code === 'kernel-too-large') {
        return { severity: 'error', code: 'kernel-too-large', args: { layer: inp.label, kernel: kernel.join('×'), input: spatial.map(dimText).join('×'), padding: paddingText(padding) } };
      }
      return { severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail: e.message.replace(`${inp.label}: `, '') } };
    }
    throw e;
  }
}

function nextRF(rf: ReceptiveField | null, kernel: number[], strides: number[], dilation: number[]): ReceptiveField | null {
  if (!rf) return null;
  return {
    size: rf.size.map((s, i) => s + ((kernel[i]! - 1) * dilation[i]! ) * rf.jump[i]!),
    jump: rf.jump.map((j, i) => j * strides[i]!),
  };
}

function checkRank(inp: InferInput, rank: number): Issue | null {
  const s = inp.shapes[0]!;
  if (s.length !== rank + 2) {
    return { severity: 'error', code: 'rank-mismatch', args: { layer: inp.label, expected: layoutName(rank, inp.spec.framework), actual: shapeText(s, inp.spec.framework === 'keras' ? 'None' : 'N') } };
  }
  return null;
}

export function inferConv(inp: InferInput, c: ConvCfg): InferResult {
  const fw = inp.spec.framework;
  const rankIssue = checkRank(inp, c.rank);
  if (rankIssue) return stop(rankIssue);
  const { batch, spatial, channels: cin } = splitShape(inp.shapes[0]!, fw);
  const issues: Issue[] = [];
  const inChannels = c.inChannels ?? (isKnown(cin) ? cin : null);
  if (c.inChannels !== null && isKnown(cin) && cin !== c.inChannels) {
    issues.push({
      severity: 'error', code: 'channel-mismatch', arg: 'in_channels',
      args: { layer: inp.label, expected: c.inChannels, actual: cin, arg: `in_channels=${c.inChannels}` },
      ...(inp.argRanges['in_channels'] ? { fix: { title: { en: `Set in_channels to ${cin}`, ko: `in_channels를 ${cin}(으)로 바꾸기` }, edits: [{ range: inp.argRanges['in_channels'], newText: String(cin) }] } } : {}),
    });
  }
  const groups = c.groups;
  if (inChannels !== null && inChannels % groups !== 0) {
    return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail: `groups=${groups} does not divide the ${inChannels} input channels` } }, { issues });
  }
  if (fw === 'pytorch' && c.padding === 'same' && c.strides.some((s) => s > 1) && !c.transposed) {
    const pads = c.kernel.map((k, i) => Math.floor(((k - 1) * c.dilation[i]!) / 2));
    const suggestion = pads.every((p) => p === pads[0]) ? String(pads[0]) : `(${pads.join(', ')})`;
    const fix = inp.argRanges['padding'] ? { fix: { title: { en: `Use padding=${suggestion}`, ko: `padding=${suggestion}(으)로 바꾸기` }, edits: [{ range: inp.argRanges['padding'], newText: suggestion }] } } : {};
    return stop({ severity: 'error', code: 'same-padding-stride', arg: 'padding', args: { layer: inp.label, stride: c.strides.join('×'), suggestion }, ...fix }, { issues });
  }
  let outSpatial: Dim[];
  let geometry: Geometry2D | null = null;
  if (c.transposed) {
    outSpatial = [];
    for (let i = 0; i < c.rank; i++) {
      const d = spatial[i]!;
      const pad: 'valid' | 'same' | number = typeof c.padding === 'string' ? (c.padding === 'causal' ? 'valid' : c.padding) : c.padding[i]![0];
      const op = c.outputPadding ? c.outputPadding[i] : undefined;
      try {
        if (isKnown(d)) {
          outSpatial.push(transposeAxisGeometry(inp.label, { inSize: d, kernel: c.kernel[i]!, stride: c.strides[i]!, dilation: c.dilation[i]!, padding: pad, ...(op !== undefined ? { outputPadding: op } : {}) }).out);
        } else {
          const eff = (c.kernel[i]! - 1) * c.dilation[i]! + 1;
          const s = c.strides[i]!;
          if (typeof pad === 'number') outSpatial.push(addDim(mulDim(addDim(d, -1), s), eff - 2 * pad + (op ?? 0)));
          else if (op !== undefined) outSpatial.push(addDim(mulDim(addDim(d, -1), s), eff - 2 * (pad === 'same' ? Math.floor(eff / 2) : 0) + op));
          else outSpatial.push(pad === 'same' ? mulDim(d, s) : addDim(mulDim(d, s), Math.max(eff - s, 0)));
        }
      } catch (e) {
        if (e instanceof EngineError) return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail: e.message.replace(`${inp.label}: `, '') } }, { issues });
        throw e;
      }
    }
  } else {
    const w = windowOutput(inp, spatial, c.kernel, c.strides, c.dilation, c.padding, false);
    if ('code' in w) return stop(w, { issues });
    outSpatial = w.out;
    geometry = w.geometry;
  }
  const cout: Dim | null = c.depthwise === 'depthwise' ? (inChannels !== null ? inChannels * c.depthMultiplier : mulDim(cin, c.depthMultiplier)) : c.filters;
  if (cout === null) return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail: 'the number of filters is not known' } }, { issues });
  const kArea = c.kernel.reduce((a, b) => a * b, 1);
  const kText = c.kernel.join(MUL);
  let params: number | null = null;
  let formula: string | null = null;
  let flops: number | null = null;
  const outArea = productDim(outSpatial);
  if (inChannels !== null && isKnown(cout)) {
    const bias = c.useBias ? cout : 0;
    if (c.depthwise === 'depthwise') {
      params = kArea * inChannels * c.depthMultiplier + bias;
      formula = `${kText}${MUL}${inChannels}${MUL}${c.depthMultiplier}${c.useBias ? ` + ${bias}` : ''}`;
      if (isKnown(outArea)) flops = 2 * outArea * cout * kArea;
    } else if (c.depthwise === 'separable') {
      const dw = kArea * inChannels * c.depthMultiplier;
      const pw = inChannels * c.depthMultiplier * cout;
      params = dw + pw + bias;
      formula = `${kText}${MUL}${inChannels}${MUL}${c.depthMultiplier} + ${inChannels * c.depthMultiplier}${MUL}${cout}${c.useBias ? ` + ${bias}` : ''}`;
      if (isKnown(outArea)) flops = 2 * outArea * (inChannels * c.depthMultiplier * kArea + pw);
    } else {
      const perGroup = inChannels / groups;
      params = kArea * perGroup * cout + bias;
      formula = `${kText}${MUL}${groups > 1 ? `(${inChannels}/${groups})` : inChannels}${MUL}${cout}${c.useBias ? ` + ${bias}` : ''}`;
      if (isKnown(outArea)) flops = 2 * outArea * cout * kArea * perGroup;
    }
  }
  const rf = c.transposed ? null : nextRF(inp.rf, c.kernel, c.strides, c.dilation);
  return result({ out: joinShape(batch, outSpatial, cout, inp.spec.framework), params, trainable: params, formula, flops, rf, geometry, issues });
}

export function inferPool(inp: InferInput, c: PoolCfg): InferResult {
  const fw = inp.spec.framework;
  const rankIssue = checkRank(inp, c.rank);
  if (rankIssue) return stop(rankIssue);
  const { batch, spatial, channels } = splitShape(inp.shapes[0]!, fw);
  const issues: Issue[] = [];
  if (fw === 'pytorch' && typeof c.padding !== 'string') {
    for (let i = 0; i < c.rank; i++) {
      const p = c.padding[i]![0];
      if (p > Math.floor(c.pool[i]! / 2)) {
        return stop({ severity: 'error', code: 'pool-padding-too-large', arg: 'padding', args: { layer: inp.label, pad: p, kernel: c.pool[i]! } });
      }
    }
  }
  const w = windowOutput(inp, spatial, c.pool, c.strides, c.dilation, c.padding, c.ceilMode);
  if ('code' in w) return stop(w);
  if (c.padding !== 'same' && !c.ceilMode) {
    const dropped: string[] = [];
    for (let i = 0; i < c.rank; i++) {
      const d = spatial[i]!;
      if (!isKnown(d)) continue;
      const [b] = typeof c.padding === 'string' ? [0] : c.padding[i]!;
      const eff = (c.pool[i]! - 1) * c.dilation[i]! + 1;
      const out = w.out[i]!;
      // real input cells after the last window (padding cells never count)
      const rem = isKnown(out) ? d - ((out - 1) * c.strides[i]! - b + eff) : 0;
      if (rem > 0) dropped.push(c.rank === 1 ? `${rem} step${rem > 1 ? 's' : ''}` : i === 0 ? `${rem} row${rem > 1 ? 's' : ''}` : `${rem} column${rem > 1 ? 's' : ''}`);
    }
    if (dropped.length) {
      issues.push({ severity: 'info', code: 'pool-drops-border', args: { layer: inp.label, window: c.pool.join('×'), stride: c.strides.join('×'), dropped: dropped.join(' and '), input: spatial.map(dimText).join('×') } });
    }
  }
  const outArea = productDim(w.out);
  const flops = isKnown(outArea) && isKnown(channels) ? outArea * channels * c.pool.reduce((a, b) => a * b, 1) : null;
  return result({ out: joinShape(batch, w.out, channels, fw), params: 0, trainable: 0, formula: '0', flops, rf: nextRF(inp.rf, c.pool, c.strides, c.dilation), geometry: w.geometry, issues });
}
