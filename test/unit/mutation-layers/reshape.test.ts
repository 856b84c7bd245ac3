/**
 * Flatten, Keras Reshape and PyTorch view/reshape as a user sees them: output sizes and the
 * refusals with their messages against torch 1.13 (a (2, 3, 4, 5) input) and Keras 3.15, PyTorch's
 * own flatten errors, the receptive field a flatten keeps, symbolic sizes, the values a reshape
 * runs with, the equivalent and the panel row.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { equivalentCode, panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
/** a forward that returns `expr` of its input x; without an input, the shapes are symbolic */
const fwd = (expr: string, input: string | null = '2, 3, 4, 5') =>
  `import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x):\n        return ${expr}\nmodel = Net()\n` +
  (input ? `out = model(torch.randn(${input}))\n` : '');
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
/** the output shape as the hover writes it, the batch included */
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
/** severity, code, the source text marked, the message */
const messages = (src: string) =>
  analyze(src).diagnostics.map((d) => [d.severity, d.code, src.slice(d.range.from, d.range.to), diagnosticMessage(d)]);
function forward(src: string, shape: number[], data: number[]): { shape: number[]; data: number[] } {
  const graph = analyze(src).models[0]!;
  const out = runModel(graph, tensor(shape, data), () => new Float32Array(0)).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Flatten: sizes, errors, receptive field', () => {
  it.each([
    ['nn.Flatten()', ['N', '60']],
    ['nn.Flatten(2)', ['N', '3', '20']],
    ['nn.Flatten(1, 2)', ['N', '12', '5']],
    ['nn.Flatten(-2)', ['N', '3', '20']],
    ['nn.Flatten(-3, -2)', ['N', '12', '5']],
    ['nn.Flatten(0, 0)', ['N', '3', '4', '5']],
    ['nn.Flatten(3, 3)', ['N', '3', '4', '5']],
  ])('%s on (2, 3, 4, 5) gives %j (torch 1.13)', (layer, want) => {
    expect(shape(torch(layer, '2, 3, 4, 5'))).toEqual(want);
  });
  it('nn.Flatten(0, 0) runs to the same shape, (1, 2, 2, 3) (torch 1.13)', () => {
    expect(forward(torch('nn.Flatten(0, 0)', '1, 2, 2, 3'), [1, 2, 2, 3], iota(12)).shape).toEqual([1, 2, 2, 3]);
  });
  it.each([
    ['nn.Flatten(2, 1)', '2', 'flatten() has invalid args: start_dim cannot come after end_dim'],
    ['nn.Flatten(0, 7)', '7', 'Dimension out of range (expected to be in range of [-4, 3], but got 7)'],
    ['nn.Flatten(-5)', '-5', 'Dimension out of range (expected to be in range of [-4, 3], but got -5)'],
    ['nn.Flatten(1, -6)', '-6', 'Dimension out of range (expected to be in range of [-4, 3], but got -6)'],
    ['nn.Flatten(4)', '4', 'Dimension out of range (expected to be in range of [-4, 3], but got 4)'],
    ['nn.Flatten(1, 4)', '4', 'Dimension out of range (expected to be in range of [-4, 3], but got 4)'],
    ['nn.Flatten(1, 0)', '1', 'flatten() has invalid args: start_dim cannot come after end_dim'],
  ])('%s on (2, 3, 4, 5) is the error PyTorch raises, marked at %s (torch 1.13)', (layer, marked, detail) => {
    const src = torch(layer, '2, 3, 4, 5');
    expect(messages(src)).toEqual([['error', 'bad-argument', marked, `Flatten '0': ${detail}`]]);
    expect(last(src).outputShape).toBeNull();
  });
  it('nn.Flatten() of a 1-D input is out of range (torch 1.13: [-1, 0], got 1)', () => {
    const src = torch('nn.Flatten(0), nn.Flatten()', '2, 3');
    expect(messages(src).map((m) => m[3])).toEqual([
      "Flatten '1': Dimension out of range (expected to be in range of [-1, 0], but got 1)",
    ]);
  });
  it('Keras Flatten of a (batch,) input gives (batch, 1) and runs so (Keras 3)', () => {
    const src = keras('layers.Flatten()', '()');
    expect(shape(src)).toEqual(['None', '1']);
    expect(last(src).paramsFormula).toBe('0');
    expect(forward(src, [2], [1, 2])).toEqual({ shape: [2, 1], data: [1, 2] });
  });
  it('a flatten that keeps the spatial axes apart keeps the receptive field; one over the channels drops it', () => {
    const conv = 'nn.Conv2d(3, 3, 3, stride=2), ';
    expect(last(torch(`${conv}nn.Flatten(3)`, '1, 3, 9, 9')).receptiveField).toEqual({ size: [3, 3], jump: [2, 2] });
    expect(last(torch(`${conv}nn.Flatten(2)`, '1, 3, 9, 9')).receptiveField).toEqual({ size: [3, 3], jump: [2, 2] });
    expect(last(torch(`${conv}nn.Flatten(1)`, '1, 3, 9, 9')).receptiveField).toBeNull();
    expect(last(torch(`${conv}nn.Flatten(0)`, '1, 3, 9, 9')).receptiveField).toBeNull();
  });
  it('flatten has no parameters and the formula 0', () => {
    const n = last(torch('nn.Flatten(2)', '2, 3, 4, 5'));
    expect([n.params, n.paramsFormula]).toEqual([0, '0']);
  });
  it('nn.Flatten(1, 2) and nn.Flatten(-2) run to the sizes PyTorch gives, in memory order', () => {
    expect(forward(torch('nn.Flatten(1, 2)', '1, 2, 2, 3'), [1, 2, 2, 3], iota(12))).toEqual({
      shape: [1, 4, 3],
      data: iota(12),
    });
    expect(forward(torch('nn.Flatten(-2)', '1, 2, 2, 3'), [1, 2, 2, 3], iota(12)).shape).toEqual([1, 2, 6]);
  });
  it('the equivalent flattens the other layout, and the panel shows a flatten row', () => {
    expect(equivalentCode(last(keras('layers.Flatten()', '(2, 2, 3)')))).toBe(
      'nn.Flatten()  # PyTorch flattens (C, H, W): channel by channel, not pixel by pixel as Keras (H, W, C)',
    );
    expect(equivalentCode(last(torch('nn.Flatten()', '1, 3, 2, 2')))).toBe(
      'layers.Flatten()  # Keras flattens (H, W, C): all channels of a pixel together, not channel by channel as PyTorch',
    );
    expect(panelSpec(last(torch('nn.Flatten()', '1, 3, 2, 2')))).toEqual({ kind: 'flatten', row: 'flatten' });
    expect(panelSpec(last(fwd('x.view(x.size(0), -1)')))).toEqual({ kind: 'flatten', row: 'flatten' });
    expect(equivalentCode(last(fwd('x.view(x.size(0), -1)')))).toBeNull();
  });
});

