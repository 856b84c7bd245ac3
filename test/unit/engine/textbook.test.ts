/**
 * The textbook chapter's own examples (합성곱 신경망의 구성 요소), with expected values worked by hand
 * from the chapter's rules — never taken from ConvLens's output.
 */
import { describe, expect, it } from 'vitest';
import { conv1d, conv2d, participationCounts, pool2d, tensor, window2dGeometry } from '../../../src/engine';

// The chapter's 4×4 input: top-left corner 3, the middle four cells 4, 8, 5, 1.
const X4 = [3, 1, 0, 2, 2, 4, 8, 1, 0, 5, 1, 3, 1, 0, 2, 4];
// An "X"-shaped 3×3 kernel: corners and centre are 1.
const KX = [1, 0, 1, 0, 1, 0, 1, 0, 1];

describe('textbook: 1-D convolution', () => {
  it('10 inputs × 3 weights → 8 outputs, the same weights and bias at every step', () => {
    const x = tensor([1, 10, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const w = tensor([3, 1, 1], [1, 0, -1]);
    const y = conv1d(x, w, { layout: 'channelsLast', bias: tensor([1], [0.5]) });
    expect(y.shape).toEqual([1, 8, 1]);
    // x[i] − x[i+2] + 0.5 = −2 + 0.5 at every one of the 8 positions
    expect(Array.from(y.data)).toEqual(new Array(8).fill(-1.5));
  });
});

describe('textbook: 2-D convolution of a (4,4) input with a (3,3) kernel', () => {
  const x = tensor([1, 4, 4, 1], X4);
  const k = tensor([3, 3, 1, 1], KX);

  it("padding='valid' → (2,2) feature map", () => {
    const y = conv2d(x, k, { layout: 'channelsLast' });
    expect(y.shape).toEqual([1, 2, 2, 1]);
    // top-left: 3+0+4+0+1 = 8; top-right: 1+2+8+5+3 = 19; bottom-left: 2+8+5+1+2 = 18; bottom-right: 4+1+1+0+4 = 10
    expect(Array.from(y.data)).toEqual([8, 19, 18, 10]);
  });

  it("padding='same' → (4,4), one ring of zeros", () => {
    const y = conv2d(x, k, { layout: 'channelsLast', padding: 'same' });
    expect(y.shape).toEqual([1, 4, 4, 1]);
    // corner (0,0): only the centre 3 and the lower-right 4 are real → 7
    expect(y.data[0]).toBe(7);
    // (0,3): centre 2, lower-left 8 → 10
    expect(y.data[3]).toBe(10);
    // the inner 2×2 equals the valid result
    expect([y.data[5], y.data[6], y.data[9], y.data[10]]).toEqual([8, 19, 18, 10]);
  });

  it('participation counts: 4/2/1 without padding, 9/6/4 with one pixel, equal with two', () => {
    const valid = participationCounts(
      window2dGeometry('Conv2D', { inH: 4, inW: 4, kernel: [3, 3], strides: [1, 1], padding: 'valid' }),
    );
    // centre a, edge b, corner c
    expect([valid[5], valid[1], valid[0]]).toEqual([4, 2, 1]);
    const one = participationCounts(
      window2dGeometry('Conv2D', { inH: 4, inW: 4, kernel: [3, 3], strides: [1, 1], padding: 1 }),
    );
    expect([one[5], one[1], one[0]]).toEqual([9, 6, 4]);
    const two = participationCounts(
      window2dGeometry('Conv2D', { inH: 4, inW: 4, kernel: [3, 3], strides: [1, 1], padding: 2 }),
    );
    expect(new Set(two)).toEqual(new Set([9]));
  });
});

describe('textbook: 3 filters → (2,2,3), pooled to (1,1,3)', () => {
  // filter 0: the X kernel; filter 1: all zeros with bias 1; filter 2: centre tap only (copies the middle cells)
  const kernel = new Float32Array(3 * 3 * 1 * 3);
  for (let t = 0; t < 9; t++) kernel[t * 3 + 0] = KX[t]!;
  kernel[4 * 3 + 2] = 1;
  const maps = conv2d(tensor([1, 4, 4, 1], X4), tensor([3, 3, 1, 3], kernel), {
    layout: 'channelsLast',
    bias: tensor([3], [0, 1, 0]),
  });

  it('the maps stack along the last axis: (2,2,3)', () => {
    expect(maps.shape).toEqual([1, 2, 2, 3]);
    // per position (f0, f1, f2): (8,1,4) (19,1,8) (18,1,5) (10,1,1)
    expect(Array.from(maps.data)).toEqual([8, 1, 4, 19, 1, 8, 18, 1, 5, 10, 1, 1]);
  });

  it('(2,2) max pooling keeps the number of maps: (1,1,3), the largest of each', () => {
    const y = pool2d(maps, { layout: 'channelsLast', mode: 'max', poolSize: 2 });
    expect(y.shape).toEqual([1, 1, 1, 3]);
    expect(Array.from(y.data)).toEqual([19, 1, 8]);
  });

  it('(2,2) average pooling: the mean of each map', () => {
    const y = pool2d(maps, { layout: 'channelsLast', mode: 'avg', poolSize: 2 });
    // (8+19+18+10)/4 = 13.75; 1; (4+8+5+1)/4 = 4.5
    expect(Array.from(y.data)).toEqual([13.75, 1, 4.5]);
  });

  it('(2,2) pooling halves a (4,4) map', () => {
    const y = pool2d(tensor([1, 4, 4, 1], X4), { layout: 'channelsLast', mode: 'max', poolSize: [2, 2] });
    expect(y.shape).toEqual([1, 2, 2, 1]);
    // blocks: [3,1,2,4] → 4; [0,2,8,1] → 8; [0,5,1,0] → 5; [1,3,2,4] → 4
    expect(Array.from(y.data)).toEqual([4, 8, 5, 4]);
  });
});

describe('activations beyond the oracles', () => {
  it('hard_swish = x·relu6(x+3)/6 and mish = x·tanh(ln(1+eˣ)), by hand at a few points', async () => {
    const { activation } = await import('../../../src/engine');
    const xs = [-4, -3, -1, 0, 0.5, 3, 5];
    const hs = activation(tensor([7], xs), 'hard_swish');
    // -4 → 0; -3 → 0; -1 → -1·2/6; 0 → 0; 0.5 → 0.5·3.5/6; 3 → 3; 5 → 5
    [0, 0, -1 / 3, 0, (0.5 * 3.5) / 6, 3, 5].forEach((v, i) => expect(hs.data[i]).toBeCloseTo(v, 6));
    const m = activation(tensor([7], xs), 'mish');
    xs.forEach((x, i) => expect(m.data[i]).toBeCloseTo(x * Math.tanh(Math.log(1 + Math.exp(x))), 6));
  });
});
