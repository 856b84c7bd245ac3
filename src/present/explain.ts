/**
 * What the hover says about a layer, as structured facts: input → output shape, the output-size
 * arithmetic with the user's own numbers, the layer's arguments explained in the chapter's terms
 * (filters = stamps = feature maps, kernel, padding, stride, pooling), parameters with their
 * formula, FLOPs, receptive field and the diagnostics on it. The editor's hover renders them as
 * Markdown (`factsMarkdown`), `convlens explain` as plain text (`factsText`) or JSON. Pure.
 */
import type { AnalysisResult } from '../analysis/analyze';
import { LineMap } from '../analysis/python/lines';
import { EngineError } from '../engine/errors';
import { axisGeometry, type AxisGeometry } from '../engine/geometry';
import { conventions, type Framework } from '../model/conventions';
import { diagnosticMessage, type Diagnostic, type Locale, type Severity } from '../model/diagnostics';
import type { ConvCfg, LayerNode, PoolCfg, Range } from '../model/ir';
import { axisPadding } from '../model/layers/window';
import { dimText, isKnown, type Shape } from '../shared/dims';
import {
  countText,
  flopsText,
  layerAt,
  modelFlops,
  modelShapes,
  modulePath,
  shapeNotation,
  type LayerHit,
} from './notation';
import { markdownCode, markdownText, printable } from '../shared/text';
import { strings } from './strings';

/** Bumped when a field of `HoverFacts` changes meaning or goes away. */
export const EXPLAIN_SCHEMA_VERSION = 1;

/** One line of the output-size arithmetic: `expression = result`, then a note ("pad 1/1"). */
export interface SizeLine {
  /** The axes it is for: 'H', 'W', 'H, W' (both alike), or null (one axis: a 1-D layer). */
  axes: 'H' | 'W' | 'H, W' | null;
  expression: string;
  result: number;
  note: string | null;
}

/** An argument of the layer with the user's value, in one short line; `name` null: what the layer does. */
export interface ArgumentLine {
  name: string | null;
  value: string | null;
  text: string;
}

export interface HoverFacts {
  schemaVersion: number;
  locale: Locale;
  /** The call built a whole model in another module: the model is shown as one. */
  whole: boolean;
  /** The layer's name (null for a functional op); for a whole model, the model's. */
  name: string | null;
  /** The class or function (`Conv2D`, `nn.Conv2d` as `Conv2d`, `F.relu`); null for a whole model. */
  type: string | null;
  model: string;
  framework: Framework;
  frameworkName: string;
  /** The module file a whole model was built in (`torchvision/models/resnet.py`). */
  builtIn: string | null;
  calls: number;
  /** Input shapes and output shape in the framework's notation (`(None, 28, 28, 1)`, `(N, 1, 28, 28)`). */
  inputs: string[];
  output: string | null;
  outputSize: SizeLine[];
  arguments: ArgumentLine[];
  params: { count: number; formula: string | null; nonTrainable: number } | null;
  /** PyTorch buffers (running statistics), not parameters. */
  buffers: { count: number; what: string } | null;
  flops: number | null;
  receptiveField: { size: number[]; jump: number[] } | null;
  /** Flatten of a 4-D input: the factors multiplied and the order values are laid out in. */
  flatten: { factors: string[]; result: string; order: string } | null;
  /** For a whole model: its layer count. */
  layers: number | null;
  diagnostics: { severity: Severity; code: string; message: string }[];
}