describe('Keras Reshape (Keras 3.15, input (4, 6))', () => {
  it('Reshape((-1, 3)) gives (None, 8, 3); Reshape((2, 12)) (None, 2, 12); formula 0', () => {
    expect(shape(keras('layers.Reshape((-1, 3))', '(4, 6)'))).toEqual(['None', '8', '3']);
    expect(shape(keras('layers.Reshape((2, 12))', '(4, 6)'))).toEqual(['None', '2', '12']);
    expect(last(keras('layers.Reshape((2, 12))', '(4, 6)')).paramsFormula).toBe('0');
    expect(last(keras('layers.Reshape((-1, 3))', '(4, 6)')).paramsFormula).toBe('0');
  });
  it.each([
    ['(-1, -1)', '(-1, -1, -1)'],
    ['(5, -1)', '(-1, 5, -1)'],
    ['(5, 5)', '(-1, 5, 5)'],
    ['(2, 3)', '(-1, 2, 3)'],
  ])('Reshape(%s) is refused, as Keras raises', (target, shown) => {
    const src = keras(`layers.Reshape(${target})`, '(4, 6)');
    expect(messages(src).map((m) => [m[0], m[1], m[3]])).toEqual([
      ['error', 'reshape-mismatch', `Reshape 'reshape': cannot reshape 24 (per sample) values into ${shown}`],
    ]);
  });
  it('on an unknown length: Reshape((2, 3)) gives (None, 2, 3), Reshape((-1, 3)) leaves the length unknown (Keras: None)', () => {
    expect(shape(keras('layers.Reshape((2, 3))', '(None, 6)'))).toEqual(['None', '2', '3']);
    const n = last(keras('layers.Reshape((-1, 3))', '(None, 6)'));
    // H rows of 6 values, 3 to a row: 6·H/3 rows
    expect([dimText(n.outputShape![1]!), n.outputShape![2], n.paramsFormula]).toEqual(['6*H/3', 3, '0']);
  });
  it('Reshape((-1, 3)) runs row by row, each sample on its own: batch 2 of 2×3 → 2×2×3', () => {
    expect(forward(keras('layers.Reshape((-1, 3))', '(3, 2)'), [2, 3, 2], iota(12))).toEqual({
      shape: [2, 2, 3],
      data: iota(12),
    });
  });
});

