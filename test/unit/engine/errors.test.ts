/** Bad arguments throw one typed error whose message names the values. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  conv2d,
  dense,
  EngineError,
  pool2d,
  setMaxElements,
  tensor,
  window2dGeometry,
  zeros,
  DEFAULT_MAX_ELEMENTS,
} from '../../../src/engine';

function engineError(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError, nothing was thrown');
}

describe('engine errors', () => {
  afterEach(() => {
    setMaxElements(DEFAULT_MAX_ELEMENTS);
  });

  it("kernel 5×5 on a 3×3 input with padding='valid' names both sizes", () => {
    const e = engineError(() =>
      conv2d(zeros([1, 3, 3, 1]), zeros([5, 5, 1, 4]), { layout: 'channelsLast', name: "Conv2D 'conv2d_1'" }),
    );
    expect(e.code).toBe('kernel-too-large');
    expect(e.message).toBe("Conv2D 'conv2d_1': kernel 5×5 is larger than its 3×3 input with padding='valid'");
  });

  it('a dilated kernel that no longer fits says so', () => {
    const e = engineError(() =>
      window2dGeometry('Conv2D', {
        inH: 6,
        inW: 6,
        kernel: [3, 3],
        strides: [1, 1],
        dilations: [3, 3],
        padding: 'valid',
      }),
    );
    expect(e.message).toContain('dilated to 7×7');
  });

  it('zero stride', () => {
    const e = engineError(() =>
      conv2d(zeros([1, 8, 8, 1]), zeros([3, 3, 1, 1]), { layout: 'channelsLast', strides: [0, 1] }),
    );
    expect(e.code).toBe('bad-argument');
    expect(e.message).toBe('Conv2D: stride must be a positive integer, got 0');
  });

  it('mismatched channels name the kernel and input shapes', () => {
    const e = engineError(() => conv2d(zeros([1, 8, 8, 3]), zeros([3, 3, 1, 16]), { layout: 'channelsLast' }));
    expect(e.code).toBe('channel-mismatch');
    expect(e.message).toBe('Conv2D: kernel [3, 3, 1, 16] expects 1 input channels, but the input [1, 8, 8, 3] has 3');
  });

  it('PyTorch layout channel mismatch', () => {
    const e = engineError(() => conv2d(zeros([1, 3, 8, 8]), zeros([16, 1, 3, 3]), { layout: 'channelsFirst' }));
    expect(e.code).toBe('channel-mismatch');
  });

  it('groups that do not divide the channels', () => {
    const e = engineError(() =>
      conv2d(zeros([1, 8, 8, 6]), zeros([3, 3, 2, 8]), { layout: 'channelsLast', groups: 4 }),
    );
    expect(e.code).toBe('channel-mismatch');
    expect(e.message).toContain('groups=4');
  });

  it('Dense input features mismatch', () => {
    const e = engineError(() => dense(zeros([1, 10]), zeros([12, 3]), { kernelLayout: 'IO' }));
    expect(e.message).toBe('Dense: expects 12 input features, but the input [1, 10] has 10 on its last axis');
  });

  it('a tensor over the element cap is refused before allocation', () => {
    setMaxElements(1000);
    const e = engineError(() => zeros([1, 32, 32, 1]));
    expect(e.code).toBe('too-many-elements');
    expect(e.message).toBe('zeros: a tensor of shape [1, 32, 32, 1] has 1,024 elements, over the cap of 1,000');
  });

  it('an op whose output would exceed the cap is refused', () => {
    setMaxElements(5000);
    const e = engineError(() => conv2d(zeros([1, 10, 10, 1]), zeros([1, 1, 1, 64]), { layout: 'channelsLast' }));
    expect(e.code).toBe('too-many-elements');
    expect(e.message).toContain('[1, 10, 10, 64]');
  });

  it('data that does not match its shape', () => {
    const e = engineError(() => tensor([2, 3], [1, 2, 3]));
    expect(e.message).toBe('tensor: shape [2, 3] needs 6 values, got 3');
  });

  it('pooling window larger than its valid input', () => {
    const e = engineError(() => pool2d(zeros([1, 1, 1, 2]), { layout: 'channelsLast', mode: 'max', poolSize: 2 }));
    expect(e.code).toBe('kernel-too-large');
  });

  it('PyTorch pooling padding over half the kernel', () => {
    const e = engineError(() =>
      pool2d(zeros([1, 1, 8, 8]), {
        layout: 'channelsFirst',
        mode: 'max',
        poolSize: 2,
        padding: 2,
        torchPadRule: true,
      }),
    );
    expect(e.message).toBe('MaxPooling2D: padding 2 is more than half of kernel size 2');
  });

  it('non-integer kernel size', () => {
    const e = engineError(() =>
      window2dGeometry('Conv2D', { inH: 8, inW: 8, kernel: [2.5, 3], strides: [1, 1], padding: 'valid' }),
    );
    expect(e.message).toBe('Conv2D: kernel size must be a positive integer, got 2.5');
  });
});