/** One axis of the output-size arithmetic, with the numbers written as the framework computes them. */
export function axisSizeLine(a: AxisGeometry, framework: Framework, locale: Locale): Omit<SizeLine, 'axes'> {
  const t = strings(locale);
  const eff = a.dilation > 1 ? `${a.dilation}·(${a.kernel} − 1) + 1` : String(a.kernel);
  if (a.mode === 'same')
    return {
      expression: `${t.sameMode}: ⌈${a.inSize} / ${a.stride}⌉`,
      result: a.out,
      note: `${t.pad} ${a.padBefore}/${a.padAfter}`,
    };
  // Keras writes 'valid' as a mode; PyTorch's zero padding reads as its own formula below
  if (a.mode === 'valid' && conventions(framework).channelsLast) {
    const exact = (a.inSize - a.effectiveKernel) % a.stride === 0;
    const body = `(${a.inSize} − ${eff}) / ${a.stride} + 1`;
    return {
      expression: `${t.validMode}: ${exact ? body : `⌊(${a.inSize} − ${eff}) / ${a.stride}⌋ + 1`}`,
      result: a.out,
      note: null,
    };
  }
  if (a.mode === 'causal')
    return {
      expression: `'causal': ⌊(${a.inSize} + ${a.padBefore} − ${eff}) / ${a.stride}⌋ + 1`,
      result: a.out,
      note: null,
    };
  // PyTorch's formula: ⌊(in + 2p − d·(k − 1) − 1) / s⌋ + 1 (⌈ ⌉ with ceil_mode)
  const [l, r] = a.ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const pads =
    a.padBefore === a.padAfter ? (a.padBefore ? ` + 2·${a.padBefore}` : '') : ` + ${a.padBefore} + ${a.padAfter}`;
  const dil = `${a.dilation}·(${a.kernel} − 1)`;
  return { expression: `${l}(${a.inSize}${pads} − ${dil} − 1) / ${a.stride}${r} + 1`, result: a.out, note: null };
}

/**
 * The sliding window of a convolution or pooling layer per spatial axis, when the input size is
 * known: the 2-D layers' geometry record, and for 1-D layers (Conv1D, MaxPooling1D, nn.Conv1d, …)
 * the one axis computed here by the same validated formula.
 */
export function windowAxes(layer: LayerNode): { axis: 'h' | 'w' | 'seq'; g: AxisGeometry }[] {
  const g = layer.geometry;
  const cfg = layer.spec.cfg;
  if (g) {
    if (g.h.inSize === 1 && cfg.kind !== 'conv') return [{ axis: 'w', g: g.w }];
    return [
      { axis: 'h', g: g.h },
      { axis: 'w', g: g.w },
    ];
  }
  const w = windowCfg(layer);
  if (!w || w.rank !== 1 || (cfg.kind === 'conv' && cfg.c.transposed)) return [];
  const input = layer.inputShapes[0];
  if (!input || input.length !== 3) return [];
  const size = conventions(layer.spec.framework).splitShape(input).spatial[0];
  if (size === undefined || !isKnown(size)) return [];
  try {
    const a = axisGeometry(layer.name, {
      inSize: size,
      kernel: w.kernel[0]!,
      stride: w.strides[0]!,
      dilation: w.dilation[0]!,
      padding: axisPadding(w.padding, 0),
      ceilMode: w.ceilMode,
    });
    return a.out >= 1 ? [{ axis: 'seq', g: a }] : [];
  } catch (e) {
    if (e instanceof EngineError) return [];
    throw e;
  }
}

function windowCfg(layer: LayerNode): {
  rank: 1 | 2;
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: ConvCfg['padding'];
  ceilMode: boolean;
} | null {
  const cfg = layer.spec.cfg;
  if (cfg.kind === 'conv') return { ...cfg.c, ceilMode: false };
  if (cfg.kind === 'pool') return { ...cfg.c, kernel: cfg.c.pool };
  return null;
}

function sizeLines(layer: LayerNode, locale: Locale): SizeLine[] {
  const fw = layer.spec.framework;
  const axes = windowAxes(layer);
  if (axes.length === 1) return [{ axes: null, ...axisSizeLine(axes[0]!.g, fw, locale) }];
  if (axes.length !== 2) return [];
  const h = axisSizeLine(axes[0]!.g, fw, locale);
  const w = axisSizeLine(axes[1]!.g, fw, locale);
  if (h.expression === w.expression && h.result === w.result && h.note === w.note) return [{ axes: 'H, W', ...h }];
  return [
    { axes: 'H', ...h },
    { axes: 'W', ...w },
  ];
}

/** A kernel, window or size as the chapter writes it: 3×3 for 2-D, 3 for 1-D. */
export function sizeText(dims: readonly (number | string)[]): string {
  return dims.join('×');
}

/** A value as the user writes it in Python: an int, or a tuple when the axes differ. */
function tupleText(v: readonly number[]): string {
  return v.every((x) => x === v[0]) ? String(v[0]) : `(${v.join(', ')})`;
}

function spatialOf(shape: Shape | null | undefined, framework: Framework, rank: number): string | null {
  if (!shape || shape.length !== rank + 2) return null;
  const spatial = conventions(framework).splitShape(shape).spatial;
  return spatial.every(isKnown) ? sizeText(spatial.map(dimText)) : null;
}

