/**
 * The hover for a layer: its name and type, input → output shape in the framework's notation,
 * the output-size arithmetic with the user's own numbers, parameters with their formula, FLOPs,
 * receptive field, and the diagnostics on the layer. Pure: VS Code only renders the Markdown.
 */
import type { AxisGeometry } from '../engine/geometry';
import { conventions, type Framework } from '../model/conventions';
import { diagnosticMessage, type Diagnostic, type Locale } from '../model/diagnostics';
import type { LayerNode } from '../model/ir';
import { dimText } from '../shared/dims';
import { countText, flopsText, modelFlops, modelShapes, modulePath, shapeNotation, type LayerHit } from './notation';
import { strings } from './strings';

export { layerAt, shapeNotation, type LayerHit } from './notation';

/** One axis of the output-size arithmetic, with the numbers written as the framework computes them. */
export function axisArithmetic(a: AxisGeometry, framework: Framework, locale: Locale): string {
  const t = strings(locale);
  const eff = a.dilation > 1 ? `${a.dilation}·(${a.kernel} − 1) + 1` : String(a.kernel);
  if (a.mode === 'same') {
    return `${t.sameMode}: ⌈${a.inSize} / ${a.stride}⌉ = **${a.out}**, ${t.pad} ${a.padBefore}/${a.padAfter}`;
  }
  // Keras writes 'valid' as a mode; PyTorch's zero padding reads as its own formula below
  if (a.mode === 'valid' && conventions(framework).channelsLast) {
    const exact = (a.inSize - a.effectiveKernel) % a.stride === 0;
    const body = `(${a.inSize} − ${eff}) / ${a.stride} + 1`;
    return `${t.validMode}: ${exact ? body : `⌊(${a.inSize} − ${eff}) / ${a.stride}⌋ + 1`} = **${a.out}**`;
  }
  if (a.mode === 'causal')
    return `'causal': ⌊(${a.inSize} + ${a.padBefore} − ${eff}) / ${a.stride}⌋ + 1 = **${a.out}**`;
  // PyTorch's formula: ⌊(in + 2p − d·(k − 1) − 1) / s⌋ + 1 (⌈ ⌉ with ceil_mode)
  const [l, r] = a.ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const pads =
    a.padBefore === a.padAfter ? (a.padBefore ? ` + 2·${a.padBefore}` : '') : ` + ${a.padBefore} + ${a.padAfter}`;
  const dil = `${a.dilation}·(${a.kernel} − 1)`;
  return `${l}(${a.inSize}${pads} − ${dil} − 1) / ${a.stride}${r} + 1 = **${a.out}**`;
}

function sizeLines(layer: LayerNode, locale: Locale): string[] {
  const g = layer.geometry;
  const fw = layer.spec.framework;
  if (!g) return [];
  const h = axisArithmetic(g.h, fw, locale);
  const w = axisArithmetic(g.w, fw, locale);
  if (g.h.inSize === 1 && layer.spec.cfg.kind !== 'conv') return [w];
  if (h.replace(/\*\*/g, '') === w.replace(/\*\*/g, '')) return [`${h} (H, W)`];
  return [`H: ${h}`, `W: ${w}`];
}

