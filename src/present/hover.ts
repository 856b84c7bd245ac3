/**
 * The hover for a layer: its name and type, input → output shape in the framework's notation,
 * the output-size arithmetic with the user's own numbers, its arguments explained in the
 * chapter's terms, parameters with their formula, FLOPs, receptive field, and the diagnostics on
 * the layer. Pure: VS Code only renders the Markdown. The facts are `explain.ts`'s, which
 * `convlens explain` prints as plain text.
 */
import type { AxisGeometry } from '../engine/geometry';
import type { Framework } from '../model/conventions';
import type { Diagnostic, Locale } from '../model/diagnostics';
import { axisSizeLine, factsMarkdown, hoverFacts } from './explain';
import type { LayerHit } from './notation';

export { layerAt, shapeNotation, type LayerHit } from './notation';

/** One axis of the output-size arithmetic as Markdown, the result in bold. */
export function axisArithmetic(a: AxisGeometry, framework: Framework, locale: Locale): string {
  const l = axisSizeLine(a, framework, locale);
  return `${l.expression} = **${l.result}**${l.note ? `, ${l.note}` : ''}`;
}

export function hoverMarkdown(
  hit: LayerHit,
  locale: Locale,
  diagnosticsHere: Diagnostic[],
  visualizeLink: string | null,
): string {
  return factsMarkdown(hoverFacts(hit, locale, diagnosticsHere), visualizeLink);
}
