/**
 * Names from a user's source or file shown in a hover (Markdown) or a terminal: they must stay
 * text. A layer name can neither make a link or load an image in the hover, nor leave its code
 * span, nor colour the terminal or forge a line of `convlens check`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { main } from '../../../src/cli/main';
import { builtLayersMarkdown } from '../../../src/present/builtLayers';
import { hoverMarkdown, layerAt } from '../../../src/present/hover';
import { markdownCode, markdownText, printable, terminalSafe } from '../../../src/shared/text';

const LINK = 'x** [Click](https://e.x) ![t](https://e.x/p.png) **y';
const TICKS = 'a`` `b<img src=x>';
const SRC = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    layers.Conv2D(2, 3, name='${LINK}'),
    layers.Conv2D(2, 3, name='${TICKS}'),
    layers.Flatten(name='f\\x1b[31mred\\nm.py:1:1: error: forged'),
])
`;

/** Markdown with every backslash-escaped character and every code span removed: what is left
 *  is what a renderer could read as markup. */
function markupLeft(md: string): string {
  return md.replace(/\\[!-/:-@[-`{-~]/g, '').replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

describe('names in the hover are text, not Markdown', () => {
  it('markdownText escapes links, images, emphasis, HTML, autolinks; markdownCode fences any backticks', () => {
    const t = markdownText(LINK);
    expect(markupLeft(t)).not.toMatch(/[[\]<>`*_]|https:\/\//);
    expect(markdownText('www.e.x mail@e.x $(zap)')).toBe('www\\.e.x mail\\@e.x \\$(zap)');
    expect(markdownText('# title')).toBe('\\# title');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a\nb')).toBe('`a\\u000ab`');
  });

  it('the hover of a layer named like a link shows the name, escaped', () => {
    const r = analyze(SRC);
    for (const needle of ["Conv2D(2, 3, name='x", "Conv2D(2, 3, name='a"]) {
      const hit = layerAt(r, SRC.indexOf(needle) + 1)!;
      expect(hit).not.toBeNull();
      const md = hoverMarkdown(hit, 'en', [], null);
      const left = markupLeft(md);
      expect(left).not.toMatch(/\]\(|<img|https:\/\//);
      // the only emphasis is ours: the name's own ** are escaped
      expect(md.split('\n')[0]).toMatch(/^\*\*.*\*\* · `Conv2D`/);
      expect(md).not.toContain('\x1b');
    }
    const built = builtLayersMarkdown(r.models[0]!.layers, 'keras', 'en');
    expect(markupLeft(built)).not.toMatch(/\]\(|<img|https:\/\//);
  });
});

describe('names in the terminal are one line, without escape sequences', () => {
  it('printable and terminalSafe', () => {
    expect(printable('a\x1b[31m\nb\u202e')).toBe('a\\u001b[31m\\u000ab\\u202e');
    expect(terminalSafe('line 1\nline\x9b2\t.')).toBe('line 1\nline\\u009b2\t.');
    expect(printable('x'.repeat(200))).toHaveLength(121);
  });

  it('summary, check and explain print the names escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-inject-'));
    const file = join(dir, 'm.py');
    writeFileSync(file, SRC);
    for (const argv of [
      ['summary', file],
      ['check', file],
      ['explain', file, '--line', '7'],
    ]) {
      const out: string[] = [];
      await main(argv, { out: (s) => out.push(s), err: (s) => out.push(s) });
      const text = out.join('\n');
      expect(text, argv[0]).not.toContain('\x1b');
      expect(text.split('\n').some((l) => l.startsWith('m.py:1:1'))).toBe(false);
      if (argv[0] !== 'check') expect(text).toContain('f\\u001b[31mred\\u000am.py:1:1: error: forged');
    }
  });
});
