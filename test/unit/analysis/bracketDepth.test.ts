/**
 * Brackets nested deeper than CPython's tokenizer allows (200; `compile()` of 201 nested
 * parentheses raises "SyntaxError: too many nested parentheses" in Python 3.11, 200 compiles) are
 * not handed to the parser, whose recursion would overflow the stack: the statement is skipped
 * with a note, and the rest of the file is analyzed.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { bracketDepth, MAX_NESTED_BRACKETS, parsePython } from '../../../src/analysis/python/parse';

const MODEL = 'import torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(3, 8, 3))\n# convlens: input_shape=(3, 32, 32)\n';

describe('bracket nesting', () => {
  it('bracketDepth counts brackets outside strings and comments', () => {
    expect(bracketDepth('f((1), [2, {3: (4)}])')).toBe(4);
    expect(bracketDepth(`x = "((((" + '''[[[\n(((''' + "\\"(" # (((((`)).toBe(0);
    expect(bracketDepth('))) (')).toBe(1);
  });

  it('200 nested parentheses are analyzed as Python compiles them; 201 are skipped with a note', () => {
    expect(MAX_NESTED_BRACKETS).toBe(200);
    const at = (n: number) => `x = ${'('.repeat(n)}1${')'.repeat(n)}\n${MODEL}`;
    expect(parsePython(at(200)).capped).not.toMatch(/brackets nested deeper/);
    expect(parsePython(at(201)).capped).toBe(
      'a statement with brackets nested deeper than 200 levels (a syntax error in Python) was not analyzed',
    );
  });

  it('50,000 nested parentheses: the model after them is found, no stack overflow', () => {
    const r = analyze(`x = ${'('.repeat(50_000)}1${')'.repeat(50_000)}\n${MODEL}`);
    expect(r.models.map((m) => m.totalParams)).toEqual([3 * 8 * 9 + 8]);
    expect(r.diagnostics.map((d) => d.args.detail)).toEqual([
      'a statement with brackets nested deeper than 200 levels (a syntax error in Python) was not analyzed',
    ]);
  });
});
