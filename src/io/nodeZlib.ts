/**
 * Node's zlib as the native inflater of inflate.ts. Called by the Node entry points (the command
 * line, the extension host, the engine worker); the web extension's bundles never import it.
 */
import type * as Zlib from 'node:zlib';
import { once } from '../shared/once';
import { setNativeInflate } from './inflate';

/** Loaded on first use (a command that inflates nothing does not load it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zlib = once(() => require('node:zlib') as typeof Zlib);

export function useNodeZlib(): void {
  // maxOutputLength: a stream that would inflate further stops there with an error
  setNativeInflate((data, format, max) =>
    format === 'raw'
      ? zlib().inflateRawSync(data, { maxOutputLength: Math.max(1, max) })
      : zlib().inflateSync(data, { maxOutputLength: Math.max(1, max) }),
  );
}
