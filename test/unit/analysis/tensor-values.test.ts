/**
 * Small tensors of numbers against real PyTorch (scripts/gen-torch-values.py): each expression is
 * run by the analyzer's interpreter and its value, as Python would see it (`.tolist()`, `.item()`),
 * must equal what PyTorch computed — float32 rounding at every step, dtype promotion, round()
 * halves to even, integer division rounding down, and torchvision RegNet's stage widths.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FRAMEWORK_HOOKS } from '../../../src/analysis/frameworks/calls';
import { Interpreter } from '../../../src/analysis/interp/interpreter';
import type { Value } from '../../../src/analysis/interp/values';
import { parsePython } from '../../../src/analysis/python/parse';

type Plain = number | boolean | string | null | Plain[];

const oracle = JSON.parse(readFileSync('test/fixtures/torch/tensor_values.json', 'utf8')) as {
  cases: { expr: string; value: Plain }[];
};

function plain(v: Value): Plain {
  switch (v.t) {
    case 'num':
    case 'bool':
      return v.v;
    case 'list':
    case 'tuple':
      return v.items.map(plain);
    default:
      return `<${v.t}>`;
  }
}

function evaluate(expr: string): Plain {
  const source = `import math\nimport torch\nv = ${expr}\n`;
  const ip = new Interpreter(FRAMEWORK_HOOKS, source);
  ip.runModule(parsePython(source));
  return plain(ip.globals.vars.get('v') ?? { t: 'unknown' });
}

describe('tensors of numbers computed as PyTorch computes them', () => {
  it('has the oracle cases', () => {
    expect(oracle.cases.length).toBeGreaterThan(40);
  });
  for (const c of oracle.cases) {
    it(c.expr, () => {
      expect(evaluate(c.expr)).toEqual(c.value);
    });
  }
});

describe('what is not known stays unknown, never an error', () => {
  it.each([
    ['torch.randn(3).tolist()', '<unknown>'],
    ['torch.arange(10000).tolist()', '<unknown>'],
    ['(torch.tensor([1, 2]) + torch.tensor([1, 2, 3])).tolist()', '<unknown>'],
    ['(torch.tensor([4, 2]) // torch.tensor([2, 0])).tolist()', '<unknown>'],
    ['torch.ones(2) * missing_value', '<unknown>'],
    ['torch.arange(6).view(4, -1).tolist()', '<unknown>'],
    ['torch.arange(10000).numel()', 10000],
    ['torch.arange(10000)[0]', '<tensor>'],
  ])('%s → %s', (expr, want) => {
    expect(evaluate(expr)).toEqual(want);
  });
});
