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
import { printable } from '../shared/text';
import { countText, flopsText, modelFlops, shapeNotation, sourceRange } from './notation';
import { strings } from './strings';

export interface JsonLayer {
  name: string;
  type: string;
  /** Null for a model read from a model file (no source lines). */
  line: number | null;
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
  line: number | null;
  /** Set for a model read from a model file: 'keras-zip', 'keras-legacy-h5' or 'onnx'. */
  fileFormat?: string;
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
    line: number | null;
    column: number | null;
    endLine: number | null;
    endColumn: number | null;
    /** In a model file: the layer or node the diagnostic is about. */
    node?: string;
    severity: string;
    code: string;
    message: string;
  }[];
}

function dimsOf(shape: Shape | null, dropBatch: boolean): (number | string)[] | null {
  if (!shape) return null;
  return (dropBatch ? shape.slice(1) : shape).map((d) => (typeof d === 'number' ? d : d.sym));
}

/** Source positions, or none for a model file (source null). */
function positions(source: string | null): (offset: number) => { line: number; column: number } | null {
  if (source === null) return () => null;
  const lines = new LineMap(source);
  return (offset) => lines.position(offset);
}

/** The JSON report of a file; `source` is null for a model file (.keras, .h5, .onnx). */
export function toJson(file: string, source: string | null, r: AnalysisResult, locale: Locale = 'en'): JsonReport {
  const at = positions(source);
  return {
    file,
    models: r.models.map((m) => {
      return {
        name: m.name,
        framework: m.framework,
        kind: m.kind,
        line: at(m.range.from)?.line ?? null,
        ...(m.fileFormat ? { fileFormat: m.fileFormat } : {}),
        inputShape: dimsOf(m.inputShape, false),
        inputSource: `${m.inputSource.kind}: ${m.inputSource.detail}`,
        layers: m.layers.map((l) => ({
          name: l.name,
          type: l.spec.type,
          line: at(sourceRange(l).from)?.line ?? null,
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
      const a = at(d.range.from);
      const b = at(d.range.to);
      return {
        line: a?.line ?? null,
        column: a?.column ?? null,
        endLine: b?.line ?? null,
        endColumn: b?.column ?? null,
        ...(d.node !== undefined ? { node: d.node } : {}),
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

const FILE_FORMAT_TEXT: Record<NonNullable<ModelGraph['fileFormat']>, string> = {
  'keras-zip': 'Keras model file',
  'keras-legacy-h5': 'Keras HDF5 model file',
  onnx: 'ONNX graph',
};

/** Messages and paths are longer than names; still one bounded line. */
const LONG = 2000;

/** The summary table of a file; `source` is null for a model file, whose rows have no line. */
export function summaryText(file: string, source: string | null, r: AnalysisResult, locale: Locale = 'en'): string {
  const at = positions(source);
  const out: string[] = [];
  if (r.models.length === 0)
    out.push(
      locale === 'ko'
        ? `${printable(file, LONG)}: 모델을 찾지 못했습니다 (케라스나 파이토치 모델 정의가 없습니다)`
        : `${printable(file, LONG)}: no models found (no Keras or PyTorch model definitions)`,
    );
  for (const m of r.models) {
    const fwName = conventions(m.framework).displayName;
    const what = m.fileFormat ? FILE_FORMAT_TEXT[m.fileFormat] : `${fwName} ${KIND_TEXT[m.kind]}`;
    const line = at(m.range.from)?.line;
    out.push(
      `Model: "${printable(m.name)}" (${what}) — ${printable(file, LONG)}${line === undefined ? '' : `:${line}`}`,
    );
    const inShape = m.inputShape ? shapeNotation([{ sym: 'N' }, ...m.inputShape], m.framework) : '?';
    out.push(`Input: ${printable(inShape)}, from ${printable(m.inputSource.detail, LONG)}`);
    const withLines = source !== null;
    const rows = m.layers.map((l) => [
      `${printable(l.name)} (${printable(l.spec.type)})`,
      printable(shapeNotation(l.outputShape, m.framework)),
      l.spec.functional && !m.fileFormat ? '' : countText(l.params),
      ...(withLines ? [String(at(sourceRange(l).from)?.line ?? '')] : []),
    ]);
    const head = ['Layer (type)', 'Output Shape', 'Param #', ...(withLines ? ['Line'] : [])];
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
    const p = at(d.range.from);
    out.push(
      `${printable(file, LONG)}${p ? `:${p.line}:${p.column}` : ''}: ${d.severity}: ${printable(diagnosticMessage(d, locale), LONG)} [${d.code}]`,
    );
  }
  return out.join('\n').replace(/\n+$/, '');
}