function channelsOf(shape: Shape | null | undefined, framework: Framework): string | null {
  if (!shape || shape.length < 2) return null;
  const c = shape[conventions(framework).channelAxis(shape.length)];
  return c !== undefined && isKnown(c) ? countText(c) : null;
}

/** The padding line of a convolution or pooling: what it adds here, and the size it gives. */
function paddingLine(layer: LayerNode, w: NonNullable<ReturnType<typeof windowCfg>>, zeros: boolean, locale: Locale) {
  const t = strings(locale);
  const fw = layer.spec.framework;
  const p = w.padding;
  const value =
    typeof p === 'string'
      ? `'${p}'`
      : p.every(([a, b]) => a === b)
        ? tupleText(p.map(([a]) => a))
        : `(${p.map(([a, b]) => `(${a}, ${b})`).join(', ')})`;
  const axes = windowAxes(layer);
  const from = spatialOf(layer.inputShapes[0], fw, w.rank);
  const to = spatialOf(layer.outputShape, fw, w.rank);
  const pads: { axis: 'h' | 'w' | 'seq'; before: number; after: number }[] = axes.length
    ? axes.map(({ axis, g }) => ({ axis, before: g.padBefore, after: g.padAfter }))
    : typeof p !== 'string'
      ? p.map(([before, after], i) => ({ axis: w.rank === 1 ? 'seq' : i === 0 ? 'h' : 'w', before, after }))
      : [];
  if (p === 'causal') return { name: 'padding', value, text: t.causalPadding(pads[0]?.before ?? 0) };
  if (p === 'same' && pads.length === 0) return { name: 'padding', value, text: `${t.samePadding}: ${t.sameUnknown}` };
  const none = pads.every((x) => x.before === 0 && x.after === 0);
  const even = pads.every((x) => x.before === pads[0]!.before && x.after === pads[0]!.before);
  const desc = none
    ? t.noPadding
    : even
      ? t.zerosEachSide(pads[0]!.before, w.rank, zeros)
      : t.padSides(pads.map((x) => `${t.sideNames(x.axis)} ${x.before}/${x.after}`).join(', '), zeros);
  const sizes = from !== null && to !== null ? `${from} → ${to}` : null;
  // the chapter's names: no padding is valid padding; padding that keeps the size is same padding
  if (none) return { name: 'padding', value, text: `${t.validPadding} (${t.noPadding})${sizes ? `: ${sizes}` : ''}` };
  const effect = from !== null && to !== null ? t.padEffect(desc, from, to) : desc;
  const term = p === 'same' || (from !== null && from === to && w.strides.every((s) => s === 1)) ? t.samePadding : null;
  return { name: 'padding', value, text: term ? `${term}: ${effect}` : effect };
}

function written(layer: LayerNode, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(layer.argRanges, name);
}

function activationLines(
  layer: LayerNode,
  fn: string | null,
  on: 'conv' | 'dense',
  outputs: string,
  locale: Locale,
): ArgumentLine[] {
  const t = strings(locale);
  if (layer.spec.framework !== 'keras') return [];
  if (fn === null || fn === 'linear')
    return [
      { name: 'activation', value: written(layer, 'activation') && fn ? `'${fn}'` : 'None', text: t.noActivation },
    ];
  return [{ name: 'activation', value: `'${fn}'`, text: t.activationArg(fn, t.activationName(fn), on, outputs) }];
}

