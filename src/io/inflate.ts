/**
 * A native inflater, where the runtime has one: Node's zlib is some ten times faster than fflate
 * on a cold start (a 224×224 PNG: 1.3 ms against 15 ms). The Node entry points install it
 * (src/io/nodeZlib.ts); in a browser nothing does and fflate inflates everything.
 *
 * It is only ever a shortcut: a result is taken when the native inflater finished the stream
 * within the size asked for; anything else (an error, a stream that would inflate further) is
 * done again by the fflate path of the caller, so that every message, and every file accepted or
 * refused, is the same with it and without it.
 */

import type * as Fflate from 'fflate';
import { once } from '../shared/once';

/**
 * fflate, loaded when first needed: evaluating it builds its Huffman tables (up to a few ms of
 * every start), and with a native inflater most runs never need it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
export const fflate = once(() => require('fflate') as typeof Fflate);

/** Inflates `data` whole (raw deflate or zlib-wrapped) into at most `max` bytes, or throws. */
export type NativeInflate = (data: Uint8Array, format: 'raw' | 'zlib', max: number) => Uint8Array;

let native: NativeInflate | null = null;

/** Installs (or, with null, removes) the native inflater. */
export function setNativeInflate(fn: NativeInflate | null): void {
  native = fn;
}

/**
 * The native inflation of `data` into at most `max` bytes, in an array of its own (offset 0,
 * exactly its length); null without a native inflater or when it failed.
 */
export function nativeInflate(data: Uint8Array, format: 'raw' | 'zlib', max: number): Uint8Array | null {
  if (native === null) return null;
  try {
    const out = native(data, format, max);
    if (out.length > max) return null;
    // a plain Uint8Array (a Node Buffer's slice() shares memory), never a view into a shared pool
    return out.byteOffset === 0 && out.buffer.byteLength === out.length
      ? new Uint8Array(out.buffer, 0, out.length)
      : new Uint8Array(out);
  } catch {
    return null;
  }
}
