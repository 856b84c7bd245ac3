/**
 * Merges as a user sees them: Keras Add/Subtract/Multiply/Average/Maximum/Minimum shapes (the batch
 * set apart, the rest aligned on the right) and values, broadcast or not, with a batch of 2 (Keras
 * 3.15); Concatenate and torch.cat/torch.stack sizes, refusals and values (torch 1.13); the panel.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

/** a Keras functional model of two inputs merged by `op` */
const two = (op: string, a: string, b: string) =>
  `from tensorflow import keras\nfrom tensorflow.keras import layers\na = keras.Input(shape=${a})\nb = keras.Input(shape=${b})\nout = layers.${op}([a, b])\nmodel = keras.Model([a, b], out)\n`;
/** a Keras functional model of one (2, 3) input x and g, its average over the 2 steps, (N, 3) */
const withMean = (expr: string) =>
  `from tensorflow import keras\nfrom tensorflow.keras import layers\nx = keras.Input(shape=(2, 3))\ng = layers.GlobalAveragePooling1D()(x)\nout = ${expr}\nmodel = keras.Model(x, out)\n`;
/** a PyTorch forward returning `expr` of x and self.c(x), a 1×1 convolution to 5 channels */
const net = (expr: string) =>
  `import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 5, 1)\n    def forward(self, x):\n        return ${expr}\nmodel = Net()\nout = model(torch.randn(2, 3, 4, 4))\n`;
