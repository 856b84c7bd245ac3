/**
 * The textbook chapter's own worked numbers (shared seed: 합성곱 신경망의 구성 요소), computed by hand
 * from the chapter's figures, not from ConvLens.
 */
import { describe, expect, it } from 'vitest';
import { conv1d, conv2d, pool2d, tensor, window2dGeometry, type Tensor } from '../../../src/engine';

describe('textbook: 1-D convolution', () => {
  it('10 inputs × 3 weights → 8 outputs, the same weights at every step', () => {
    const x = tensor([1, 10, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const w = tensor([3, 1, 1], [1, 0, -1]);
    const y = conv1d(x, w, { layout: 'channelsLast', bias: tensor([1], [0.5]) });
    expect(y.shape).toEqual([1, 8, 1]);
    // x[i] - x[i+2] + 0.5 = -2 + 0.5 everywhere
    expect(Array.from(y.data)).toEqual(new Array(8).fill(-1.5));
  });
});
