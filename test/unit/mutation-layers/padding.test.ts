/**
 * Padding and cropping as a user sees them: output sizes, PyTorch's refusals with their messages,
 * values of every mode (torch 1.13), Keras cropping's refusal (Keras 3 raises when nothing is left),
 * and the equivalent layer: PyTorch writes (left, right, top, bottom), Keras ((top, bottom), (left, right)).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { equivalentCode, panelSpec } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;
const fpad = (args: string, input: string) =>
  `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.pad(x, ${args})\nmodel = Net()\nout = model(torch.randn(${input}))\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const dims = (src: string) => last(src).outputShape?.slice(1) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
function forward(src: string, shape: number[], data: number[]): number[] {
  const graph = analyze(src).models[0]!;
  return Array.from(runModel(graph, tensor(shape, data), () => new Float32Array(0)).at(-1)!.output.data);
}

describe('padding: sizes and refusals', () => {
  it('ZeroPad2d((1, 2, 3, 4)) on 2×2: left 1, right 2, top 3, bottom 4 → 9×5 (torch 1.13)', () => {
    const n = last(torch('nn.ZeroPad2d((1, 2, 3, 4))', '1, 1, 2, 2'));
    expect([n.outputShape!.slice(1), n.params, n.paramsFormula]).toEqual([[1, 9, 5], 0, '0']);
  });
  it('Keras ZeroPadding2D(((1, 2), (3, 4))) on 2×2: 5×9; ZeroPadding1D on a 2-D map is refused', () => {
    expect(dims(keras('layers.ZeroPadding2D(((1, 2), (3, 4)))', '(2, 2, 1)'))).toEqual([5, 9, 1]);
    expect(messages(keras('layers.ZeroPadding1D(1)', '(2, 2, 1)')).map((m) => m[1])).toEqual(['rank-mismatch']);
  });
  it('ReflectionPad2d(2) on 2×2: PyTorch raises, the pad must be less than the size', () => {
    expect(messages(torch('nn.ReflectionPad2d(2)', '1, 1, 2, 2'))).toEqual([
      [
        'error',
        'bad-argument',
        "ReflectionPad2d '0': padding size should be less than the corresponding input dimension, but got: padding (2, 2) at dimension 3 of input (N, 1, 2, 2)",
      ],
    ]);
  });
  it('ReflectionPad2d(1) on a 2-D input: the mode needs a 3-D or 4-D input (PyTorch raises)', () => {
    expect(messages(torch('nn.ReflectionPad2d(1)', '1, 3'))).toEqual([
      [
        'error',
        'bad-argument',
        "ReflectionPad2d '0': mode='reflect' padding of 2 dimension(s) needs a 3-D or 4-D input, got (N, 3)",
      ],
    ]);
  });
  it('F.pad with six values on a 2-D input: too large (PyTorch raises)', () => {
    expect(messages(fpad('(1, 1, 1, 1, 1, 1)', '2, 3')).map((m) => m[2])).toEqual([
      'F.pad: padding length 6 is too large for a 2-D input',
    ]);
  });
  it('F.pad with an odd length is refused, and not run (PyTorch: must be divisible by 2)', () => {
    expect(messages(fpad('(1,)', '1, 3')).map((m) => m[1])).toEqual(['bad-argument']);
  });
  it('F.pad with four values on a 2-D input pads both axes, the first one too: (2, 3) → (4, 5) (torch 1.13)', () => {
    expect(last(fpad('(1, 1, 1, 1)', '2, 3')).outputShape!.at(-1)).toBe(5);
    expect(analyze(fpad('(1, 1, 1, 1)', '2, 3')).diagnostics).toEqual([]);
  });
  it('F.pad with an odd length is not run: the message PyTorch gives', () => {
    const graph = analyze(fpad('(1,)', '1, 3')).models[0]!;
    expect(() => runModel(graph, tensor([1, 3], [1, 2, 3]), () => new Float32Array(0))).toThrow(
      "F.pad 'F.pad#1': padding length must be divisible by 2, got 1",
    );
  });
  it('a constant pad may crop: ConstantPad1d((−1, 1), 0.0) on 1, 2, 3 gives 2, 3, 0 (torch 1.13)', () => {
    const src = torch('nn.ConstantPad1d((-1, 1), 0.0)', '1, 1, 3');
    expect(dims(src)).toEqual([1, 3]);
    expect(forward(src, [1, 1, 3], [1, 2, 3])).toEqual([2, 3, 0]);
  });
});

describe('padding: values', () => {
  it('reflect, replicate and constant 5 around 1, 2, 3 (torch 1.13)', () => {
    expect(forward(torch('nn.ReflectionPad1d(1)', '1, 1, 3'), [1, 1, 3], [1, 2, 3])).toEqual([2, 1, 2, 3, 2]);
    expect(forward(torch('nn.ReplicationPad1d(1)', '1, 1, 3'), [1, 1, 3], [1, 2, 3])).toEqual([1, 1, 2, 3, 3]);
    expect(forward(torch('nn.ConstantPad1d(1, 5.0)', '1, 1, 3'), [1, 1, 3], [1, 2, 3])).toEqual([5, 1, 2, 3, 5]);
  });
  it("F.pad(x, (1, 0), mode='circular') on 1, 2, 3: 3, 1, 2, 3 (torch 1.13)", () => {
    expect(forward(fpad("(1, 0), mode='circular'", '1, 1, 3'), [1, 1, 3], [1, 2, 3])).toEqual([3, 1, 2, 3]);
  });
  it('ZeroPad2d((1, 0, 0, 1)) on the row 1, 2: a column before, a row after (torch 1.13)', () => {
    expect(forward(torch('nn.ZeroPad2d((1, 0, 0, 1))', '1, 1, 1, 2'), [1, 1, 1, 2], [1, 2])).toEqual([
      0, 1, 2, 0, 0, 0,
    ]);
  });
  it('Keras ZeroPadding2D(((0, 1), (1, 0))) on the row 1, 2: the same as PyTorch (1, 0, 0, 1)', () => {
    expect(forward(keras('layers.ZeroPadding2D(((0, 1), (1, 0)))', '(1, 2, 1)'), [1, 1, 2, 1], [1, 2])).toEqual([
      0, 1, 2, 0, 0, 0,
    ]);
  });
});

describe('padding: the equivalent layer and the panel', () => {
  it('ZeroPad2d((1, 2, 3, 4)) ⇄ ZeroPadding2D(((3, 4), (1, 2)))', () => {
    expect(equivalentCode(last(torch('nn.ZeroPad2d((1, 2, 3, 4))', '1, 1, 2, 2')))).toBe(
      'layers.ZeroPadding2D(((3, 4), (1, 2)))',
    );
    expect(equivalentCode(last(keras('layers.ZeroPadding2D(((3, 4), (1, 2)))', '(2, 2, 1)')))).toBe(
      'nn.ZeroPad2d((1, 2, 3, 4))',
    );
  });
  it('no equivalent for a non-zero value, another mode or one axis', () => {
    expect(equivalentCode(last(torch('nn.ConstantPad2d(1, 0.5)', '1, 1, 2, 2')))).toBeNull();
    expect(equivalentCode(last(torch('nn.ReflectionPad2d(1)', '1, 1, 2, 2')))).toBeNull();
    expect(equivalentCode(last(torch('nn.ZeroPad1d(1)', '1, 1, 2')))).toBeNull();
    expect(equivalentCode(last(keras('layers.ZeroPadding1D(1)', '(2, 1)')))).toBeNull();
  });
  it('the panel shows padding and cropping as other rows', () => {
    expect(panelSpec(last(torch('nn.ZeroPad2d(1)', '1, 1, 2, 2')))).toEqual({ kind: 'other', row: 'other' });
    expect(panelSpec(last(keras('layers.Cropping2D(1)', '(4, 4, 1)')))).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('cropping', () => {
  it('Cropping2D(((1, 0), (0, 2))) on 4×5: 3×3, no parameters (Keras 3)', () => {
    const n = last(keras('layers.Cropping2D(((1, 0), (0, 2)))', '(4, 5, 1)'));
    expect([n.outputShape!.slice(1), n.params, n.paramsFormula]).toEqual([[3, 3, 1], 0, '0']);
  });
  it('Cropping2D(((2, 2), (0, 0))) on 4×5 leaves no row: an error on cropping (Keras 3 raises)', () => {
    const r = analyze(keras('layers.Cropping2D(((2, 2), (0, 0)))', '(4, 5, 1)'));
    expect(r.diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)])).toEqual([
      [
        'error',
        'bad-argument',
        "Cropping2D 'cropping2d': cropping (2, 2) must be smaller than the input size 4; Keras raises here",
      ],
    ]);
    // the error is marked on the cropping argument
    const src = keras('layers.Cropping2D(cropping=((2, 2), (0, 0)))', '(4, 5, 1)');
    const d = analyze(src).diagnostics[0]!;
    expect(src.slice(d.range.from, d.range.to)).toBe('((2, 2), (0, 0))');
    // one row left is fine
    expect(dims(keras('layers.Cropping2D(((2, 1), (0, 0)))', '(4, 5, 1)'))).toEqual([1, 5, 1]);
  });
  it('Cropping1D on a 2-D map is refused; Cropping1D((1, 0)) on 1, 2, 3 gives 2, 3 (Keras 3)', () => {
    expect(messages(keras('layers.Cropping1D(1)', '(4, 4, 1)')).map((m) => m[1])).toEqual(['rank-mismatch']);
    expect(forward(keras('layers.Cropping1D((1, 0))', '(3, 1)'), [1, 3, 1], [1, 2, 3])).toEqual([2, 3]);
  });
});
