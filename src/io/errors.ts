/**
 * The one error type of src/io: a file the user picked (image, .npy) that cannot be read, or a
 * size/option the user controls that is out of range. Messages start with the file's display name
 * and name the values found, so the CLI and the panel can show them as they are, e.g.
 *   "image.png: 40,000×30,000 pixels is over the 25,000,000-pixel limit"
 *   "x.npy: truncated: header says 784 float32 values (3,136 bytes) but 1,000 bytes follow"
 * Anything a third-party decoder throws is caught and re-thrown as an InputError, so callers catch
 * one type and never see a TypeError from inside a decoder.
 */

export type InputErrorCode =
  /** Magic bytes match no supported format. */
  | 'unknown-format'
  /** A valid file of a kind we do not handle (Fortran order, object arrays, lossless JPEG...). */
  | 'unsupported'
  /** The file ends before the data its header announces. */
  | 'truncated'
  /** Structurally invalid (bad header, bad chunk, decoder failure). */
  | 'corrupt'
  /** Over a size cap (pixels, bytes, elements). */
  | 'too-large'
  /** A caller/user option is invalid (target size, channels, tile count...). */
  | 'bad-argument';

export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function inputFail(code: InputErrorCode, message: string): never {
  throw new InputError(code, message);
}

/** 25000000 → "25,000,000": fixed locale so messages are identical on every machine. */
export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 byte" / "3,136 bytes". */
export function fmtBytes(n: number): string {
  return n === 1 ? '1 byte' : `${fmtInt(n)} bytes`;
}

/** Shortest readable form of an unknown thrown value, for wrapping decoder errors. */
export function describeThrown(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
}

/** Requires an integer in [min, max]; `what` names the option in the message. */
export function requireIntIn(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    inputFail('bad-argument', `${what} must be an integer from ${fmtInt(min)} to ${fmtInt(max)}, got ${String(value)}`);
  }
}
