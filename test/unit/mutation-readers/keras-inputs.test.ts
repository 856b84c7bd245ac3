/**
 * Keras inputs and merges as users write them, against Keras 3.15 (shapes printed by Keras for the
 * same code: keras.Input(shape=…/batch_shape=…), InputLayer, input_shape= on a first layer, the
 * Concatenate class and the lower-case functional forms, augmentation layers).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';

const HEAD = 'import keras\nfrom keras import layers, models\n';

function output(src: string, layer: string): unknown {
  const r = analyze(HEAD + src);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const node = r.models.flatMap((m) => m.layers).find((l) => l.name === layer);
  return node?.outputShape?.slice(1);
}

describe('Keras inputs and merges against Keras 3.15', () => {
  const two = 'a = layers.Input(shape=(4, 3))\nb = layers.Input(batch_shape=(None, 5, 3))\n';
  it('Concatenate(axis=1) of (4, 3) and a batch_shape=(None, 5, 3) input → (9, 3)', () => {
    expect(
      output(`${two}c = layers.Concatenate(axis=1)([a, b])\nm = models.Model([a, b], c)\n`, 'concatenate'),
    ).toEqual([9, 3]);
  });
  it('layers.concatenate of (4, 3) and (4, 2) on the default last axis → (4, 5)', () => {
    const src =
      'a = layers.Input(shape=(4, 3))\nb = layers.Input(shape=(4, 2))\nc = layers.concatenate([a, b])\nm = models.Model([a, b], c)\n';
    expect(output(src, 'concatenate')).toEqual([4, 5]);
  });
  it('Concatenate(-2) positional of (4, 3) twice → (8, 3)', () => {
    const src = 'a = layers.Input(shape=(4, 3))\nc = layers.Concatenate(-2)([a, a])\nm = models.Model(a, c)\n';
    expect(output(src, 'concatenate')).toEqual([8, 3]);
  });
  it('layers.subtract and RandomFlip keep (4, 3)', () => {
    const src =
      'a = layers.Input(shape=(4, 3))\nc = layers.subtract([a, a])\nd = layers.RandomFlip()(c)\nm = models.Model(a, d)\n';
    expect(output(src, 'subtract')).toEqual([4, 3]);
    expect(output(src, 'random_flip')).toEqual([4, 3]);
  });
  it('Input(batch_shape=(None, 6, 2)) then Flatten → (12)', () => {
    const src = 'm = models.Sequential([layers.Input(batch_shape=(None, 6, 2)), layers.Flatten()])\n';
    expect(output(src, 'flatten')).toEqual([12]);
  });
  it('Dense(3, input_shape=(7,)) as the first layer → (3), 24 parameters', () => {
    const r = analyze(HEAD + 'm = models.Sequential([layers.Dense(3, input_shape=(7,))])\n');
    const node = r.models[0]!.layers.find((l) => l.name === 'dense')!;
    expect([node.outputShape?.slice(1), node.params]).toEqual([[3], 24]);
  });
  it('InputLayer(shape=(5, 5, 2)) then Conv2D(3, 3) → (3, 3, 3)', () => {
    const src = 'm = models.Sequential([layers.InputLayer(shape=(5, 5, 2)), layers.Conv2D(3, 3)])\n';
    expect(output(src, 'conv2d')).toEqual([3, 3, 3]);
  });
});

describe('input shapes as Keras 3.15 reads them', () => {
  const flat = (input: string) => `m = models.Sequential([${input}, layers.Flatten()])\n`;
  const shapeOf = (src: string, layer: string) =>
    analyze(HEAD + src)
      .models.flatMap((m) => m.layers)
      .find((l) => l.name === layer)?.outputShape;
  it('InputLayer(batch_input_shape=(None, 5, 2)), the tf.keras 2 name Keras 3 still takes, then Flatten → (10)', () => {
    expect(output(flat('layers.InputLayer(batch_input_shape=(None, 5, 2))'), 'flatten')).toEqual([10]);
  });
  it('InputLayer(batch_shape=(None, 5, 3)) and InputLayer(input_shape=(5, 3)), then Flatten → (15)', () => {
    expect(output(flat('layers.InputLayer(batch_shape=(None, 5, 3))'), 'flatten')).toEqual([15]);
    expect(output(flat('layers.InputLayer(input_shape=(5, 3))'), 'flatten')).toEqual([15]);
  });
  it('a None size is unknown: InputLayer(shape=(None, 3)), Input(shape=(None, 3)), input_shape=(None, 7) → (None, 5), 20 parameters', () => {
    for (const input of ['layers.InputLayer(shape=(None, 3))', 'layers.Input(shape=(None, 3))']) {
      const r = analyze(HEAD + `m = models.Sequential([${input}, layers.Dense(5)])\n`);
      const dense = r.models[0]!.layers.find((l) => l.name === 'dense')!;
      expect(typeof dense.outputShape![1]).toBe('object');
      expect([dense.outputShape![2], dense.params]).toEqual([5, 20]);
    }
    const r = analyze(HEAD + 'm = models.Sequential([layers.Dense(3, input_shape=(None, 7))])\n');
    const dense = r.models[0]!.layers.find((l) => l.name === 'dense')!;
    expect(typeof dense.outputShape![1]).toBe('object');
    expect([dense.outputShape![2], dense.params]).toEqual([3, 24]);
  });
  it('shape=28 is not a shape (Keras: "Cannot convert \'28\' to a shape"): no input size is taken from it', () => {
    expect(analyze(HEAD + flat('layers.InputLayer(shape=28)')).diagnostics.map((d) => d.code)).toContain(
      'input-unknown',
    );
    for (const input of ['layers.InputLayer(shape=28)', 'layers.Input(shape=28)']) {
      const out = shapeOf(flat(input), 'flatten')!;
      expect(out.slice(1).some((d) => typeof d === 'number')).toBe(false);
    }
  });
  it('InputLayer(shape=[5, 3]), a list, then Flatten → (15)', () => {
    expect(output(flat('layers.InputLayer(shape=[5, 3])'), 'flatten')).toEqual([15]);
  });
  it("a shape with a size that is not an int (Keras: \"Cannot convert '(5, 'a')' to a shape\") gives no input size", () => {
    for (const input of ["layers.InputLayer(shape=(5, 'a'))", "layers.InputLayer(batch_shape='a')"]) {
      const r = analyze(HEAD + flat(input));
      expect(r.diagnostics.map((d) => d.code)).toContain('input-unknown');
    }
  });
  it('shape= and batch_shape= together, readable or not (Keras: "You cannot pass both"): no input size is taken', () => {
    for (const input of [
      "layers.InputLayer(shape='a', batch_shape=(None, 5, 3))",
      'layers.InputLayer(shape=(4, 3), batch_shape=(None, 5, 3))',
    ]) {
      const r = analyze(HEAD + flat(input));
      expect(r.diagnostics.map((d) => d.code)).toContain('input-unknown');
    }
  });
});
