/**
 * The hover on a constructor inside a function that builds layers for its callers (`def
 * conv3x3(…): return nn.Conv2d(…)`): the layers it built, each with its name and output shape.
 * Each layer's own hover is at the call of the function that built it.
 */
import type { Framework } from '../model/conventions';
import type { Locale } from '../model/diagnostics';
import type { LayerNode } from '../model/ir';
import { markdownCode, markdownText } from '../shared/text';
import { countText, shapeNotation } from './notation';
import { strings } from './strings';

/** Layers listed before "… +n". */
const MAX_LISTED = 24;

export function builtLayersMarkdown(built: readonly LayerNode[], framework: Framework, locale: Locale): string {
  const rows = built
    .slice(0, MAX_LISTED)
    .map(
      (l) =>
        `- **${markdownText(l.name)}** · ${markdownCode(l.spec.type)} · ${markdownCode(shapeNotation(l.outputShape, framework))} · ${countText(l.params)}`,
    );
  const more = built.length > MAX_LISTED ? [`- … +${built.length - MAX_LISTED}`] : [];
  return [strings(locale).builtHere(built.length), '', ...rows, ...more].join('\n');
}