function convArguments(layer: LayerNode, c: ConvCfg, locale: Locale): ArgumentLine[] {
  const t = strings(locale);
  const fw = layer.spec.framework;
  const torch = fw === 'pytorch';
  const out: ArgumentLine[] = [];
  const cin =
    c.inChannels ??
    (() => {
      const s = layer.inputShapes[0];
      const d = s?.[conventions(fw).channelAxis(s.length)];
      return d !== undefined && isKnown(d) ? d : null;
    })();
  if (torch && c.inChannels !== null)
    out.push({ name: 'in_channels', value: String(c.inChannels), text: t.inChannelsArg(countText(c.inChannels)) });
  if (c.depthwise === 'none' && c.filters !== null)
    out.push({
      name: torch ? 'out_channels' : 'filters',
      value: String(c.filters),
      text: t.filtersArg(countText(c.filters)),
    });
  const depth = c.depthwise === 'none' && cin !== null ? countText(cin / c.groups) : null;
  out.push({ name: 'kernel_size', value: tupleText(c.kernel), text: t.kernelArg(sizeText(c.kernel), c.rank, depth) });
  const strideName = torch ? 'stride' : 'strides';
  if (written(layer, strideName) || c.strides.some((s) => s !== 1))
    out.push({ name: strideName, value: tupleText(c.strides), text: t.strideArg(c.strides, c.rank) });
  const fill = c.paddingMode ?? 'zeros';
  if (!c.transposed) out.push(paddingLine(layer, { ...c, ceilMode: false }, fill === 'zeros', locale));
  if (torch && fill !== 'zeros' && !c.transposed)
    out.push({ name: 'padding_mode', value: `'${fill}'`, text: t.paddingModeArg(fill) });
  const dilationName = torch ? 'dilation' : 'dilation_rate';
  if (c.dilation.some((d) => d !== 1)) {
    const d = c.dilation[0]!;
    const span = sizeText(c.kernel.map((k, i) => (k - 1) * c.dilation[i]! + 1));
    out.push({ name: dilationName, value: tupleText(c.dilation), text: t.dilationArg(d, sizeText(c.kernel), span) });
  }
  if (c.groups !== 1) out.push({ name: 'groups', value: String(c.groups), text: t.groupsArg(c.groups, cin) });
  const maps = c.filters !== null ? countText(c.filters) : '?';
  out.push(...activationLines(layer, c.activation, 'conv', maps, locale));
  const biasName = torch ? 'bias' : 'use_bias';
  if (!c.useBias || written(layer, biasName))
    out.push({ name: biasName, value: c.useBias ? 'True' : 'False', text: t.biasArg(c.useBias, 'filter', maps) });
  return out;
}

function poolArguments(layer: LayerNode, c: PoolCfg, locale: Locale): ArgumentLine[] {
  const t = strings(locale);
  const fw = layer.spec.framework;
  const torch = fw === 'pytorch';
  const out: ArgumentLine[] = [];
  const maps = channelsOf(layer.outputShape, fw);
  out.push({
    name: torch ? 'kernel_size' : 'pool_size',
    value: tupleText(c.pool),
    text: t.poolArg(c.mode, sizeText(c.pool), c.rank, maps),
  });
  const strideName = torch ? 'stride' : 'strides';
  const defaulted = !written(layer, strideName) && c.strides.every((s, i) => s === c.pool[i]);
  if (written(layer, strideName) || c.strides.some((s) => s !== 1))
    out.push({
      name: strideName,
      value: tupleText(c.strides),
      text: t.strideArg(c.strides, c.rank) + (defaulted ? (torch ? t.defaultKernelStride : t.defaultPoolStride) : ''),
    });
  const padded = typeof c.padding === 'string' ? c.padding !== 'valid' : c.padding.some(([a, b]) => a || b);
  if (written(layer, 'padding') || padded)
    out.push(paddingLine(layer, { ...c, kernel: c.pool }, c.mode === 'avg' && torch, locale));
  if (c.dilation.some((d) => d !== 1)) {
    const span = sizeText(c.pool.map((k, i) => (k - 1) * c.dilation[i]! + 1));
    out.push({
      name: 'dilation',
      value: tupleText(c.dilation),
      text: t.dilationArg(c.dilation[0]!, sizeText(c.pool), span),
    });
  }
  if (c.ceilMode) out.push({ name: 'ceil_mode', value: 'True', text: t.ceilModeArg });
  return out;
}

