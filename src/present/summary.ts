/**
 * Text and JSON forms of an analysis: the summary table (the columns of Keras 3's model.summary()
 * and torchinfo's summary()) and the machine-readable report that `convlens summary --json` prints.
 *
 * Conventions: MACs are the multiply-accumulates of convolutions and dense layers (a bias add is
 * not one); FLOPs count each MAC as 2, plus the window reads of pooling. torchinfo's "Mult-Adds"
 * also count each bias and normalization parameter once per output position, so they are a little
 * higher. The memory estimates follow torchinfo, for batch 1 in float32: input size, the
 * forward/backward pass size (twice the outputs of the layers that have parameters), the
 * parameters' size, and their sum; 1 MB is 10^6 bytes.
 */
import type { AnalysisResult } from '../analysis/analyze';
import { LineMap } from '../analysis/python/lines';
import { conventions, type Framework } from '../model/conventions';
import { diagnosticMessage, type Locale } from '../model/diagnostics';
import type { ModelGraph } from '../model/ir';
import type { Shape } from '../shared/dims';
import { printable } from '../shared/text';
import { countText, flopsText, modelFlops, shapeNotation, sourceRange } from './notation';
import type { LayerNode } from '../model/ir';
import { strings } from './strings';

/** Version of the JSON report's layout: raised when a field changes meaning or goes. */
export const SUMMARY_SCHEMA_VERSION = 1;

export interface JsonLayer {
  name: string;
  type: string;
  /** Null for a model read from a model file (no source lines). */
  line: number | null;
  /** In a notebook: the cell (1-based, every cell counted) that `line` is in. */
  cell?: number;
  /** The shapes of the layer's inputs, without the batch dimension. */
  inputShapes: ((number | string)[] | null)[];
  outputShape: (number | string)[] | null;
  params: number | null;
  trainableParams: number | null;
  /** PyTorch buffers (running statistics), not counted in params; 0 for Keras. */
  buffers: number | null;
  /** Multiply-accumulates of a convolution or dense layer, batch 1; 0 for other layers. */
  macs: number | null;
  /** 2 × MACs, plus window reads for pooling. */
  flops: number | null;
  functional: boolean;
  /** Functional Keras models: the calls feeding this one, as Keras prints them (`conv2d[0][0]`). */
  connectedTo?: string[];
}

export interface MemoryBytes {
  /** The input, batch 1, float32. */
  input: number | null;
  /** Twice the outputs of the layers that have parameters (torchinfo's forward/backward pass size). */
  forwardBackward: number | null;
  /** The parameters, float32 (PyTorch buffers not included, as torchinfo). */
  params: number | null;
  total: number | null;
}

export interface JsonModel {
  name: string;
  framework: Framework;
  kind: ModelGraph['kind'];
  line: number | null;
  cell?: number;
  /** Set for a model read from a model file: 'keras-zip', 'keras-legacy-h5' or 'onnx'. */
  fileFormat?: string;
  inputShape: (number | string)[] | null;
  inputSource: string;
  layers: JsonLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  buffers: number | null;
  macs: number | null;
  flops: number | null;
  memoryBytes: MemoryBytes;
}

export interface JsonDiagnostic {
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  /** In a notebook: the cell the position is in (lines and columns count within it). */
  cell?: number;
  /** In a model file: the layer or node the diagnostic is about. */
  node?: string;
  severity: string;
  code: string;
  message: string;
}

export interface JsonReport {
  schemaVersion: number;
  file: string;
  models: JsonModel[];
  diagnostics: JsonDiagnostic[];
}

/** A place in the source: line and column (1-based), within a notebook cell when `cell` is set. */
export interface Place {
  line: number;
  column: number;
  cell?: number;
}

/** Where a notebook's code cell starts in the analyzed text, and its number in the notebook. */
export interface CellStart {
  start: number;
  cell: number;
}

export type Locate = (offset: number) => Place | null;

