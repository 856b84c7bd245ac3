/** What-if: the edits of a layer's constructor call, exactly, and the model the edited text gives. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { ModelGraph } from '../../../src/model/ir';
import { applyEdits, whatIfEdits, whatIfGraph } from '../../../src/present/whatIf';

const KERAS = `from tensorflow import keras
model = keras.Sequential()
model.add(keras.layers.Conv2D(32, kernel_size=3, activation='relu', input_shape=(28, 28, 1)))
model.add(keras.layers.MaxPooling2D(2))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(10))
`;

const TORCH = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(F.relu(self.conv(x)))


Net()(torch.zeros(1, 1, 28, 28))
`;

function layer(g: ModelGraph, name: string) {
  const l = g.layers.find((x) => x.name === name);
  expect(l, name).toBeDefined();
  return l!;
}

describe('whatIfEdits', () => {
  it("Keras Conv2D: kernel 5, stride 2, 'same' — the kernel_size argument rewritten, strides and padding added; the edited text gives (None, 14, 14, 32)", () => {
    const before = analyze(KERAS).models[0]!;
    expect(layer(before, 'conv2d').outputShape?.slice(1)).toEqual([26, 26, 32]);
    const edits = whatIfEdits(KERAS, layer(before, 'conv2d'), { kernel: 5, stride: 2, padding: 'same' });
    expect('error' in edits).toBe(false);
    const text = applyEdits(KERAS, edits as Exclude<typeof edits, { error: string }>);
    expect(text).toBe(
      KERAS.replace(
        "keras.layers.Conv2D(32, kernel_size=3, activation='relu', input_shape=(28, 28, 1))",
        "keras.layers.Conv2D(32, kernel_size=5, activation='relu', input_shape=(28, 28, 1), strides=2, padding='same')",
      ),
    );
    const after = analyze(text);
    expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const m = after.models[0]!;
    expect(layer(m, 'conv2d').outputShape?.slice(1)).toEqual([14, 14, 32]);
    expect(layer(m, 'max_pooling2d').outputShape?.slice(1)).toEqual([7, 7, 32]);
  });

  it('Keras MaxPooling2D(2): the positional pool size rewritten and the class swapped — AveragePooling2D(3)', () => {
    const before = analyze(KERAS).models[0]!;
    const edits = whatIfEdits(KERAS, layer(before, 'max_pooling2d'), { kernel: 3, poolMode: 'avg' });
    expect('error' in edits).toBe(false);
    const text = applyEdits(KERAS, edits as Exclude<typeof edits, { error: string }>);
    expect(text).toBe(KERAS.replace('keras.layers.MaxPooling2D(2)', 'keras.layers.AveragePooling2D(3)'));
  });

  it("PyTorch MaxPool2d(2): kernel 3, stride 1, 'same', average — AvgPool2d(3, stride=1, padding=1); the edited text gives (N, 8, 26, 26)", () => {
    const before = analyze(TORCH).models[0]!;
    expect(layer(before, 'pool').outputShape?.slice(1)).toEqual([8, 13, 13]);
    const edits = whatIfEdits(TORCH, layer(before, 'pool'), { kernel: 3, stride: 1, padding: 'same', poolMode: 'avg' });
    expect('error' in edits).toBe(false);
    const text = applyEdits(TORCH, edits as Exclude<typeof edits, { error: string }>);
    expect(text).toBe(TORCH.replace('self.pool = nn.MaxPool2d(2)', 'self.pool = nn.AvgPool2d(3, stride=1, padding=1)'));
    const after = analyze(text);
    expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pool = layer(after.models[0]!, 'pool');
    expect(pool.spec.type).toBe('AvgPool2d');
    expect(pool.outputShape?.slice(1)).toEqual([8, 26, 26]);
  });

  it('PyTorch Conv2d: padding written as a number, from the new kernel size', () => {
    const before = analyze(TORCH).models[0]!;
    const edits = whatIfEdits(TORCH, layer(before, 'conv'), { kernel: 5, padding: 'same' });
    const text = applyEdits(TORCH, edits as Exclude<typeof edits, { error: string }>);
    expect(text).toBe(TORCH.replace('nn.Conv2d(1, 8, 3)', 'nn.Conv2d(1, 8, 5, padding=2)'));
    expect(layer(analyze(text).models[0]!, 'conv').outputShape?.slice(1)).toEqual([8, 28, 28]);
  });

  it('functional calls and other layers have no what-if', () => {
    const torch = analyze(TORCH).models[0]!;
    expect(whatIfEdits(TORCH, layer(torch, 'F.relu#1'), { kernel: 3 })).toEqual({
      error: 'functional calls cannot be changed from the panel',
    });
    const keras = analyze(KERAS).models[0]!;
    expect(whatIfEdits(KERAS, layer(keras, 'dense'), { kernel: 3 })).toEqual({
      error: 'only convolution and pooling layers have a what-if',
    });
  });
});

describe('applyEdits', () => {
  it('applies edits from the end, so earlier offsets still hold; the edit list is not reordered', () => {
    const edits = [
      { from: 0, to: 1, text: 'AA' },
      { from: 4, to: 4, text: '!' },
      { from: 2, to: 3, text: '' },
    ];
    expect(applyEdits('abcd', edits)).toBe('AAbd!');
    expect(edits.map((e) => e.from)).toEqual([0, 4, 2]);
  });
});

describe('whatIfGraph', () => {
  it('the model after the change, analyzed with the same options; the text itself is not changed', () => {
    const src = TORCH.replace('Net()(torch.zeros(1, 1, 28, 28))\n', 'model = Net()\n');
    const options = { inputShape: [1, 28, 28] };
    const graph = analyze(src, options).models[0]!;
    const index = layer(graph, 'pool').index;
    const res = whatIfGraph(src, graph, { stride: 1 }, index, options);
    expect('graph' in res).toBe(true);
    const g = (res as { graph: ModelGraph }).graph;
    expect(g.name).toBe(graph.name);
    expect(g.layers[index]!.outputShape?.slice(1)).toEqual([8, 25, 25]);
    // without the input shape, the sizes are unknown
    const unknown = whatIfGraph(src, graph, { stride: 1 }, index);
    expect((unknown as { graph: ModelGraph }).graph.layers[index]!.outputShape?.slice(2)).not.toEqual([25, 25]);
  });

  it('a change that makes the layer invalid, no layer, a functional call: the reason', () => {
    const graph = analyze(TORCH).models[0]!;
    const conv = layer(graph, 'conv').index;
    expect(whatIfGraph(TORCH, graph, { kernel: 31 }, conv)).toEqual({
      error: 'conv: this change makes the layer invalid',
    });
    expect(whatIfGraph(TORCH, graph, { kernel: 3 }, graph.layers.length)).toEqual({ error: 'no layer selected' });
    expect(whatIfGraph(TORCH, graph, { kernel: 3 }, layer(graph, 'F.relu#1').index)).toEqual({
      error: 'functional calls cannot be changed from the panel',
    });
  });
});
