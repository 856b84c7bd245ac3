/** What a shape rule receives and returns. */
import type { Geometry2D } from '../../engine/geometry';
import type { DiagArgs, DiagCode, Fix, Severity } from '../diagnostics';
import type { Shape } from '../../shared/dims';
import type { Framework, LayerSpec, ReceptiveField } from '../ir';

export interface Issue {
  severity: Severity;
  code: DiagCode;
  args: DiagArgs;
  fix?: Fix;
  /** Put the diagnostic on this argument's value instead of the whole call. */
  arg?: string;
}

export interface InferInput {
  spec: LayerSpec;
  /** Display name for messages: "Conv2D 'conv2d_1'" or "Conv2d 'features.0'". */
  label: string;
  shapes: Shape[];
  rf: ReceptiveField | null;
  /** Source ranges of the constructor's arguments by parameter name, for quick fixes. */
  argRanges: Record<string, { from: number; to: number }>;
}

export interface InferResult {
  /** Including the batch dimension; null when propagation must stop here. */
  out: Shape | null;
  params: number | null;
  trainable: number | null;
  formula: string | null;
  flops: number | null;
  rf: ReceptiveField | null;
  geometry: Geometry2D | null;
  issues: Issue[];
}

export function result(partial: Partial<InferResult> & { out: Shape | null }): InferResult {
  return { params: 0, trainable: 0, formula: null, flops: 0, rf: null, geometry: null, issues: [], ...partial };
}

export function stop(issue: Issue, partial: Partial<InferResult> = {}): InferResult {
  return { params: null, trainable: null, formula: null, flops: null, rf: null, geometry: null, ...partial, out: null, issues: [...(partial.issues ?? []), issue] };
}

export function channelsLast(fw: Framework): boolean {
  return fw === 'keras';
}

/** Splits a batch-first image/sequence shape into (batch, spatial dims, channels) by layout. */
export function splitShape(s: Shape, fw: Framework): { batch: Shape[number]; spatial: Shape; channels: Shape[number] } {
  if (channelsLast(fw)) return { batch: s[0]!, spatial: s.slice(1, -1), channels: s[s.length - 1]! };
  return { batch: s[0]!, spatial: s.slice(2), channels: s[1]! };
}

export function joinShape(batch: Shape[number], spatial: Shape, channels: Shape[number], fw: Framework): Shape {
  return channelsLast(fw) ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

export function layoutName(rank: number, fw: Framework): string {
  if (rank === 2) return fw === 'keras' ? '4-D (batch, height, width, channels)' : '4-D (N, C, H, W)';
  return fw === 'keras' ? '3-D (batch, steps, channels)' : '3-D (N, C, L)';
}

export const MUL = '·';
