/**
 * The one error type the engine throws. Every message names the values that made the call
 * invalid, so a caller (CLI, hover, panel) can show it as it is.
 */
export type EngineErrorCode =
  'bad-argument' | 'bad-shape' | 'kernel-too-large' | 'output-empty' | 'channel-mismatch' | 'too-many-elements';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: EngineErrorCode, message: string): never {
  throw new EngineError(code, message);
}

/** Asserts a positive integer argument (kernel size, stride, dilation, units...). */
export function requirePositiveInt(op: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    fail('bad-argument', `${op}: ${what} must be a positive integer, got ${String(value)}`);
  }
}

/** Asserts a non-negative integer argument (padding, output padding...). */
export function requireNonNegativeInt(op: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    fail('bad-argument', `${op}: ${what} must be a non-negative integer, got ${String(value)}`);
  }
}