/** The layer's arguments that matter, with the user's values, one short line each. */
export function argumentLines(layer: LayerNode, locale: Locale): ArgumentLine[] {
  const t = strings(locale);
  const cfg = layer.spec.cfg;
  const fw = layer.spec.framework;
  const torch = fw === 'pytorch';
  switch (cfg.kind) {
    case 'conv':
      return convArguments(layer, cfg.c, locale);
    case 'pool':
      return poolArguments(layer, cfg.c, locale);
    case 'dense': {
      const out: ArgumentLine[] = [];
      const s = layer.inputShapes[0];
      const last = s?.[s.length - 1];
      const inputs = cfg.inFeatures ?? (last !== undefined && isKnown(last) ? last : null);
      if (torch && cfg.inFeatures !== null)
        out.push({
          name: 'in_features',
          value: String(cfg.inFeatures),
          text: t.inFeaturesArg(countText(cfg.inFeatures)),
        });
      const units = cfg.units === null ? '?' : countText(cfg.units);
      if (cfg.units !== null)
        out.push({
          name: torch ? 'out_features' : 'units',
          value: String(cfg.units),
          text: t.unitsArg(units, torch || inputs === null ? null : countText(inputs)),
        });
      out.push(...activationLines(layer, cfg.activation, 'dense', units, locale));
      const biasName = torch ? 'bias' : 'use_bias';
      if (!cfg.useBias || written(layer, biasName))
        out.push({
          name: biasName,
          value: cfg.useBias ? 'True' : 'False',
          text: t.biasArg(cfg.useBias, 'neuron', units),
        });
      return out;
    }
    case 'flatten':
      return layer.spec.functional ? [] : [{ name: null, value: null, text: t.flattenRole }];
    case 'dropout': {
      const name = torch ? 'p' : 'rate';
      const rate = cfg.rate;
      const zeroing = /^(Spatial)?Dropout(\d[dD])?$/.test(layer.spec.type);
      if (rate === null || !zeroing || rate <= 0 || rate >= 1)
        return [
          { name: rate === null ? null : name, value: rate === null ? null : String(rate), text: t.dropoutOther },
        ];
      const pct = String(Number((rate * 100).toFixed(2)));
      const scale = String(Number((1 / (1 - rate)).toFixed(2)));
      return [{ name, value: String(rate), text: t.dropoutArg(pct, scale) }];
    }
    case 'batchNorm': {
      const c = cfg.numFeatures !== null ? countText(cfg.numFeatures) : channelsOf(layer.outputShape, fw);
      const out: ArgumentLine[] = [
        torch && cfg.numFeatures !== null
          ? { name: 'num_features', value: String(cfg.numFeatures), text: t.batchNormRole(c) }
          : { name: null, value: null, text: t.batchNormRole(c) },
      ];
      if (cfg.trackStats) out.push({ name: null, value: null, text: t.batchNormStats(t.statistics(torch)) });
      return out;
    }
    default:
      return [];
  }
}

/** The facts the hover shows for the layer (or whole model) at a hit, in the user's language. */
export function hoverFacts(hit: LayerHit, locale: Locale, diagnosticsHere: Diagnostic[]): HoverFacts {
  const diagnostics = diagnosticsHere.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: diagnosticMessage(d, locale),
  }));
  const { layer, model } = hit;
  const fw = model.framework;
  const base = {
    schemaVersion: EXPLAIN_SCHEMA_VERSION,
    locale,
    model: model.name,
    framework: fw,
    frameworkName: conventions(fw).displayName,
    diagnostics,
  };
  if (hit.whole) {
    const file = model.layers.find((l) => !l.spec.functional)?.spec.file ?? model.layers[0]?.spec.file ?? '';
    const { input, output } = modelShapes(model);
    return {
      ...base,
      whole: true,
      name: model.name,
      type: null,
      builtIn: modulePath(file),
      calls: 1,
      inputs: [shapeNotation(input, fw)],
      output: output ? shapeNotation(output, fw) : null,
      outputSize: [],
      arguments: [],
      params:
        model.totalParams !== null
          ? {
              count: model.totalParams,
              formula: null,
              nonTrainable:
                model.trainableParams !== null && model.trainableParams < model.totalParams
                  ? model.totalParams - model.trainableParams
                  : 0,
            }
          : null,
      buffers: model.buffers ? { count: model.buffers, what: conventions(fw).statisticsName } : null,
      flops: modelFlops(model),
      receptiveField: null,
      flatten: null,
      layers: model.layers.filter((l) => !l.spec.functional).length,
    };
  }
  const functional = layer.spec.functional;
  const s = layer.inputShapes[0];
  return {
    ...base,
    whole: false,
    name: functional ? null : layer.name,
    type: layer.spec.type,
    builtIn: null,
    calls: hit.calls,
    inputs: layer.inputShapes.map((x) => shapeNotation(x, fw)),
    output: layer.outputShape ? shapeNotation(layer.outputShape, fw) : null,
    outputSize: sizeLines(layer, locale),
    arguments: argumentLines(layer, locale),
    params:
      layer.params !== null && !functional && layer.params > 0
        ? {
            count: layer.params,
            formula: layer.paramsFormula && layer.paramsFormula !== '0' ? layer.paramsFormula : null,
            nonTrainable:
              layer.trainableParams !== null && layer.trainableParams < layer.params
                ? layer.params - layer.trainableParams
                : 0,
          }
        : null,
    buffers: layer.buffers && !functional ? { count: layer.buffers, what: conventions(fw).statisticsName } : null,
    flops: layer.flops || null,
    receptiveField: layer.receptiveField
      ? { size: [...layer.receptiveField.size], jump: layer.receptiveField.jump.map((j) => Number(j.toFixed(3))) }
      : null,
    flatten:
      layer.spec.cfg.kind === 'flatten' && s && s.length === 4
        ? {
            factors: s.slice(1).map(dimText),
            result: layer.outputShape ? dimText(layer.outputShape[1]!) : '?',
            order: strings(locale).flattenOrder(conventions(fw).channelsLast),
          }
        : null,
    layers: null,
  };
}