const small = (expr: string) =>
  `import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x):\n        return ${expr}\nmodel = Net()\nout = model(torch.randn(1, 2, 2))\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
function forward(src: string, shape: number[], data: number[]): { shape: number[]; data: number[] } {
  const graph = analyze(src).models[0]!;
  const out = runModel(graph, tensor(shape, data), () => new Float32Array(0)).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const close = (got: number[], want: number[]) => {
  expect(got).toHaveLength(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
};

// two samples of (2, 3); their means over the steps are (2.5, 3.5, 4.5) and (1, 1, 4)
const D = [1, 2, 3, 4, 5, 6, -1, 0, 7, 3, 2, 1];

describe('Keras element-wise merges: shapes (Keras 3.15)', () => {
  it.each([
    ['Add()', '(2, 3)', '(3,)', ['None', '2', '3']],
    ['Add()', '(3,)', '(2, 3)', ['None', '2', '3']],
    ['Multiply()', '(4, 4, 8)', '(8,)', ['None', '4', '4', '8']],
    ['Multiply()', '(4, 4, 8)', '(1, 1, 8)', ['None', '4', '4', '8']],
    ['Add()', '(2, 1)', '(2, 3)', ['None', '2', '3']],
    ['Add()', '(2, 3)', '(1, 3)', ['None', '2', '3']],
    ['Maximum()', '(2, 3)', '(2, 3)', ['None', '2', '3']],
  ])('%s of %s and %s gives %j', (op, a, b, want) => {
    expect(shape(two(op, a, b))).toEqual(want);
  });
  it('a size Keras does not know stays unknown, against a size or against 1 (Keras: None)', () => {
    for (const [a, b] of [
      ['(None, 3)', '(2, 3)'],
      ['(2, 3)', '(None, 3)'],
      ['(2, 1)', '(None, 3)'],
      ['(None, 3)', '(1, 3)'],
      ['(1, 3)', '(None, 3)'],
      ['(None, 3)', '(None, 3)'],
    ]) {
      const out = last(two('Add()', a!, b!)).outputShape!;
      expect(typeof out[1], `${a} + ${b}`).toBe('object');
      expect(out[2]).toBe(3);
    }
  });
  it('sizes that cannot broadcast are refused, as Keras raises (incompatible shapes)', () => {
    expect(messages(two('Add()', '(2, 3)', '(4, 3)'))).toEqual([
      ['error', 'merge-mismatch', "Add 'add': cannot add shapes (None, 2, 3) and (None, 4, 3)"],
    ]);
    expect(messages(two('Multiply()', '(2, 3)', '(2,)'))).toEqual([
      ['error', 'merge-mismatch', "Multiply 'multiply': cannot multiply shapes (None, 2, 3) and (None, 2)"],
    ]);
    expect(last(two('Add()', '(2, 3)', '(4, 3)')).outputShape).toBeNull();
  });
  it('Subtract takes exactly two inputs (Keras 3 raises on three)', () => {
    const src = `from tensorflow import keras\nfrom tensorflow.keras import layers\nx = keras.Input(shape=(3,))\nout = layers.Subtract()([x, x, x])\nmodel = keras.Model(x, out)\n`;
    expect(messages(src)).toEqual([
      ['error', 'bad-argument', "Subtract 'subtract': subtract takes exactly 2 inputs, got 3"],
    ]);
  });
  it('a merge keeps the receptive field, has no parameters and the formula 0; its panel row names the op', () => {
    const n = last(two('Add()', '(2, 3)', '(3,)'));
    expect([n.params, n.paramsFormula]).toEqual([0, '0']);
    expect(panelSpec(n)).toEqual({ kind: 'other', row: 'merge', explain: { kind: 'merge', op: 'add', axis: -1 } });
    expect(panelSpec(last(net('torch.cat([x, self.c(x)], dim=1)')))).toEqual({
      kind: 'other',
      row: 'merge',
      explain: { kind: 'merge', op: 'concat', axis: 1 },
    });
  });
});

describe('Keras element-wise merges: values with a batch of 2 (Keras 3.15)', () => {
  it.each([
    ['Add', [3.5, 5.5, 7.5, 6.5, 8.5, 10.5, 0, 1, 11, 4, 3, 5]],
    ['Subtract', [-1.5, -1.5, -1.5, 1.5, 1.5, 1.5, -2, -1, 3, 2, 1, -3]],
    ['Multiply', [2.5, 7, 13.5, 10, 17.5, 27, -1, 0, 28, 3, 2, 4]],
    ['Average', [1.75, 2.75, 3.75, 3.25, 4.25, 5.25, 0, 0.5, 5.5, 2, 1.5, 2.5]],
    ['Maximum', [2.5, 3.5, 4.5, 4, 5, 6, 1, 1, 7, 3, 2, 4]],
    ['Minimum', [1, 2, 3, 2.5, 3.5, 4.5, -1, 0, 4, 1, 1, 1]],
  ])('%s of x (N, 2, 3) and its step mean (N, 3): each sample with its own mean', (op, want) => {
    const out = forward(withMean(`layers.${op}()([x, g])`), [2, 2, 3], D);
    expect(out.shape).toEqual([2, 2, 3]);
    close(out.data, want as number[]);
  });
  it('Average of the mean first and x: the same numbers', () => {
    close(
      forward(withMean('layers.Average()([g, x])'), [2, 2, 3], D).data,
      [1.75, 2.75, 3.75, 3.25, 4.25, 5.25, 0, 0.5, 5.5, 2, 1.5, 2.5],
    );
  });
  it('merges of one shape: Average of three, Subtract, Maximum with ReLU(x)', () => {
    close(forward(withMean('layers.Average()([x, layers.ReLU()(x), x])'), [2, 2, 3], D).data, [
      1,
      2,
      3,
      4,
      5,
      6,
      -2 / 3,
      0,
      7,
      3,
      2,
      1,
    ]);
    close(
      forward(withMean('layers.Subtract()([x, layers.ReLU()(x)])'), [2, 2, 3], D).data,
      [0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0],
    );
    close(
      forward(withMean('layers.Maximum()([x, layers.ReLU()(x)])'), [2, 2, 3], D).data,
      [1, 2, 3, 4, 5, 6, 0, 0, 7, 3, 2, 1],
    );
  });
  it('Concatenate(axis=1) of x and its mean as a row: (N, 3, 3)', () => {
    const out = forward(withMean('layers.Concatenate(axis=1)([x, layers.Reshape((1, 3))(g)])'), [2, 2, 3], D);
    expect(out.shape).toEqual([2, 3, 3]);
    close(out.data, [1, 2, 3, 4, 5, 6, 2.5, 3.5, 4.5, -1, 0, 7, 3, 2, 1, 1, 1, 4]);
  });
});

describe('concatenation and stacking: sizes and refusals', () => {
  it('Keras Concatenate: the last axis by default, axis=1, an unknown size stays a sum (Keras: None)', () => {
    expect(shape(two('Concatenate()', '(2, 3)', '(2, 4)'))).toEqual(['None', '2', '7']);
    expect(shape(two('Concatenate(axis=1)', '(2, 3)', '(5, 3)'))).toEqual(['None', '7', '3']);
    expect(shape(two('Concatenate()', '(None, 3)', '(None, 4)'))).toEqual(['None', 'H', '7']);
    expect(shape(two('Concatenate(axis=1)', '(None, 3)', '(2, 3)'))).toEqual(['None', 'H+2', '3']);
  });
  it('Keras Concatenate of shapes that differ off the axis, or in rank, is refused (Keras 3 raises)', () => {
    expect(messages(two('Concatenate(axis=1)', '(2, 3)', '(5, 4)'))).toEqual([
      ['error', 'merge-mismatch', "Concatenate 'concatenate': cannot concatenate shapes (None, 2, 3) and (None, 5, 4)"],
    ]);
    expect(messages(two('Concatenate()', '(2, 3)', '(2, 3, 1)'))).toEqual([
      [
        'error',
        'merge-mismatch',
        "Concatenate 'concatenate': cannot concatenate shapes (None, 2, 3) and (None, 2, 3, 1)",
      ],
    ]);
  });
  it('Keras Concatenate(axis=3) or axis=-4 on (N, 2, 3) is refused (Keras 3 raises)', () => {
    expect(messages(two('Concatenate(axis=3)', '(2, 3)', '(2, 3)'))).toEqual([
      ['error', 'bad-argument', "Concatenate 'concatenate': axis 3 is out of range for 3 dimensions"],
    ]);
    expect(messages(two('Concatenate(axis=-4)', '(2, 3)', '(2, 3)'))[0]![2]).toBe(
      "Concatenate 'concatenate': axis -4 is out of range for 3 dimensions",
    );
  });
  it.each([
    ['torch.cat([x, self.c(x)], dim=1)', ['N', '8', '4', '4']],
    ['torch.cat([x, self.c(x)], dim=-3)', ['N', '8', '4', '4']],
    ['torch.cat([x, self.c(x), x], 1)', ['N', '11', '4', '4']],
    ['torch.cat([x, x], dim=-1)', ['N', '3', '4', '8']],
    ['torch.cat([x, x], 0)', ['N+N', '3', '4', '4']],
    ['torch.cat([x, x], dim=-4)', ['N+N', '3', '4', '4']],
    ['torch.stack([x, x])', ['2', 'N', '3', '4', '4']],
    ['torch.stack([x, x], dim=1)', ['N', '2', '3', '4', '4']],
    ['torch.stack([x, x, x], 2)', ['N', '3', '3', '4', '4']],
    ['torch.stack([x, x], dim=4)', ['N', '3', '4', '4', '2']],
    ['torch.stack([x, x], dim=-1)', ['N', '3', '4', '4', '2']],
    ['torch.stack([x, x], dim=-5)', ['2', 'N', '3', '4', '4']],
  ])('%s on (2, 3, 4, 4) gives %j (torch 1.13), formula 0', (expr, want) => {
    expect(shape(net(expr))).toEqual(want);
    expect(last(net(expr)).paramsFormula).toBe('0');
  });
  it.each([
    ['torch.cat([x, self.c(x)], dim=2)', 'torch.cat: cannot concatenate shapes (N, 3, 4, 4) and (N, 5, 4, 4)'],
    ['torch.cat([x, x.flatten(2)], 1)', 'torch.cat: cannot concatenate shapes (N, 3, 4, 4) and (N, 3, 16)'],
    ['torch.cat([x, x], dim=4)', 'torch.cat: dim 4 is out of range for 4 dimensions'],
    ['torch.cat([x, x], dim=-5)', 'torch.cat: dim -5 is out of range for 4 dimensions'],
    ['torch.stack([x, self.c(x)])', 'torch.stack: cannot stack shapes (N, 3, 4, 4) and (N, 5, 4, 4)'],
    ['torch.stack([x, x.flatten(2)])', 'torch.stack: cannot stack shapes (N, 3, 4, 4) and (N, 3, 16)'],
    ['torch.stack([x, x], dim=5)', 'torch.stack: dim 5 is out of range for 5 dimensions'],
    ['torch.stack([x, x], dim=-6)', 'torch.stack: dim -6 is out of range for 5 dimensions'],
    ['torch.stack([x, x.mean(-1)])', 'torch.stack: cannot stack shapes (N, 3, 4, 4) and (N, 3, 4)'],
  ])('%s is refused, as PyTorch raises (torch 1.13)', (expr, message) => {
    const m = messages(net(expr));
    expect(m.map((x) => x[2])).toEqual([message]);
    expect(m[0]![0]).toBe('error');
  });
  it('torch.cat of batches of 6 and 4 is refused (torch 1.13: sizes must match except in dimension 1)', () => {
    // (the message writes the batch axis as N, whatever its size)
    expect(messages(net('torch.cat([x.view(6, 16), x.view(4, 24)], dim=1)')).map((m) => m.slice(0, 2))).toEqual([
      ['error', 'merge-mismatch'],
    ]);
    expect(shape(net('torch.cat([x.view(6, 16), x.view(6, 16)], dim=0)'))).toEqual(['12', '16']);
  });
});

describe('concatenation and stacking: values (torch 1.13)', () => {
  const x = [0, 1, 2, 3];
  it('torch.stack([x, x * 1], dim=1) on (1, 2, 2): the two inputs one after the other', () => {
    expect(forward(small('torch.stack([x, x + 10], dim=1)'), [1, 2, 2], x)).toEqual({
      shape: [1, 2, 2, 2],
      data: [0, 1, 2, 3, 10, 11, 12, 13],
    });
  });
  it('torch.stack([x, x + 10]) along dim 0: the two inputs first', () => {
    expect(forward(small('torch.stack([x, x + 10])'), [1, 2, 2], x)).toEqual({
      shape: [2, 1, 2, 2],
      data: [0, 1, 2, 3, 10, 11, 12, 13],
    });
  });
  it('torch.stack([x, x + 10], dim=-1): interleaved', () => {
    expect(forward(small('torch.stack([x, x + 10], dim=-1)'), [1, 2, 2], x)).toEqual({
      shape: [1, 2, 2, 2],
      data: [0, 10, 1, 11, 2, 12, 3, 13],
    });
  });
  it('torch.cat([x, x + 10], dim=-1): rows joined', () => {
    expect(forward(small('torch.cat([x, x + 10], dim=-1)'), [1, 2, 2], x)).toEqual({
      shape: [1, 2, 4],
      data: [0, 1, 10, 11, 2, 3, 12, 13],
    });
  });
});