describe('PyTorch view and reshape (torch 1.13, input (2, 3, 4, 5))', () => {
  it.each([
    ['x.view(x.size(0), -1)', ['N', '60']],
    ['x.view(x.size(0), 60)', ['N', '60']],
    ['x.view(x.size(0), 3, -1)', ['N', '3', '20']],
    ['x.view(x.size(0), -1, 4, 5)', ['N', '3', '4', '5']],
    ['x.reshape(x.size(0), 2, -1)', ['N', '2', '30']],
    ['x.view(-1, 60)', ['N', '60']],
    ['x.view(-1, 30)', ['N*2', '30']],
    ['torch.reshape(x, (-1, 12, 5))', ['N', '12', '5']],
    // a view with an explicit batch makes every size known: (6, 20), then on from there
    ['x.view(6, 20).view(6, 4, 5)', ['6', '4', '5']],
    ['x.view(6, 20).view(-1, 10)', ['12', '10']],
    ['x.view(6, 20).view(4, -1)', ['4', '30']],
    ['x.view(6, 20).view(6, -1, 2)', ['6', '10', '2']],
    ['x.view(6, 20).view(5, 24)', ['5', '24']],
    ['x.view(6, 20).view(120)', ['120']],
    ['x.view(6, 20).view(6, 20)', ['6', '20']],
    ['x.view(6, 20).view(8, -1)', ['8', '15']],
    ['x.view(6, 20).view(-1, 60)', ['2', '60']],
  ])('%s gives %j, formula 0', (expr, want) => {
    expect(shape(fwd(expr))).toEqual(want);
    expect(last(fwd(expr)).paramsFormula).toBe('0');
  });
  it.each([
    ['x.view(x.size(0), 50)', '60', '(N, 50)'],
    ['x.view(x.size(0), 30)', '60', '(N, 30)'],
    ['x.view(6, 20).view(4, 6)', '20', '(4, 6)'],
    ['x.view(x.size(0), 7, -1)', '60', '(N, 7, -1)'],
    ['x.view(x.size(0), -1, -1)', '60', '(N, -1, -1)'],
    ['x.view(-1, 7)', '60', '(-1, 7)'],
    ['x.view(6, 20).view(7, -1)', '20', '(7, -1)'],
    ['x.view(6, 20).view(5, 5)', '20', '(5, 5)'],
    ['x.view(6, 20).view(6, 7, -1)', '20', '(6, 7, -1)'],
    ['x.view(6, 20).view(6, 3, 7)', '20', '(6, 3, 7)'],
    ['x.view(6, 20).view(-1, 7)', '20', '(-1, 7)'],
  ])('%s is refused, as PyTorch raises', (expr, size, target) => {
    expect(messages(fwd(expr)).map((m) => [m[0], m[1], m[3]])).toEqual([
      ['error', 'reshape-mismatch', `view: cannot reshape ${size} (per sample) values into ${target}`],
    ]);
  });
  it('on symbolic sizes (no example input): the rest of the sample, or its share', () => {
    expect(shape(fwd('x.view(x.size(0), -1)', null))).toEqual(['N', 'C*H*W']);
    expect(shape(fwd('x.view(x.size(0), 4, -1)', null))).toEqual(['N', '4', 'C*H*W/4']);
    expect(shape(fwd('x.view(x.size(0), 4, 5)', null))).toEqual(['N', '4', '5']);
    expect(shape(fwd('x.view(-1, 7)', null))).toEqual(['N', '7']);
    expect(shape(fwd('x.view(6, -1)', null))).toEqual(['6', '?']);
    for (const e of ['x.view(x.size(0), -1)', 'x.view(x.size(0), 4, -1)', 'x.view(-1, 7)', 'x.view(6, -1)'])
      expect(last(fwd(e, null)).paramsFormula).toBe('0');
  });
  it('x.view(x.size(0), -1, 6) on (2, 3, 4) runs sample by sample; x.view(-1, 6) makes 4 rows', () => {
    expect(forward(fwd('x.view(x.size(0), -1, 6)', '2, 3, 4'), [2, 3, 4], iota(24))).toEqual({
      shape: [2, 2, 6],
      data: iota(24),
    });
    expect(forward(fwd('x.view(-1, 6)', '2, 3, 4'), [2, 3, 4], iota(24)).shape).toEqual([4, 6]);
    expect(forward(fwd('x.view(6, 4).view(3, -1)', '2, 3, 4'), [2, 3, 4], iota(24)).shape).toEqual([3, 8]);
  });
  it('a view keeps the receptive field, has no parameters and the formula 0', () => {
    const n = last(fwd('x.view(x.size(0), 3, -1)'));
    expect([n.params, n.paramsFormula, n.receptiveField]).toEqual([0, '0', { size: [1, 1], jump: [1, 1] }]);
  });
});