/** A receptive field as the chapter writes sizes: 8×8 in 2-D, 8 in 1-D; the jump likewise. */
export function receptiveFieldText(rf: { size: number[]; jump: number[] }, locale: Locale): string {
  const t = strings(locale);
  return `${sizeText(rf.size)}, ${t.jump} ${rf.jump.every((j) => j === rf.jump[0]) ? String(rf.jump[0]) : sizeText(rf.jump)}`;
}

type Style = {
  code: (s: string) => string;
  strong: (s: string) => string;
  text: (s: string) => string;
  /** Joins the lines of one block. */
  br: string;
};

/** Every string that reaches the hover goes through code, strong or text: names from the source
 *  or a file can form no link, image or HTML, and cannot leave their code span. */
const MARKDOWN: Style = {
  code: (s) => markdownCode(s, LONG),
  strong: (s) => `**${markdownText(s, LONG)}**`,
  text: (s) => markdownText(s, LONG),
  br: '  \n',
};

/** For a terminal: control characters (ANSI escapes, newlines) written as \uXXXX. */
const PLAIN: Style = {
  code: (s) => printable(s, LONG),
  strong: (s) => printable(s, LONG),
  text: (s) => printable(s, LONG),
  br: '\n',
};
/** Sentences (argument explanations, diagnostics) are longer than names; still bounded. */
const LONG = 2000;

function sizeLineText(l: SizeLine, st: Style): string {
  const body = `${l.expression} = ${st.strong(String(l.result))}${l.note ? `, ${l.note}` : ''}`;
  return l.axes === 'H, W' ? `${body} (H, W)` : l.axes ? `${l.axes}: ${body}` : body;
}

type Block = { kind: 'shapes' | 'size' | 'arguments' | 'facts'; lines: string[] };

/** The blocks of the hover, each a list of lines, in the given style. */
function blocks(f: HoverFacts, st: Style): { title: string; blocks: Block[] } {
  const t = strings(f.locale);
  const out: Block[] = [];
  let title: string;
  if (f.whole) {
    title = `${st.strong(f.name ?? f.model)} — ${t.modelBuiltIn(st.text(f.frameworkName), st.code(f.builtIn ?? ''))}`;
  } else {
    const head = f.name === null ? st.code(f.type ?? '') : `${st.strong(f.name)} · ${st.code(f.type ?? '')}`;
    title = `${head} — ${st.text(f.model)} (${st.text(f.frameworkName)})${f.calls > 1 ? ` · ${t.calledTimes(f.calls)}` : ''}`;
  }
  const ins = f.inputs.length ? f.inputs.map(st.code).join(' + ') : '?';
  out.push({
    kind: 'shapes',
    lines: [f.output !== null ? `${ins} → ${st.code(f.output)}` : `${ins} → ? (${t.stopped})`],
  });
  if (f.outputSize.length) {
    const lines = f.outputSize.map((l) => sizeLineText(l, st));
    out.push({ kind: 'size', lines: [`${t.outputSize}: ${lines.join(st.br)}`] });
  }
  if (f.arguments.length)
    out.push({
      kind: 'arguments',
      lines: f.arguments.map((a) =>
        a.name === null ? st.text(a.text) : `${st.code(`${a.name}=${a.value ?? ''}`)} — ${st.text(a.text)}`,
      ),
    });
  const facts: string[] = [];
  if (f.params) {
    const nt = f.params.nonTrainable ? ` (${t.nonTrainable(countText(f.params.nonTrainable))})` : '';
    facts.push(
      `${t.params}: ${f.params.formula ? `${f.params.formula} = ` : ''}${st.strong(countText(f.params.count))}${nt}`,
    );
  }
  if (f.buffers)
    facts.push(`${t.buffers}: ${st.strong(countText(f.buffers.count))} (${f.buffers.what}; ${t.notParameters})`);
  if (f.flops) facts.push(`${t.flops}: ${flopsText(f.flops)}`);
  if (f.receptiveField) facts.push(`${t.receptiveField}: ${receptiveFieldText(f.receptiveField, f.locale)}`);
  if (f.flatten) facts.push(`${f.flatten.factors.join(' × ')} = ${f.flatten.result} (${f.flatten.order})`);
  if (f.layers !== null) facts.push(t.layerCount(f.layers));
  if (facts.length) out.push({ kind: 'facts', lines: facts });
  return { title, blocks: out };
}

