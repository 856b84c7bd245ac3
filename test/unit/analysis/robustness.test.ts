/**
 * The analyzer never throws and never hangs: truncated and mutated sources (property-based,
 * fast-check), binary junk, deep nesting, huge files and runaway loops all give a result, and
 * a capped analysis says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { MAX_SOURCE_CHARS } from '../../../src/analysis/python/parse';

const sources = ['keras', 'torch'].flatMap((d) =>
  readdirSync(join('test/fixtures/models', d))
    .filter((f) => f.endsWith('.py'))
    .map((f) => readFileSync(join('test/fixtures/models', d, f), 'utf8')),
);

function wellFormed(r: ReturnType<typeof analyze>): void {
  expect(Array.isArray(r.models)).toBe(true);
  for (const d of r.diagnostics) {
    expect(d.range.from).toBeLessThanOrEqual(d.range.to);
    expect(typeof d.code).toBe('string');
  }
}

describe('analyzer robustness', () => {
  it('any prefix of a real model file (truncated while typing)', () => {
    fc.assert(
      fc.property(fc.nat(sources.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), (i, frac) => {
        const src = sources[i]!;
        wellFormed(analyze(src.slice(0, Math.floor(src.length * frac))));
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('random edits: characters deleted, duplicated or replaced with brackets and operators', () => {
    const junk = '()[]{}:,=+-*/#\'"\\\n\t x0._@';
    fc.assert(
      fc.property(
        fc.nat(sources.length - 1),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(junk.length - 1), fc.nat(3)), {
          maxLength: 20,
        }),
        (i, edits) => {
          let src = sources[i]!;
          for (const [pos, ch, op] of edits) {
            const p = Math.floor(pos * src.length);
            src =
              op === 0
                ? src.slice(0, p) + src.slice(p + 5)
                : op === 1
                  ? src.slice(0, p) + src.slice(p, p + 40) + src.slice(p)
                  : src.slice(0, p) + junk[ch] + src.slice(p + 1);
          }
          wellFormed(analyze(src));
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('binary junk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) =>
        wellFormed(analyze(Buffer.from(bytes).toString('latin1'))),
      ),
      { numRuns: 100, seed: 1 },
    );
  });

  it('deep nesting: 50,000 parentheses and 3,000 nested blocks', () => {
    const r1 = analyze(
      `x = ${'('.repeat(50_000)}1${')'.repeat(50_000)}\nimport torch.nn as nn\nm = nn.Sequential(nn.ReLU())\n`,
    );
    wellFormed(r1);
    const nested = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}if True:`).join('\n');
    wellFormed(analyze(`${nested}\n${' '.repeat(3000)}pass\n`));
  });

  it('a file over the size cap is analyzed up to the cap and says so', () => {
    const line = 'x = 1  # padding line for a very large generated file......................\n';
    const src = `import torch.nn as nn\nm = nn.Sequential(nn.Linear(4, 2))\n${line.repeat(Math.ceil(MAX_SOURCE_CHARS / line.length) + 10)}`;
    const r = analyze(src);
    expect(r.capped).toMatch(/only the first \d+ lines/);
    expect(r.diagnostics[0]!.code).toBe('file-capped');
    expect(r.models.map((m) => m.name)).toEqual(['m']);
  });

  it('runaway loops and recursion stop at the caps', () => {
    const r = analyze(
      `import torch.nn as nn\nlayers = []\nfor i in range(10**9):\n    layers.append(nn.ReLU())\ndef f(n):\n    return f(n + 1)\nf(0)\n`,
    );
    wellFormed(r);
    expect(r.capped).not.toBeNull();
    const r2 = analyze(`def f(n):\n    return f(n + 1)\nf(0)\nimport torch.nn as nn\nm = nn.Sequential(nn.ReLU())\n`);
    expect(r2.models).toHaveLength(1);
  });

  it('a list that doubles itself forever is capped', () => {
    const r = analyze(`a = [1]\nfor i in range(100):\n    a = a + a\n`);
    wellFormed(r);
  });

  it('regular expressions that backtrack without end are not run: the values are unknown', () => {
    // each of these takes exponential or high-polynomial time on a long run of 'a's in a backtracking engine
    const hostile = [String.raw`(a|a)*b`, String.raw`((a)*)*b`, String.raw`(a+)+b`, String.raw`a*a*a*a*b`];
    const src = [
      'import re',
      "s = 'a' * 5000",
      ...hostile.map((p, i) => `m${i} = re.match(r'${p}', s)`),
      "ok = re.split(r'(\\d.*)', 'k3')",
      '',
    ].join('\n');
    const r = analyze(src);
    wellFormed(r);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('zip() of nothing is empty, and zip(*x) of an unknown x is unknown (both once looped without end)', () => {
    // Python: list(zip()) == []; `cfg` comes from a module that is not read, so zip(*cfg) is unknown
    const r = analyze(`from .cfg import cfg\npairs = zip(*cfg)\nnone = list(zip())\nn = len(none)\n`);
    wellFormed(r);
    expect(r.capped).toBeNull();
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('60,000 stacked decorators (a 180 KB file) are read in one pass, not once per line', () => {
    // quadratic before: every line re-checked the whole decorator run (20,000 took 8 s, 60,000 minutes)
    const src = '@d\n'.repeat(60_000) + 'def f():\n    pass\n\nimport torch.nn as nn\nm = nn.Sequential(nn.ReLU())\n';
    const r = analyze(src);
    wellFormed(r);
    expect(r.models.map((m) => m.name)).toEqual(['m']);
  });
});