/** Source positions, or none for a model file (source null); within their cell for a notebook. */
export function locator(source: string | null, cells: readonly CellStart[] | null = null): Locate {
  if (source === null) return () => null;
  const lines = new LineMap(source);
  if (!cells || cells.length === 0) return (offset) => lines.position(Math.max(offset, 0));
  return (offset) => {
    let c = cells[0]!;
    for (const x of cells) if (x.start <= offset) c = x;
    const p = lines.position(Math.max(offset, 0));
    const base = lines.position(c.start);
    return {
      line: p.line - base.line + 1,
      column: p.line === base.line ? p.column - base.column + 1 : p.column,
      cell: c.cell,
    };
  };
}

/** `file:3:5`, or in a notebook `nb.ipynb:cell2:3:5`; the file alone without a place. */
export function placeText(file: string, p: Place | null): string {
  if (!p) return file;
  return `${file}${p.cell !== undefined ? `:cell${p.cell}` : ''}:${p.line}:${p.column}`;
}

function dimsOf(shape: Shape | null, dropBatch: boolean): (number | string)[] | null {
  if (!shape) return null;
  return (dropBatch ? shape.slice(1) : shape).map((d) => (typeof d === 'number' ? d : d.sym));
}

/** Multiply-accumulates of one layer: half the FLOPs of a convolution or dense layer, else 0. */
export function layerMacs(l: LayerNode): number | null {
  const kind = l.spec.cfg.kind;
  if (kind !== 'conv' && kind !== 'dense') return 0;
  return l.flops === null ? null : l.flops / 2;
}

export function modelMacs(m: ModelGraph): number | null {
  let macs: number | null = 0;
  for (const l of m.layers) {
    const x = layerMacs(l);
    macs = macs === null || x === null ? null : macs + x;
  }
  return macs;
}

