/**
 * Window geometry at its edges: the refusals (with the sizes they name), transposed sizes with
 * Keras' output_padding, PyTorch's pooling-pad rule and the participation map. Expected values
 * are worked by hand from the frameworks' documented formulas:
 * - Keras Conv2DTranspose with output_padding (keras conv_utils.deconv_output_length):
 *   out = (in − 1)·s + effK − 2·pad + output_padding, pad = ⌊effK / 2⌋ ('same') or 0 ('valid');
 *   the sizes below are the ones Keras 3 returns (scripts/gen-transpose-sizes.py prints them).
 * - PyTorch ConvTranspose2d: out = (in − 1)·s − 2p + d·(k − 1) + output_padding + 1, and
 *   output_padding must be smaller than stride or dilation.
 * - PyTorch pooling: each pad at most ⌊k / 2⌋.
 */
import { describe, expect, it } from 'vitest';
import {
  axisGeometry,
  checkTorchPoolPadding,
  EngineError,
  participationCounts,
  splitPadding2D,
  transposeAxisGeometry,
  window2dGeometry,
  type Padding2D,
} from '../../../src/engine';

function engineError(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('axisGeometry: modes and refusals', () => {
  it("'causal' pads effK − 1 before and nothing after, and says it is causal", () => {
    // k=3 d=2 → effK 5: 4 zeros before; out = 6 + 4 − 5 + 1 = 6
    const g = axisGeometry('Conv1D', { inSize: 6, kernel: 3, stride: 1, dilation: 2, padding: 'causal' });
    expect([g.mode, g.padBefore, g.padAfter, g.out, g.effectiveKernel]).toEqual(['causal', 4, 0, 6, 5]);
  });
  it('explicit pads are an explicit mode; no padding is valid', () => {
    expect(axisGeometry('op', { inSize: 5, kernel: 3, stride: 1, padding: [1, 1] }).mode).toBe('explicit');
    expect(axisGeometry('op', { inSize: 5, kernel: 3, stride: 1, padding: 'valid' }).mode).toBe('valid');
  });
  it('a negative input size or pad is refused by name', () => {
    const a = engineError(() => axisGeometry('Conv1d', { inSize: -1, kernel: 3, stride: 1, padding: 'valid' }));
    expect([a.code, a.message]).toEqual(['bad-argument', 'Conv1d: input size must be a non-negative integer, got -1']);
    const b = engineError(() => axisGeometry('Conv1d', { inSize: 5, kernel: 3, stride: 1, padding: [-1, 0] }));
    expect(b.message).toBe('Conv1d: padding must be a non-negative integer, got -1');
    const c = engineError(() => axisGeometry('Conv1d', { inSize: 5, kernel: 3, stride: 1, padding: [0, -2] }));
    expect(c.message).toBe('Conv1d: padding must be a non-negative integer, got -2');
  });
});

describe('splitPadding2D: the accepted forms and nothing else', () => {
  const bad: unknown[] = [
    [1, 2, 3],
    [1, [1, 2]],
    [[1, 2], 1],
    [[1, 2], [3]],
    [
      [1, 2, 3],
      [1, 2],
    ],
    [1],
    'full',
  ];
  for (const p of bad) {
    it(`refuses ${JSON.stringify(p)}`, () => {
      const e = engineError(() => splitPadding2D('Conv2d', p as Padding2D));
      expect(e.code).toBe('bad-argument');
      expect(e.message).toBe(
        `Conv2d: padding must be 'valid', 'same', an int, (padH, padW) or ((top, bottom), (left, right)), got ${JSON.stringify(p)}`,
      );
    });
  }
  it('accepts an int, (padH, padW) and ((t, b), (l, r))', () => {
    expect(splitPadding2D('op', 2)).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(splitPadding2D('op', [1, 3])).toEqual([
      [1, 1],
      [3, 3],
    ]);
    expect(
      splitPadding2D('op', [
        [0, 1],
        [2, 3],
      ]),
    ).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});

describe("window2dGeometry: 'kernel-too-large' names the padded and dilated sizes", () => {
  it('an int padding: the padded size and padding=N', () => {
    // 2×2 + 1 on each side = 4×4, kernel 5 does not fit
    const e = engineError(() =>
      window2dGeometry('Conv2d', { inH: 2, inW: 2, kernel: [5, 5], strides: [1, 1], padding: 1 }),
    );
    expect([e.code, e.message]).toEqual([
      'kernel-too-large',
      'Conv2d: kernel 5×5 is larger than its 2×2 input (4×4 after padding) with padding=1',
    ]);
  });
  const pads: [Padding2D, string][] = [
    [
      [
        [0, 1],
        [0, 0],
      ],
      '3×2',
    ],
    [
      [
        [0, 0],
        [1, 0],
      ],
      '2×3',
    ],
    [
      [
        [0, 0],
        [0, 1],
      ],
      '2×3',
    ],
  ];
  for (const [p, size] of pads) {
    it(`one pad on one side (${JSON.stringify(p)}) is still named`, () => {
      const e = engineError(() =>
        window2dGeometry('Conv2d', { inH: 2, inW: 2, kernel: [4, 4], strides: [1, 1], padding: p }),
      );
      expect(e.message).toBe(
        `Conv2d: kernel 4×4 is larger than its 2×2 input (${size} after padding) with padding=${JSON.stringify(p)}`,
      );
    });
  }
  it('a dilation along one axis only is named', () => {
    // width: k=3 d=2 → effK 5 > 4
    const e = engineError(() =>
      window2dGeometry('Conv2d', {
        inH: 9,
        inW: 4,
        kernel: [3, 3],
        strides: [1, 1],
        dilations: [1, 2],
        padding: 'valid',
      }),
    );
    expect(e.message).toBe("Conv2d: kernel 3×3 (dilated to 3×5) is larger than its 9×4 input with padding='valid'");
    // height: k=3 d=2 → effK 5 > 4
    const h = engineError(() =>
      window2dGeometry('Conv2d', {
        inH: 4,
        inW: 9,
        kernel: [3, 3],
        strides: [1, 1],
        dilations: [2, 1],
        padding: 'valid',
      }),
    );
    expect(h.message).toBe("Conv2d: kernel 3×3 (dilated to 5×3) is larger than its 4×9 input with padding='valid'");
  });
});

describe('checkTorchPoolPadding: each pad at most half the kernel, per axis', () => {
  const g = (pads: Padding2D, k: [number, number]) =>
    window2dGeometry('MaxPool2d', { inH: 8, inW: 8, kernel: k, strides: [1, 1], padding: pads });
  it('a pad too large along the height only', () => {
    const e = engineError(() => checkTorchPoolPadding('MaxPool2d', [2, 4], g([2, 2], [2, 4])));
    expect([e.code, e.message]).toEqual(['bad-argument', 'MaxPool2d: padding 2 is more than half of kernel size 2']);
  });
  it('a pad too large along the width only', () => {
    const e = engineError(() => checkTorchPoolPadding('MaxPool2d', [4, 2], g([2, 2], [4, 2])));
    expect(e.message).toBe('MaxPool2d: padding 2 is more than half of kernel size 2');
  });
  it('exactly half is allowed (k=3 p=1, k=4 p=2)', () => {
    expect(() => checkTorchPoolPadding('MaxPool2d', [3, 4], g([1, 2], [3, 4]))).not.toThrow();
  });
});

describe('transposeAxisGeometry: Keras output_padding (sizes Keras 3 returns)', () => {
  // [padding, in, kernel, stride, output_padding, out, pad before]
  const cases: ['same' | 'valid', number, number, number, number, number, number][] = [
    // pad before: where Keras 3 crops the full result, read from its output for a one-hot input
    // (Conv1DTranspose, kernel 1…k): half of (in − 1)·s + effK − out, rounded down
    ['same', 4, 3, 2, 1, 8, 0], // 3·2 + 3 − 2·1 + 1; Keras gives 1 2 3 0 …
    ['same', 5, 4, 3, 2, 14, 1], // 4·3 + 4 − 2·2 + 2; Keras gives 2 3 4 0 …
    ['same', 4, 5, 2, 1, 8, 1], // 3·2 + 5 − 2·2 + 1; Keras gives 2 3 4 5 0 …
    ['same', 3, 3, 3, 2, 9, 0], // 2·3 + 3 − 2·1 + 2
    ['valid', 4, 3, 2, 1, 10, 0], // 3·2 + 3 + 1
    ['valid', 5, 4, 3, 2, 18, 0], // 4·3 + 4 + 2
    ['valid', 4, 5, 2, 1, 12, 0], // 3·2 + 5 + 1
    ['valid', 3, 2, 3, 0, 8, 0], // 2·3 + 2 + 0 (an explicit 0 takes this formula too)
  ];
  for (const [padding, inSize, kernel, stride, op, out, before] of cases) {
    it(`${padding} in=${inSize} k=${kernel} s=${stride} output_padding=${op} → ${out}`, () => {
      const g = transposeAxisGeometry('Conv2DTranspose', { inSize, kernel, stride, padding, outputPadding: op });
      expect([g.out, g.padBefore]).toEqual([out, before]);
    });
  }
  it('the record keeps the sizes it was given, and the dilated kernel', () => {
    const g = transposeAxisGeometry('t', { inSize: 4, kernel: 3, stride: 2, dilation: 2, padding: 1 });
    // (4 − 1)·2 − 2 + 2·(3 − 1) + 1 = 9
    expect(g).toEqual({ inSize: 4, kernel: 3, stride: 2, dilation: 2, effectiveKernel: 5, padBefore: 1, out: 9 });
  });
});

describe('transposeAxisGeometry: refusals (PyTorch raises on each)', () => {
  it('output_padding not smaller than stride or dilation', () => {
    const e = engineError(() =>
      transposeAxisGeometry('ConvTranspose2d', { inSize: 4, kernel: 3, stride: 2, padding: 1, outputPadding: 2 }),
    );
    expect([e.code, e.message]).toEqual([
      'bad-argument',
      'ConvTranspose2d: output padding 2 must be smaller than stride 2 or dilation 1',
    ]);
    // smaller than the dilation is enough: s=1 d=2 op=1 → 3·1 − 0 + 2·2 + 1 + 1 = 9
    expect(
      transposeAxisGeometry('t', { inSize: 4, kernel: 3, stride: 1, dilation: 2, padding: 0, outputPadding: 1 }).out,
    ).toBe(9);
  });
  it('a negative output padding or padding', () => {
    expect(
      engineError(() => transposeAxisGeometry('t', { inSize: 4, kernel: 3, stride: 2, padding: 0, outputPadding: -1 }))
        .message,
    ).toBe('t: output padding must be a non-negative integer, got -1');
    expect(
      engineError(() => transposeAxisGeometry('t', { inSize: 4, kernel: 3, stride: 2, padding: -1 })).message,
    ).toBe('t: padding must be a non-negative integer, got -1');
  });
  it('sizes that are not positive integers are named', () => {
    const msg = (a: Parameters<typeof transposeAxisGeometry>[1]) =>
      engineError(() => transposeAxisGeometry('t', a)).message;
    expect(msg({ inSize: 0, kernel: 3, stride: 1, padding: 0 })).toBe(
      't: input size must be a positive integer, got 0',
    );
    expect(msg({ inSize: 3, kernel: 0, stride: 1, padding: 0 })).toBe(
      't: kernel size must be a positive integer, got 0',
    );
    expect(msg({ inSize: 3, kernel: 3, stride: 0, padding: 0 })).toBe('t: stride must be a positive integer, got 0');
    expect(msg({ inSize: 3, kernel: 3, stride: 1, dilation: 0, padding: 0 })).toBe(
      't: dilation must be a positive integer, got 0',
    );
  });
  it("an output size below 1 is 'output-empty' (in=1 k=1 s=1 p=1 → 0 − 2 + 1 = −1)", () => {
    const e = engineError(() =>
      transposeAxisGeometry('ConvTranspose2d', { inSize: 1, kernel: 1, stride: 1, padding: 1 }),
    );
    expect([e.code, e.message]).toEqual([
      'output-empty',
      'ConvTranspose2d: output size -1 is not positive (input 1, kernel 1, stride 1, padding 1)',
    ]);
  });
});

describe('participationCounts: the whole map', () => {
  it('4×4, 3×3 kernel, valid: corners 1, edges 2, centre 4', () => {
    const g = window2dGeometry('Conv2D', { inH: 4, inW: 4, kernel: [3, 3], strides: [1, 1], padding: 'valid' });
    expect(Array.from(participationCounts(g))).toEqual([1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1]);
  });
  it('5×3, 3×1 kernel, stride 2 along the height: windows at rows 0 and 2 share row 2', () => {
    const g = window2dGeometry('Conv2D', { inH: 5, inW: 3, kernel: [3, 1], strides: [2, 1], padding: 'valid' });
    // rows 0,1 → 1; row 2 → 2; rows 3,4 → 1; every column once
    expect(Array.from(participationCounts(g))).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
  });
  it('5 wide, 2-tap kernel dilated by 2: taps at x and x+2', () => {
    const g = window2dGeometry('Conv2D', {
      inH: 1,
      inW: 5,
      kernel: [1, 2],
      strides: [1, 1],
      dilations: [1, 2],
      padding: 'valid',
    });
    // windows at 0,1,2 → taps {0,2},{1,3},{2,4}
    expect(Array.from(participationCounts(g))).toEqual([1, 1, 2, 1, 1]);
  });
});
