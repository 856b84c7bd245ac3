/**
 * What convolution and pooling share, as a user sees it: the kernel-too-large refusal and the
 * padding its message names (PyTorch raises "Kernel size can't be greater than actual input size",
 * Keras 3 "Computed output size would be zero or negative"), a one-pixel output that is fine, sizes
 * with one axis unknown, the engine's argument errors (torch 1.13 refuses a zero stride and a
 * negative padding), and Keras's refusal of a causal 2-D convolution.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { dimText } from '../../../src/shared/dims';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);

describe('a kernel larger than its input', () => {
  it.each([
    [
      torch('nn.Conv2d(1, 1, 5)', '1, 1, 3, 3'),
      "Conv2d '0': kernel 5×5 is larger than its 3×3 input with padding=(0, 0)",
    ],
    [
      torch('nn.Conv2d(1, 1, (5, 3), padding=(1, 0))', '1, 1, 2, 8'),
      "Conv2d '0': kernel 5×3 is larger than its 2×8 input with padding=(1, 0)",
    ],
    [torch('nn.Conv1d(1, 1, 5)', '1, 1, 3'), "Conv1d '0': kernel 5 is larger than its 3 input with padding=0"],
    [
      torch('nn.Conv1d(1, 1, 7, padding=1)', '1, 1, 3'),
      "Conv1d '0': kernel 7 is larger than its 3 input with padding=1",
    ],
    [
      keras('layers.Conv2D(1, 5)', '(3, 3, 1)'),
      "Conv2D 'conv2d': kernel 5×5 is larger than its 3×3 input with padding='valid'",
    ],
    [
      keras('layers.Conv2D(1, 5)', '(None, 3, 1)'),
      "Conv2D 'conv2d': kernel 5 is larger than its 3 input with padding='valid'",
    ],
    [
      keras('layers.MaxPooling2D(5)', '(None, 3, 1)'),
      "MaxPooling2D 'max_pooling2d': kernel 5 is larger than its 3 input with padding='valid'",
    ],
  ])('is refused, as the framework raises (%#)', (src, message) => {
    expect(messages(src)).toEqual([['error', 'kernel-too-large', message]]);
    expect(last(src).outputShape).toBeNull();
  });
  it('a kernel as large as its input gives one position (torch 1.13 (1, 1, 1); Keras 3 (None, None, 1, 1))', () => {
    expect(shape(torch('nn.Conv1d(1, 1, 3)', '1, 1, 3'))).toEqual(['N', '1', '1']);
    expect(shape(torch('nn.Conv1d(1, 1, 5, padding=1)', '1, 1, 3'))).toEqual(['N', '1', '1']);
    expect(shape(keras('layers.Conv2D(1, 3)', '(None, 3, 1)'))).toEqual(['None', 'H-2', '1', '1']);
  });
});

describe('sizes with one axis unknown (Keras 3: None on that axis)', () => {
  it('Conv2D(1, 3) on (None, 8, 1): (None, H-2, 6, 1); strided, (None, ⌊(H-3)/2⌋+1, 3, 1)', () => {
    expect(shape(keras('layers.Conv2D(1, 3)', '(None, 8, 1)'))).toEqual(['None', 'H-2', '6', '1']);
    const n = last(keras('layers.Conv2D(1, 3, strides=2)', '(8, None, 1)'));
    expect([n.outputShape![1], typeof n.outputShape![2]]).toEqual([3, 'object']);
  });
});

describe('arguments the engine refuses', () => {
  it('a zero stride and a negative padding are refused, as torch 1.13 raises', () => {
    expect(messages(torch('nn.Conv2d(1, 1, 3, stride=0)', '1, 1, 8, 8'))).toEqual([
      ['error', 'bad-argument', "Conv2d '0': stride must be a positive integer, got 0"],
    ]);
    expect(messages(torch('nn.Conv2d(1, 1, 3, padding=-1)', '1, 1, 8, 8'))).toEqual([
      ['error', 'bad-argument', "Conv2d '0': padding must be a non-negative integer, got -1"],
    ]);
    expect(messages(torch('nn.Conv1d(1, 1, 3, stride=0)', '1, 1, 8'))).toEqual([
      ['error', 'bad-argument', "Conv1d '0': stride must be a positive integer, got 0"],
    ]);
  });
  it("Conv2D(padding='causal') is refused (Keras 3 takes only 'valid' or 'same' there)", () => {
    expect(messages(keras("layers.Conv2D(1, 3, padding='causal')", '(8, 8, 1)'))).toEqual([
      ['error', 'bad-argument', "Conv2D 'conv2d': padding='causal' is only for 1-D convolutions"],
    ]);
  });
});