/** Elements of a shape with the batch as 1; null when a dimension is unknown. */
function elements(shape: Shape | null, hasBatch: boolean): number | null {
  if (!shape) return null;
  let n = 1;
  for (const d of hasBatch ? shape.slice(1) : shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

const FLOAT32 = 4;

/** torchinfo's memory estimates for batch 1 in float32 (see the module's comment). */
export function memoryBytes(m: ModelGraph): MemoryBytes {
  const inputElements = elements(m.inputShape, false);
  const input = inputElements === null ? null : inputElements * FLOAT32;
  let outputs: number | null = 0;
  for (const l of m.layers) {
    if (l.params === 0) continue;
    const n = l.params === null ? null : elements(l.outputShape, true);
    outputs = outputs === null || n === null ? null : outputs + n;
  }
  const forwardBackward = outputs === null ? null : 2 * outputs * FLOAT32;
  const params = m.totalParams === null ? null : m.totalParams * FLOAT32;
  const total = input === null || forwardBackward === null || params === null ? null : input + forwardBackward + params;
  return { input, forwardBackward, params, total };
}

/** Keras 3's "Connected to" of each layer call of a functional model (`conv2d[0][0]`); null otherwise. */
export function connections(m: ModelGraph): string[][] | null {
  if (m.framework !== 'keras' || m.kind !== 'functional') return null;
  // a layer called again makes a new node: name[node][tensor]
  const node: number[] = [];
  const calls = new Map<number, number>();
  for (const l of m.layers) {
    const k = calls.get(l.spec.id) ?? 0;
    node.push(k);
    calls.set(l.spec.id, k + 1);
  }
  return m.layers.map((l) =>
    l.inputs.filter((i) => i >= 0 && i < m.layers.length).map((i) => `${m.layers[i]!.name}[${node[i]}][0]`),
  );
}

export interface ReportOptions {
  locale?: Locale;
  /** A notebook's code cells, for locations within cells. */
  cells?: readonly CellStart[] | null;
}

/** The JSON report of a file; `source` is null for a model file (.keras, .h5, .onnx). */
export function toJson(
  file: string,
  source: string | null,
  r: AnalysisResult,
  localeOrOptions: Locale | ReportOptions = 'en',
): JsonReport {
  const opts = typeof localeOrOptions === 'string' ? { locale: localeOrOptions } : localeOrOptions;
  const locale = opts.locale ?? 'en';
  const at = locator(source, opts.cells ?? null);
  const cellOf = (p: Place | null) => (p?.cell !== undefined ? { cell: p.cell } : {});
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    file,
    models: r.models.map((m) => {
      const links = connections(m);
      const mp = at(m.range.from);
      return {
        name: m.name,
        framework: m.framework,
        kind: m.kind,
        line: mp?.line ?? null,
        ...cellOf(mp),
        ...(m.fileFormat ? { fileFormat: m.fileFormat } : {}),
        inputShape: dimsOf(m.inputShape, false),
        inputSource: `${m.inputSource.kind}: ${m.inputSource.detail}`,
        layers: m.layers.map((l, i) => {
          const lp = at(sourceRange(l).from);
          return {
            name: l.name,
            type: l.spec.type,
            line: lp?.line ?? null,
            ...cellOf(lp),
            inputShapes: l.inputShapes.map((s) => dimsOf(s, true)),
            outputShape: dimsOf(l.outputShape, true),
            params: l.params,
            trainableParams: l.trainableParams,
            buffers: l.buffers,
            macs: layerMacs(l),
            flops: l.flops,
            functional: l.spec.functional,
            ...(links ? { connectedTo: links[i]! } : {}),
          };
        }),
        totalParams: m.totalParams,
        trainableParams: m.trainableParams,
        buffers: m.buffers,
        macs: modelMacs(m),
        flops: modelFlops(m),
        memoryBytes: memoryBytes(m),
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
        ...cellOf(a),
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

export interface SummaryOptions extends ReportOptions {
  /** Box-drawing characters (default); false draws the table in plain ASCII. */
  unicode?: boolean;
  /**
   * Nested modules shown down to this depth of their named_modules() name (torchinfo's depth):
   * `layer1.0.conv1` is at depth 3; deeper layers are folded into one row per module at the
   * depth. Unset: every layer.
   */
  depth?: number | null;
}

/** torchinfo's words for whether a layer's parameters train. */
function trainableText(params: number | null, trainable: number | null): string {
  if (params === null || trainable === null) return '?';
  if (params === 0) return '--';
  if (trainable === 0) return 'False';
  return trainable === params ? 'True' : 'Partial';
}

interface Row {
  name: string;
  type: string;
  input: string;
  output: string;
  params: string;
  trainable: string;
  macs: string;
  flops: string;
  connected: string;
  line: string;
}

function sum(xs: (number | null)[]): number | null {
  let t: number | null = 0;
  for (const x of xs) t = t === null || x === null ? null : t + x;
  return t;
}

/** The table's rows: one per layer call, folded by `depth`, one per layer for functional Keras (as Keras). */
function tableRows(m: ModelGraph, at: Locate, depth: number | null): Row[] {
  const links = connections(m);
  const fw = m.framework;
  const lineOf = (l: LayerNode) => {
    const p = at(sourceRange(l).from);
    return p ? (p.cell !== undefined ? `cell${p.cell}:${p.line}` : String(p.line)) : '';
  };
  const inputText = (l: LayerNode) => l.inputShapes.map((s) => shapeNotation(s, fw)).join(', ') || '-';
  if (links) {
    // Keras lists each layer once, with the inbound of every call
    const rows: Row[] = [];
    const byId = new Map<number, Row>();
    m.layers.forEach((l, i) => {
      const seen = byId.get(l.spec.id);
      if (seen) {
        seen.connected = [seen.connected === '-' ? '' : seen.connected, links[i]!.join(', ')]
          .filter(Boolean)
          .join(', ');
        return;
      }
      const row: Row = {
        name: l.name,
        type: l.spec.type,
        input: inputText(l),
        output: shapeNotation(l.outputShape, fw),
        params: countText(l.params),
        trainable: trainableText(l.params, l.trainableParams),
        macs: countText(layerMacs(l)),
        flops: l.flops === null ? '?' : countText(l.flops),
        connected: links[i]!.join(', ') || '-',
        line: lineOf(l),
      };
      byId.set(l.spec.id, row);
      rows.push(row);
    });
    return rows;
  }
  const single = (l: LayerNode): Row => ({
    name: l.name,
    type: l.spec.type,
    input: inputText(l),
    output: shapeNotation(l.outputShape, fw),
    params: l.spec.functional && !m.fileFormat ? '' : countText(l.params),
    trainable: l.spec.functional && !m.fileFormat ? '' : trainableText(l.params, l.trainableParams),
    macs: countText(layerMacs(l)),
    flops: l.flops === null ? '?' : countText(l.flops),
    connected: '',
    line: lineOf(l),
  });
  if (depth === null || fw !== 'pytorch') return m.layers.map(single);
  // group consecutive layers by the first `depth` parts of their module path
  const groupOf = (l: LayerNode): string | null => {
    if (l.spec.functional) return null;
    const parts = l.name.split('.');
    return parts.length > depth ? parts.slice(0, depth).join('.') : null;
  };
  const rows: Row[] = [];
  let i = 0;
  while (i < m.layers.length) {
    const g = groupOf(m.layers[i]!);
    if (g === null) {
      rows.push(single(m.layers[i]!));
      i++;
      continue;
    }
    let j = i + 1;
    // functional ops between two layers of the group are inside it
    while (j < m.layers.length) {
      const gj = groupOf(m.layers[j]!);
      if (gj === g) j++;
      else if (gj === null && m.layers[j]!.spec.functional) {
        let k = j;
        while (k < m.layers.length && m.layers[k]!.spec.functional) k++;
        if (k < m.layers.length && groupOf(m.layers[k]!) === g) j = k + 1;
        else break;
      } else break;
    }
    const members = m.layers.slice(i, j);
    // a module called twice counts its parameters once
    const distinct = members.filter((l, n) => members.findIndex((x) => x.spec.id === l.spec.id) === n);
    const params = sum(distinct.map((l) => l.params));
    const trainable = sum(distinct.map((l) => l.trainableParams));
    const macs = sum(members.map(layerMacs));
    const flops = sum(members.map((l) => l.flops));
    rows.push({
      name: g,
      type: `${members.length} layer${members.length === 1 ? '' : 's'}`,
      input: inputText(members[0]!),
      output: shapeNotation(members[members.length - 1]!.outputShape, fw),
      params: countText(params),
      trainable: trainableText(params, trainable),
      macs: countText(macs),
      flops: flops === null ? '?' : countText(flops),
      connected: '',
      // the line when every layer of the group is built there (an nn.Sequential(...) call)
      line: new Set(members.map(lineOf)).size === 1 ? lineOf(members[0]!) : '',
    });
    i = j;
  }
  return rows;
}

const BOX = {
  tl: '┏',
  tm: '┳',
  tr: '┓',
  h: '━',
  v: '┃',
  ml: '┡',
  mm: '╇',
  mr: '┩',
  bl: '└',
  bm: '┴',
  br: '┘',
  b: '─',
  c: '│',
};
const ASCII = {
  tl: '+',
  tm: '+',
  tr: '+',
  h: '-',
  v: '|',
  ml: '+',
  mm: '+',
  mr: '+',
  bl: '+',
  bm: '+',
  br: '+',
  b: '-',
  c: '|',
};

/** A table with a header, right-aligned numeric columns (`right`), in box-drawing or ASCII characters. */
function table(head: string[], rows: string[][], right: Set<number>, unicode: boolean): string[] {
  const g = unicode ? BOX : ASCII;
  const w = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const cell = (s: string, i: number) => (right.has(i) ? s.padStart(w[i]!) : s.padEnd(w[i]!));
  const bar = (l: string, m_: string, r_: string, c: string) => l + w.map((x) => c.repeat(x + 2)).join(m_) + r_;
  const out = [bar(g.tl, g.tm, g.tr, g.h)];
  out.push(`${g.v} ` + head.map(cell).join(` ${g.v} `) + ` ${g.v}`);
  out.push(unicode ? bar(g.ml, g.mm, g.mr, g.h) : bar('+', '+', '+', '='));
  for (const row of rows) out.push(`${g.c} ` + row.map(cell).join(` ${g.c} `) + ` ${g.c}`);
  out.push(bar(g.bl, g.bm, g.br, g.b));
  return out;
}

function mb(bytes: number | null): string {
  return bytes === null ? '?' : (bytes / 1e6).toFixed(2);
}

/** The summary table of a file; `source` is null for a model file, whose rows have no line. */
export function summaryText(
  file: string,
  source: string | null,
  r: AnalysisResult,
  localeOrOptions: Locale | SummaryOptions = 'en',
): string {
  const opts: SummaryOptions = typeof localeOrOptions === 'string' ? { locale: localeOrOptions } : localeOrOptions;
  const locale = opts.locale ?? 'en';
  const at = locator(source, opts.cells ?? null);
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
    const mp = at(m.range.from);
    const where = mp ? `:${mp.cell !== undefined ? `cell${mp.cell}:` : ''}${mp.line}` : '';
    out.push(`Model: "${printable(m.name)}" (${what}) — ${printable(file, LONG)}${where}`);
    const inShape = m.inputShape ? shapeNotation([{ sym: 'N' }, ...m.inputShape], m.framework) : '?';
    out.push(`Input: ${printable(inShape)}, from ${printable(m.inputSource.detail, LONG)}`);
    const withLines = source !== null;
    const rows = tableRows(m, at, opts.depth ?? null);
    const withLinks = connections(m) !== null;
    const head = [
      'Layer (type)',
      'Input Shape',
      'Output Shape',
      'Param #',
      'Trainable',
      'MACs',
      'FLOPs',
      ...(withLinks ? ['Connected to'] : []),
      ...(withLines ? ['Line'] : []),
    ];
    const cells = rows.map((row) => [
      `${printable(row.name)} (${printable(row.type)})`,
      printable(row.input),
      printable(row.output),
      row.params,
      row.trainable,
      row.macs,
      row.flops,
      ...(withLinks ? [printable(row.connected, LONG)] : []),
      ...(withLines ? [row.line] : []),
    ]);
    out.push(...table(head, cells, new Set([3, 5, 6, ...(withLines ? [head.length - 1] : [])]), opts.unicode ?? true));
    const nonTrainable =
      m.totalParams !== null && m.trainableParams !== null ? m.totalParams - m.trainableParams : null;
    const flops = modelFlops(m);
    const macs = modelMacs(m);
    const mem = memoryBytes(m);
    out.push(` Total params: ${countText(m.totalParams)}`);
    out.push(` Trainable params: ${countText(m.trainableParams)}`);
    out.push(` Non-trainable params: ${countText(nonTrainable)}`);
    if (m.buffers !== 0 && !conventions(m.framework).statisticsAreParams)
      out.push(` ${strings(locale).buffersFooter(countText(m.buffers))}`);
    out.push(
      ` Total MACs: ${macs === null ? '?' : flopsText(macs)} (multiply-accumulates of convolutions and dense layers)`,
    );
    out.push(` FLOPs (a multiply-add counts 2): ${flops === null ? '?' : flopsText(flops)}`);
    out.push(` Input size (MB): ${mb(mem.input)}`);
    out.push(` Forward/backward pass size (MB): ${mb(mem.forwardBackward)}`);
    out.push(` Params size (MB): ${mb(mem.params)}`);
    out.push(` Estimated Total Size (MB): ${mb(mem.total)} (batch 1, float32, as torchinfo)`);
    out.push('');
  }
  for (const d of r.diagnostics) {
    out.push(
      `${printable(placeText(file, at(d.range.from)), LONG)}: ${d.severity}: ${printable(diagnosticMessage(d, locale), LONG)} [${d.code}]`,
    );
  }
  return out.join('\n').replace(/\n+$/, '');
}
