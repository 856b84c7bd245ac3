/**
 * Parameters vs buffers: PyTorch counts model.parameters() only (BatchNorm's running_mean and
 * running_var are buffers, shown apart), Keras counts the moving statistics as non-trainable
 * parameters as model.summary() does. Numbers worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { hoverMarkdown, layerAt } from '../../../src/present/hover';
import { summaryText, toJson } from '../../../src/present/summary';

const TORCH = `import torch.nn as nn
model = nn.Sequential(
    nn.Conv2d(3, 8, 3),
    nn.BatchNorm2d(8),
    nn.ReLU(),
    nn.Conv2d(8, 4, 1, bias=False),
    nn.BatchNorm2d(4, affine=False),
)
# convlens: input_shape=(3, 10, 10)
`;

const KERAS = `from tensorflow import keras
model = keras.Sequential([keras.layers.BatchNormalization(input_shape=(4, 4, 10))])
`;

describe('PyTorch parameters and buffers', () => {
  it('BatchNorm2d(8): 2·8 = 16 parameters and 2·8 = 16 buffers; affine=False: 0 parameters, 2·4 = 8 buffers', () => {
    const m = analyze(TORCH).models[0]!;
    expect(m.layers.map((l) => [l.name, l.params, l.buffers])).toEqual([
      ['0', 3 * 3 * 3 * 8 + 8, 0],
      ['1', 16, 16],
      ['2', 0, 0],
      ['3', 8 * 4, 0],
      ['4', 0, 8],
    ]);
    // 224 + 16 + 32 = 272 = sum(p.numel() for p in model.parameters())
    expect(m.totalParams).toBe(272);
    expect(m.trainableParams).toBe(272);
    expect(m.buffers).toBe(24);
  });

  it('convlens summary --json reports buffers per layer and per model', () => {
    const j = toJson('m.py', TORCH, analyze(TORCH));
    expect(j.models[0]!.layers.map((l) => l.buffers)).toEqual([0, 16, 0, 0, 8]);
    expect(j.models[0]!.buffers).toBe(24);
    expect(j.models[0]!.totalParams).toBe(272);
  });

  it('the text summary has a buffers footer line for a PyTorch model with running statistics', () => {
    const t = summaryText('m.py', TORCH, analyze(TORCH));
    expect(t).toContain(' Total params: 272');
    expect(t).toContain(' Non-trainable params: 0');
    expect(t).toContain(' Buffers (not parameters): 24 — running statistics of normalization layers');
  });

  it('a PyTorch model without BatchNorm has no buffers line', () => {
    const src = `import torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(1, 2, 3))\n# convlens: input_shape=(1, 5, 5)\n`;
    expect(summaryText('m.py', src, analyze(src))).not.toContain('Buffers');
  });

  it('the hover of BatchNorm2d(8) shows 16 parameters (γ, β) and 16 buffers, not as parameters', () => {
    const r = analyze(TORCH);
    const hit = layerAt(r, TORCH.indexOf('BatchNorm2d(8)') + 1)!;
    const h = hoverMarkdown(hit, 'en', [], null);
    expect(h).toContain('Parameters: 2·8 (γ, β) = **16**');
    expect(h).not.toContain('non-trainable');
    expect(h).toContain('Buffers: **16** (running mean, var; not parameters)');
  });
});

describe('Keras keeps its convention', () => {
  it('BatchNormalization on 10 channels: 4·10 = 40 parameters (20 non-trainable moving statistics), no buffers', () => {
    const m = analyze(KERAS).models[0]!;
    const bn = m.layers.find((l) => l.spec.type === 'BatchNormalization')!;
    expect([bn.params, bn.trainableParams, bn.buffers]).toEqual([40, 20, 0]);
    expect([m.totalParams, m.buffers]).toEqual([40, 0]);
    const t = summaryText('m.py', KERAS, analyze(KERAS));
    expect(t).toContain(' Non-trainable params: 20');
    expect(t).not.toContain('Buffers');
  });
});
