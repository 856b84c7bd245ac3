/**
 * Text and JSON forms of an analysis: the Keras-like summary table and the machine-readable
 * report that `convlens summary --json` prints.
 */
import type { AnalysisResult } from '../analysis/analyze';
import { LineMap } from '../analysis/python/lines';
import { conventions, type Framework } from '../model/conventions';
import { diagnosticMessage, type Locale } from '../model/diagnostics';
import type { ModelGraph } from '../model/ir';
import type { Shape } from '../shared/dims';
import { countText, flopsText, modelFlops, shapeNotation, sourceRange } from './notation';
import { strings } from './strings';

export interface JsonLayer {
  name: string;
  type: string;
  line: number;
  outputShape: (number | string)[] | null;
  params: number | null;
  trainableParams: number | null;
  /** PyTorch buffers (running statistics), not counted in params; 0 for Keras. */
  buffers: number | null;
  flops: number | null;
  functional: boolean;
}

export interface JsonModel {
  name: string;
  framework: Framework;
  kind: ModelGraph['kind'];
  line: number;
  inputShape: (number | string)[] | null;
  inputSource: string;
  layers: JsonLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  buffers: number | null;
  flops: number | null;
}

export interface JsonReport {
  file: string;
  models: JsonModel[];
  diagnostics: {
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: string;
    code: string;
    message: string;
  }[];
}

function dimsOf(shape: Shape | null, dropBatch: boolean): (number | string)[] | null {
  if (!shape) return null;
  return (dropBatch ? shape.slice(1) : shape).map((d) => (typeof d === 'number' ? d : d.sym));
}

export function toJson(file: string, source: string, r: AnalysisResult, locale: Locale = 'en'): JsonReport {
  const lines = new LineMap(source);
  return {
    file,
    models: r.models.map((m) => {
      return {
        name: m.name,
        framework: m.framework,
        kind: m.kind,
        line: lines.position(m.range.from).line,
        inputShape: dimsOf(m.inputShape, false),
        inputSource: `${m.inputSource.kind}: ${m.inputSource.detail}`,
        layers: m.layers.map((l) => ({
          name: l.name,
          type: l.spec.type,
          line: lines.position(sourceRange(l).from).line,
          outputShape: dimsOf(l.outputShape, true),
          params: l.params,
          trainableParams: l.trainableParams,
          buffers: l.buffers,
          flops: l.flops,
          functional: l.spec.functional,
        })),
        totalParams: m.totalParams,
        trainableParams: m.trainableParams,
        buffers: m.buffers,
        flops: modelFlops(m),
      };
    }),
    diagnostics: r.diagnostics.map((d) => {
      const a = lines.position(d.range.from);
      const b = lines.position(d.range.to);
      return {
        line: a.line,
        column: a.column,
        endLine: b.line,
        endColumn: b.column,
        severity: d.severity,
        code: d.code,
        message: diagnosticMessage(d, locale),
      };
    }),
  };
}

const KIND_TEXT: Record<ModelGraph['kind'], string> = {
  sequential: 'Sequential',
  functional: 'functional',
  subclass: 'subclassed Model',
  module: 'nn.Module',
};

export function summaryText(file: string, source: string, r: AnalysisResult, locale: Locale = 'en'): string {
  const lines = new LineMap(source);
  const out: string[] = [];
  if (r.models.length === 0)
    out.push(
      locale === 'ko'
        ? `${file}: 모델을 찾지 못했습니다 (케라스나 파이토치 모델 정의가 없습니다)`
        : `${file}: no models found (no Keras or PyTorch model definitions)`,
    );
  for (const m of r.models) {
    const fwName = conventions(m.framework).displayName;
    out.push(`Model: "${m.name}" (${fwName} ${KIND_TEXT[m.kind]}) — ${file}:${lines.position(m.range.from).line}`);
    const inShape = m.inputShape ? shapeNotation([{ sym: 'N' }, ...m.inputShape], m.framework) : '?';
    out.push(`Input: ${inShape}, from ${m.inputSource.detail}`);
    const rows = m.layers.map((l) => [
      `${l.name} (${l.spec.type})`,
      shapeNotation(l.outputShape, m.framework),
      l.spec.functional ? '' : countText(l.params),
      String(lines.position(sourceRange(l).from).line),
    ]);
    const head = ['Layer (type)', 'Output Shape', 'Param #', 'Line'];
    const w = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
    const cell = (s: string, i: number) => (i >= 2 ? s.padStart(w[i]!) : s.padEnd(w[i]!));
    const bar = (l: string, m_: string, r_: string, c: string) => l + w.map((x) => c.repeat(x + 2)).join(m_) + r_;
    out.push(bar('┏', '┳', '┓', '━'));
    out.push('┃ ' + head.map(cell).join(' ┃ ') + ' ┃');
    out.push(bar('┡', '╇', '┩', '━'));
    for (const row of rows) out.push('│ ' + row.map(cell).join(' │ ') + ' │');
    out.push(bar('└', '┴', '┘', '─'));
    const nonTrainable =
      m.totalParams !== null && m.trainableParams !== null ? m.totalParams - m.trainableParams : null;
    const flops = modelFlops(m);
    out.push(` Total params: ${countText(m.totalParams)}`);
    out.push(` Trainable params: ${countText(m.trainableParams)}`);
    out.push(` Non-trainable params: ${countText(nonTrainable)}`);
    if (m.buffers !== 0 && !conventions(m.framework).statisticsAreParams)
      out.push(` ${strings(locale).buffersFooter(countText(m.buffers))}`);
    out.push(` FLOPs (a multiply-add counts 2): ${flops === null ? '?' : flopsText(flops)}`);
    out.push('');
  }
  for (const d of r.diagnostics) {
    const p = lines.position(d.range.from);
    out.push(`${file}:${p.line}:${p.column}: ${d.severity}: ${diagnosticMessage(d, locale)} [${d.code}]`);
  }
  return out.join('\n').replace(/\n+$/, '');
}
