/**
 * Node's zlib as the native inflater of inflate.ts. Called by the Node entry points (the command
 * line, the extension host, the engine worker); the web extension's bundles never import it.
 */
import type * as Zlib from 'node:zlib';
import { setNativeInflate } from './inflate';

export function useNodeZlib(): void {
  let zlib: typeof Zlib | null = null;
  setNativeInflate((data, format, max) => {
    // loaded on first use (a command that inflates nothing does not load it)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    zlib ??= require('node:zlib') as typeof Zlib;
    // maxOutputLength: a stream that would inflate further stops there with an error
    return format === 'raw'
      ? zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, max) })
      : zlib.inflateSync(data, { maxOutputLength: Math.max(1, max) });
  });
}
