/**
 * A fused activation written in place gives exactly the values of the allocating one (ReLU's NaN
 * and −0 included), for every elementwise activation, and writes over the tensor it is given.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activation, activationInPlace } from '../../../src/engine/activations';
import { tensor } from '../../../src/engine/tensor';

const values = [-3, -1, -0.5, -0, 0, 1e-8, 0.5, 1, 2.5, 7, NaN, -Infinity, Infinity];

describe('activationInPlace', () => {
  for (const name of ACTIVATIONS) {
    it(`${name}: the same bits as activation()`, () => {
      const x = tensor([1, values.length], Float32Array.from(values));
      const want = activation(x, name);
      const y = tensor([1, values.length], Float32Array.from(values));
      const got = activationInPlace(y, name);
      expect(Array.from(new Uint32Array(got.data.buffer))).toEqual(Array.from(new Uint32Array(want.data.buffer)));
      if (name !== 'softmax' && name !== 'log_softmax') expect(got).toBe(y);
    });
  }

  it('ReLU by hand: negatives, −0 and NaN become 0', () => {
    const y = activationInPlace(tensor([4], new Float32Array([-2, -0, NaN, 3])), 'relu');
    expect(Array.from(y.data)).toEqual([0, 0, 0, 3]);
    expect(Object.is(y.data[1], 0)).toBe(true);
  });
});
