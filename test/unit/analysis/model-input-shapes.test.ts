/**
 * Input shapes given to one model ("Set Input Shape" at the cursor) leave the file's other models
 * alone; Keras models are named as model.summary() names them. Shapes worked by hand:
 * PyTorch conv k=5 on 28 → 24, on 32 → 28; Keras 'valid' conv 3 on 64 → 62, on 28 → 26.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { modelAt } from '../../../src/present/notation';

const TWO_TORCH = `import torch
import torch.nn as nn
a = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Flatten(), nn.Linear(6 * 24 * 24, 10))
a(torch.zeros(1, 1, 28, 28))
b = nn.Sequential(nn.Conv2d(3, 4, 5), nn.ReLU())
`;

const TWO_KERAS = `from tensorflow import keras
from tensorflow.keras import layers
i1 = keras.Input(shape=(28, 28, 1))
first = keras.Model(i1, layers.Conv2D(4, 3)(i1))
i2 = keras.Input(shape=(28, 28, 1))
second = keras.Model(i2, layers.Conv2D(8, 3)(i2))
`;

const byName = (r: ReturnType<typeof analyze>, n: string) => r.models.find((m) => m.name === n)!;

describe('an input shape for one model', () => {
  it('applies to that model only: the other keeps its example input and shows no false error', () => {
    const r = analyze(TWO_TORCH, { inputShapes: { b: [3, 32, 32] } });
    expect(byName(r, 'a').layers[0]!.outputShape?.slice(1)).toEqual([6, 24, 24]);
    expect(byName(r, 'b').layers[0]!.outputShape?.slice(1)).toEqual([4, 28, 28]);
    expect(byName(r, 'b').inputSource.kind).toBe('option');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // the same shape for the whole file (the CLI's --input-shape) overrides a's 1-channel input: an error
    const all = analyze(TWO_TORCH, { inputShape: [3, 32, 32] });
    expect(all.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it("a Keras functional model's Input takes the shape given to that model only", () => {
    const r = analyze(TWO_KERAS, { inputShapes: { second: [64, 64, 3] } });
    expect(byName(r, 'first').layers.at(-1)!.outputShape?.slice(1)).toEqual([26, 26, 4]);
    expect(byName(r, 'second').layers.at(-1)!.outputShape?.slice(1)).toEqual([62, 62, 8]);
    expect(byName(r, 'second').inputShape).toEqual([64, 64, 3]);
    expect(r.models.map((m) => m.name)).toEqual(analyze(TWO_KERAS).models.map((m) => m.name));
  });

  it('the model at the cursor: in its layers, and not another one', () => {
    const r = analyze(TWO_TORCH);
    expect(modelAt(r, TWO_TORCH.indexOf('nn.ReLU()'))?.name).toBe('b');
    expect(modelAt(r, TWO_TORCH.indexOf('nn.Flatten()'))?.name).toBe('a');
    expect(modelAt(r, TWO_TORCH.indexOf('import torch.nn'))).toBeNull();
  });
});

describe('Keras model names', () => {
  it('name= is the model name, as model.summary() prints Model: "two_branch"', () => {
    const src = `from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(8,))
a = layers.Dense(4)(inputs)
b = layers.Dense(4)(inputs)
model = keras.Model(inputs, layers.Concatenate()([a, b]), name="two_branch")
seq = keras.Sequential([layers.Dense(2, input_shape=(3,))], name="tiny")
plain = keras.Sequential([layers.Dense(2, input_shape=(3,))])
`;
    const models = analyze(src).models;
    expect(models.map((m) => m.name).sort()).toEqual(['plain', 'tiny', 'two_branch']);
    // the variable stays known (what the oracles and the command line call the model)
    expect(models.find((m) => m.name === 'two_branch')?.variable).toBe('model');
    expect(models.find((m) => m.name === 'plain')?.variable).toBeUndefined();
  });
});