/** The hover's Markdown: blocks separated by blank lines, lines of a block by hard breaks. */
export function factsMarkdown(f: HoverFacts, visualizeLink: string | null): string {
  const t = strings(f.locale);
  const { title, blocks: bs } = blocks(f, MARKDOWN);
  const out = [title];
  for (const b of bs) out.push('', b.lines.join(MARKDOWN.br));
  for (const d of f.diagnostics) out.push('', `${severityIcon(d.severity)} ${MARKDOWN.text(d.message)}`);
  if (visualizeLink) out.push('', `[$(graph) ${t.visualize}](${visualizeLink} "${t.visualizeTitle}")`);
  return out.join('\n');
}

/** The same facts for a terminal: no Markdown, the arguments in a column under their heading. */
export function factsText(f: HoverFacts): string {
  const t = strings(f.locale);
  const { title, blocks: bs } = blocks(f, PLAIN);
  const out = [title];
  for (const b of bs) {
    if (b.kind !== 'arguments') {
      out.push(...b.lines);
      continue;
    }
    out.push(`${t.arguments}:`);
    const named = f.arguments.map((a) => (a.name === null ? null : `${a.name}=${a.value ?? ''}`));
    const width = Math.min(24, Math.max(0, ...named.map((n) => n?.length ?? 0)));
    f.arguments.forEach((a, i) =>
      out.push(named[i] === null ? `  ${a.text}` : `  ${named[i]!.padEnd(width)}  ${a.text}`),
    );
  }
  for (const d of f.diagnostics) out.push(`${d.severity}: ${d.message} [${d.code}]`);
  return out.join('\n');
}

function severityIcon(s: Severity): string {
  return s === 'error' ? '$(error)' : s === 'warning' ? '$(warning)' : '$(info)';
}

/** The source range that stands for a hit: the call it is on, or its constructor. */
export function hitRange(hit: LayerHit): Range {
  return hit.layer.spec.functional ? hit.layer.callRange : hit.layer.spec.range;
}

/**
 * The layer a 1-based line (and column) of the source is about, as the hover would show it: at a
 * column, the layer under it; on the whole line, the leftmost layer on it — the outermost call
 * of `x = self.pool(F.relu(self.conv1(x)))`, the constructor of `model.add(Conv2D(…))`, a line
 * inside a constructor's arguments.
 */
export function layerOnLine(
  result: AnalysisResult,
  source: string,
  line: number,
  column?: number,
): { hit: LayerHit; diagnostics: Diagnostic[]; offset: number } | null {
  const lines = new LineMap(source);
  const start = lines.offset(line, 1);
  const nl = source.indexOf('\n', start);
  const end = nl < 0 ? source.length : nl;
  if (lines.position(start).line !== line) return null;
  let hit: LayerHit | null = null;
  let offset = start;
  if (column !== undefined) {
    offset = start + column - 1;
    hit = offset <= end ? layerAt(result, offset) : null;
  } else
    for (let o = start; o < end && !hit; o++) {
      const c = source.charCodeAt(o);
      if (c !== 32 && c !== 9 && c !== 13) [hit, offset] = [layerAt(result, o), o];
    }
  if (!hit) return null;
  const r = hit.whole ? hit.model.range : hitRange(hit);
  const diagnostics = result.diagnostics.filter(
    (d) => (d.range.from >= r.from && d.range.to <= r.to) || (d.range.from >= start && d.range.from <= end),
  );
  return { hit, diagnostics, offset };
}
