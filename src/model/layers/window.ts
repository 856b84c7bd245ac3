/**
 * What convolution and pooling share: padding as written, the output size of every spatial axis
 * (known sizes through the engine's validated geometry records, unknown ones through the symbolic
 * twin of the same formula), rank checks and the receptive field.
 */
import type * as E from '../../engine';
import { EngineError } from '../../engine/errors';
import { axisGeometry, window2dGeometry, type AxisPadding, type Geometry2D } from '../../engine/geometry';
import { dimText, isKnown, shapeText, type Dim, type Shape } from '../../shared/dims';
import { axisOutDim } from '../../shared/window';
import type { InferInput, Issue, ReceptiveField } from './family';

/** Padding as written: a mode, or explicit per-axis [before, after] pairs. */
export type PaddingSpec = 'valid' | 'same' | 'causal' | readonly (readonly [number, number])[];

export function axisPadding(p: PaddingSpec, axis: number): AxisPadding {
  return typeof p === 'string' ? p : (p[axis] ?? [0, 0]);
}

export function paddingText(p: PaddingSpec): string {
  if (typeof p === 'string') return `padding='${p}'`;
  const sym = p.every(([a, b]) => a === b);
  return `padding=${sym ? (p.length === 1 ? String(p[0]![0]) : `(${p.map(([a]) => a).join(', ')})`) : JSON.stringify(p)}`;
}

/** The engine's 2-D padding argument for a non-causal PaddingSpec. */
export function enginePadding(p: PaddingSpec, rank: 1 | 2): E.Padding2D {
  if (p === 'valid' || p === 'same') return p;
  if (p === 'causal') throw new Error('causal padding is computed per axis');
  return rank === 1
    ? [
        [0, 0],
        [p[0]![0], p[0]![1]],
      ]
    : [
        [p[0]![0], p[0]![1]],
        [p[1]![0], p[1]![1]],
      ];
}

export interface WindowArgs {
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: PaddingSpec;
  ceilMode: boolean;
}

/** Output sizes of the spatial axes, and the geometry record when both 2-D sizes are known. */
function tooLarge(inp: InferInput, padding: PaddingSpec, input: string, kernel: string): Issue {
  return {
    severity: 'error',
    code: 'kernel-too-large',
    args: { layer: inp.label, kernel, input, padding: paddingText(padding) },
  };
}

export function windowOutput(
  inp: InferInput,
  spatial: Shape,
  w: WindowArgs,
): { out: Dim[]; geometry: Geometry2D | null } | Issue {
  const { kernel, strides, dilation, padding, ceilMode } = w;
  try {
    if (kernel.length === 2 && isKnown(spatial[0]!) && isKnown(spatial[1]!)) {
      if (padding === 'causal')
        throw new EngineError('bad-argument', `${inp.label}: padding='causal' is only for 1-D convolutions`);
      const g = window2dGeometry(inp.label, {
        inH: spatial[0],
        inW: spatial[1],
        kernel: [kernel[0]!, kernel[1]!],
        strides: [strides[0]!, strides[1]!],
        dilations: [dilation[0]!, dilation[1]!],
        padding: enginePadding(padding, 2),
        ceilMode,
      });
      return { out: [g.outH, g.outW], geometry: g };
    }
    const out: Dim[] = [];
    for (let i = 0; i < kernel.length; i++) {
      const d = spatial[i]!;
      const p = axisPadding(padding, i);
      // known sizes go through the engine's validation (negative pads, zero strides)
      const o = isKnown(d)
        ? axisGeometry(inp.label, {
            inSize: d,
            kernel: kernel[i]!,
            stride: strides[i]!,
            dilation: dilation[i]!,
            padding: p,
            ceilMode,
          }).out
        : axisOutDim(d, kernel[i]!, strides[i]!, dilation[i]!, p, ceilMode);
      if (isKnown(o) && o < 1) return tooLarge(inp, padding, dimText(d), String(kernel[i]));
      out.push(o);
    }
    return { out, geometry: null };
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    if (e.code === 'kernel-too-large') return tooLarge(inp, padding, spatial.map(dimText).join('×'), kernel.join('×'));
    return {
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: e.message.replace(`${inp.label}: `, '') },
    };
  }
}

export function nextRF(
  rf: ReceptiveField | null,
  kernel: number[],
  strides: number[],
  dilation: number[],
): ReceptiveField | null {
  if (!rf) return null;
  return {
    size: rf.size.map((s, i) => s + (kernel[i]! - 1) * dilation[i]! * rf.jump[i]!),
    jump: rf.jump.map((j, i) => j * strides[i]!),
  };
}

/** A rank-`rank` sliding window needs a batched (rank + 2)-D input. */
export function checkRank(inp: InferInput, rank: number): Issue | null {
  const s = inp.shapes[0]!;
  if (s.length === rank + 2) return null;
  return rankIssue(inp, rank, s);
}

export function rankIssue(inp: InferInput, rank: number, s: Shape): Issue {
  return {
    severity: 'error',
    code: 'rank-mismatch',
    args: { layer: inp.label, expected: inp.conv.layoutName(rank), actual: shapeText(s, inp.conv.batchSymbol) },
  };
}
