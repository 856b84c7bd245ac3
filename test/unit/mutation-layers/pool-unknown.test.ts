/**
 * Pooling on partly unknown inputs: FLOPs (output positions · channels · window, the count
 * torch.utils.flop_counter gives for max pooling) need both the output area and the channels, and a
 * model whose first layer is a pooling, with no example input, gets an input of that pooling's rank.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';

const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const text = (s: readonly unknown[] | null) =>
  s?.map((d) => (typeof d === 'number' ? d : (d as { sym: string }).sym)) ?? null;

describe('pooling FLOPs with unknown sizes', () => {
  it('MaxPooling2D(2) on (4, 4, 3): 2·2 positions · 3 channels · 4 = 48', () => {
    expect(last(keras('layers.MaxPooling2D(2)', '(4, 4, 3)')).flops).toBe(48);
  });
  it('unknown channels, known sizes (4, 4, None): no FLOPs', () => {
    expect(last(keras('layers.MaxPooling2D(2)', '(4, 4, None)')).flops).toBeNull();
  });
  it('unknown sizes, known channels (None, None, 3): no FLOPs', () => {
    expect(last(keras('layers.MaxPooling2D(2)', '(None, None, 3)')).flops).toBeNull();
  });
});

describe('a model that starts with a pooling and has no declared input', () => {
  it('PyTorch MaxPool1d(2) first: the input is (N, C, L), the output (N, C, ⌊L/2⌋) has 3 axes', () => {
    const src =
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.p = nn.MaxPool1d(2)\n    def forward(self, x):\n        return self.p(x)\nmodel = Net()\n';
    const n = analyze(src).models[0]!.layers.at(-1)!;
    expect(n.inputShapes[0]!.length).toBe(3);
    expect(text(n.inputShapes[0]!)!.slice(0, 2)).toEqual(['N', 'C']);
    expect(n.outputShape!.length).toBe(3);
  });
  it('PyTorch MaxPool2d(2) first: the input is (N, C, H, W)', () => {
    const src =
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.p = nn.MaxPool2d(2)\n    def forward(self, x):\n        return self.p(x)\nmodel = Net()\n';
    expect(text(analyze(src).models[0]!.layers.at(-1)!.inputShapes[0]!)).toEqual(['N', 'C', 'H', 'W']);
  });
});