export function hoverMarkdown(
  hit: LayerHit,
  locale: Locale,
  diagnosticsHere: Diagnostic[],
  visualizeLink: string | null,
): string {
  if (hit.whole) return modelMarkdown(hit, locale, diagnosticsHere, visualizeLink);
  const t = strings(locale);
  const { layer, model } = hit;
  const fw = model.framework;
  const out: string[] = [];
  const fwName = conventions(fw).displayName;
  const title = layer.spec.functional ? `\`${layer.spec.type}\`` : `**${layer.name}** · \`${layer.spec.type}\``;
  out.push(`${title} — ${model.name} (${fwName})${hit.calls > 1 ? ` · ${t.calledTimes(hit.calls)}` : ''}`);
  out.push('');
  const ins = layer.inputShapes.length ? layer.inputShapes.map((s) => shapeNotation(s, fw)).join(' + ') : '?';
  out.push(
    layer.outputShape ? `\`${ins}\` → \`${shapeNotation(layer.outputShape, fw)}\`` : `\`${ins}\` → ? (${t.stopped})`,
  );
  const lines = sizeLines(layer, locale);
  if (lines.length) {
    out.push('');
    out.push(`${t.outputSize}: ${lines.join('  \n')}`);
  }
  const facts: string[] = [];
  if (layer.params !== null && !layer.spec.functional && layer.params > 0) {
    const nt =
      layer.trainableParams !== null && layer.trainableParams < layer.params
        ? ` (${t.nonTrainable(countText(layer.params - layer.trainableParams))})`
        : '';
    facts.push(
      `${t.params}: ${layer.paramsFormula && layer.paramsFormula !== '0' ? `${layer.paramsFormula} = ` : ''}**${countText(layer.params)}**${nt}`,
    );
  }
  if (layer.buffers && !layer.spec.functional) {
    // PyTorch keeps running statistics as buffers: stored in the state dict, not in parameters()
    facts.push(`${t.buffers}: **${countText(layer.buffers)}** (${conventions(fw).statisticsName}; ${t.notParameters})`);
  }
  if (layer.flops) facts.push(`${t.flops}: ${flopsText(layer.flops)}`);
  if (layer.receptiveField) {
    const rf = layer.receptiveField;
    const size = rf.size.every((s) => s === rf.size[0]) ? `${rf.size[0]}×${rf.size[0]}` : rf.size.join('×');
    facts.push(`${t.receptiveField}: ${size}, ${t.jump} ${rf.jump.map((j) => Number(j.toFixed(3))).join('×')}`);
  }
  if (layer.spec.cfg.kind === 'flatten' && layer.inputShapes[0] && layer.inputShapes[0].length === 4) {
    const s = layer.inputShapes[0];
    facts.push(
      `${s.slice(1).map(dimText).join(' × ')} = ${layer.outputShape ? dimText(layer.outputShape[1]!) : '?'} (${t.flattenOrder(conventions(fw).channelsLast)})`,
    );
  }
  if (facts.length) {
    out.push('');
    out.push(facts.join('  \n'));
  }
  for (const d of diagnosticsHere) {
    out.push('');
    out.push(`${severityIcon(d)} ${escapeMd(diagnosticMessage(d, locale))}`);
  }
  if (visualizeLink) {
    out.push('');
    out.push(`[$(graph) ${t.visualize}](${visualizeLink} "${t.visualizeTitle}")`);
  }
  return out.join('\n');
}

/**
 * The hover on a call that built a whole model in another module (`torchvision.models.resnet18()`):
 * the model's input → output, its parameters, buffers, FLOPs and layer count, as the summary's
 * footer gives them.
 */
function modelMarkdown(
  hit: LayerHit,
  locale: Locale,
  diagnosticsHere: Diagnostic[],
  visualizeLink: string | null,
): string {
  const t = strings(locale);
  const { model } = hit;
  const fw = model.framework;
  const file = model.layers.find((l) => !l.spec.functional)?.spec.file ?? model.layers[0]?.spec.file ?? '';
  const out: string[] = [`**${model.name}** — ${t.modelBuiltIn(conventions(fw).displayName, modulePath(file))}`, ''];
  const { input, output } = modelShapes(model);
  out.push(
    output
      ? `\`${shapeNotation(input, fw)}\` → \`${shapeNotation(output, fw)}\``
      : `\`${shapeNotation(input, fw)}\` → ? (${t.stopped})`,
  );
  const facts: string[] = [];
  if (model.totalParams !== null) {
    const nt =
      model.trainableParams !== null && model.trainableParams < model.totalParams
        ? ` (${t.nonTrainable(countText(model.totalParams - model.trainableParams))})`
        : '';
    facts.push(`${t.params}: **${countText(model.totalParams)}**${nt}`);
  }
  if (model.buffers)
    facts.push(`${t.buffers}: **${countText(model.buffers)}** (${conventions(fw).statisticsName}; ${t.notParameters})`);
  const flops = modelFlops(model);
  if (flops) facts.push(`${t.flops}: ${flopsText(flops)}`);
  facts.push(t.layerCount(model.layers.filter((l) => !l.spec.functional).length));
  out.push('', facts.join('  \n'));
  for (const d of diagnosticsHere) out.push('', `${severityIcon(d)} ${escapeMd(diagnosticMessage(d, locale))}`);
  if (visualizeLink) out.push('', `[$(graph) ${t.visualize}](${visualizeLink} "${t.visualizeTitle}")`);
  return out.join('\n');
}

function severityIcon(d: Diagnostic): string {
  return d.severity === 'error' ? '$(error)' : d.severity === 'warning' ? '$(warning)' : '$(info)';
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}
