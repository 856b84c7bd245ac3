/**
 * Inline shapes: one per line, the shape of what the line assigns or returns; layers built by a
 * helper function stand at the helper's calls. Shapes worked by hand from PyTorch's rules:
 * conv out = ⌊(in + 2p − k) / s⌋ + 1, max pool 2 halves (floor).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { builtLayersMarkdown } from '../../../src/present/builtLayers';
import { inlineHints } from '../../../src/present/inlineHints';
import { hoverRange, layerAt } from '../../../src/present/notation';

function hintsByLine(src: string): Map<string, string> {
  const lines = src.split('\n');
  const lineOf = (o: number) => src.slice(0, o).split('\n').length - 1;
  return new Map(inlineHints(analyze(src), lineOf).map((h) => [lines[h.line]!.trim(), h.label]));
}

const LENET = readFileSync('test/e2e/fixtures/workspace/torch_lenet.py', 'utf8');

const RESNETISH = `import torch
import torch.nn as nn


def conv3x3(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, 3, stride, 1, bias=False)


class Block(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_planes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        return self.conv2(out)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.layer1 = nn.Sequential(Block(8, 8), Block(8, 16, 2))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

    def forward(self, x):
        out = self.stem(x)
        out = self.layer1(out)
        out = self.head(out)
        return out


model = Net()
y = model(torch.randn(1, 3, 32, 32))
`;

describe('inline shapes on PyTorch forward() lines', () => {
  // LeNet on 1×32×32: conv 5 → 28, pool → 14, conv 5 → 10, pool → 5, flatten 16·5·5 = 400
  const h = hintsByLine(LENET);

  it('a line of nested calls shows its outermost call: what x becomes', () => {
    expect(h.get('x = self.pool(F.relu(self.conv1(x)))')).toBe(' → (N, 6, 14, 14)');
    expect(h.get('x = self.pool(F.relu(self.conv2(x)))')).toBe(' → (N, 16, 5, 5)');
    expect(h.get('x = torch.flatten(x, 1)')).toBe(' → (N, 400)');
    expect(h.get('x = F.relu(self.fc1(x))')).toBe(' → (N, 120)');
  });

  it('a line with only a module call shows it', () => {
    expect(h.get('return self.fc3(x)')).toBe(' → (N, 10)');
  });

  it('a constructor called once shows its output and parameters; called twice, both results', () => {
    // 5·5·1·6 + 6 = 156
    expect(h.get('self.conv1 = nn.Conv2d(1, 6, kernel_size=5)')).toBe(' → (N, 6, 28, 28) · 156');
    expect(h.get('self.pool = nn.MaxPool2d(2, 2)')).toBe(' → ×2: (N, 6, 14, 14), (N, 16, 5, 5)');
  });

  it("a Sequential's call shows its last layer's output; a Sequential of blocks, the last block's", () => {
    const r = hintsByLine(RESNETISH);
    expect(r.get('out = self.stem(x)')).toBe(' → (N, 8, 32, 32)');
    // block 2: 3×3, stride 2, pad 1 on 32 → ⌊(32 + 2 − 3) / 2⌋ + 1 = 16
    expect(r.get('out = self.layer1(out)')).toBe(' → (N, 16, 16, 16)');
    expect(r.get('out = self.head(out)')).toBe(' → (N, 10)');
    // a block's forward runs once per block: both results
    expect(r.get('return self.conv2(out)')).toBe(' → ×2: (N, 8, 32, 32), (N, 16, 16, 16)');
  });

  it('a Keras Sequential built with add(): each constructor line, with its parameters', () => {
    const src = readFileSync('test/e2e/fixtures/workspace/keras_cnn.py', 'utf8');
    const hints = inlineHints(analyze(src), (o) => src.slice(0, o).split('\n').length - 1);
    // 'same' keeps 28; 3·3·1·32 + 32 = 320; pool 2 → 14
    expect(hints.slice(0, 2).map((x) => x.label)).toEqual([' → (None, 28, 28, 32) · 320', ' → (None, 14, 14, 32)']);
  });

  it('Keras functional lines keep their call', () => {
    const src = `from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3)(inputs)
x = layers.MaxPooling2D(2)(x)
model = keras.Model(inputs, x)
`;
    const k = hintsByLine(src);
    // 28 − 3 + 1 = 26, pool 2 → 13
    expect(k.get('x = layers.Conv2D(8, 3)(inputs)')).toBe(' → (None, 26, 26, 8)');
    expect(k.get('x = layers.MaxPooling2D(2)(x)')).toBe(' → (None, 13, 13, 8)');
  });
});

describe('layers built by a helper function', () => {
  const r = analyze(RESNETISH);
  const h = hintsByLine(RESNETISH);

  it("the helper's call is the layer's place: hover shows that instance", () => {
    const at = RESNETISH.indexOf('conv3x3(in_planes, planes, stride)') + 2;
    const hit = layerAt(r, at)!;
    expect(hit.layer.name).toBe('layer1.0.conv1');
    expect(hit.layer.outputShape?.slice(1)).toEqual([8, 32, 32]);
    // 3·3·8·8, no bias
    expect(hit.layer.params).toBe(576);
    expect(hit.built).toBeUndefined();
    const range = hoverRange(hit, at);
    expect(RESNETISH.slice(range.from, range.to)).toBe('conv3x3(in_planes, planes, stride)');
  });

  it('the call lines show each layer built there; the helper body shows no single shape', () => {
    expect(h.get('self.conv1 = conv3x3(in_planes, planes, stride)')).toBe(' → ×2: (N, 8, 32, 32), (N, 16, 16, 16)');
    expect(h.has('return nn.Conv2d(in_planes, out_planes, 3, stride, 1, bias=False)')).toBe(false);
  });

  it('the hover on the helper body lists every layer it built', () => {
    const hit = layerAt(r, RESNETISH.indexOf('nn.Conv2d(in_planes') + 3)!;
    expect(hit.built?.map((l) => l.name)).toEqual([
      'layer1.0.conv1',
      'layer1.0.conv2',
      'layer1.1.conv1',
      'layer1.1.conv2',
    ]);
    const en = builtLayersMarkdown(hit.built!, 'pytorch', 'en');
    expect(en).toContain('built 4 layers');
    // layer1.1.conv1: 3·3·8·16 = 1,152 parameters, stride 2 → 16×16
    expect(en).toContain('- **layer1.1.conv1** · `Conv2d` · `(N, 16, 16, 16)` · 1,152');
    expect(builtLayersMarkdown(hit.built!, 'pytorch', 'ko')).toContain('4개');
  });

  it('a helper called at the top level gives its layer a place there', () => {
    const src = `import torch, torch.nn as nn
def conv3x3(i, o):
    return nn.Conv2d(i, o, 3, padding=1)
m = nn.Sequential(conv3x3(3, 8), nn.ReLU(), conv3x3(8, 4))
m(torch.zeros(1, 3, 10, 10))
`;
    const res = analyze(src);
    expect(layerAt(res, src.indexOf('conv3x3(8, 4)') + 1)?.layer.name).toBe('2');
    expect(layerAt(res, src.indexOf('conv3x3(3, 8)') + 1)?.layer.outputShape?.slice(1)).toEqual([8, 10, 10]);
  });
});
