/**
 * Node's zlib as the native inflater of inflate.ts. Called by the Node entry points (the command
 * line, the extension host, the engine worker); the web extension's bundles never import it.
 */
import { inflateRawSync, inflateSync } from 'node:zlib';
import { setNativeInflate } from './inflate';

export function useNodeZlib(): void {
  setNativeInflate((data, format, max) =>
    // maxOutputLength: a stream that would inflate further stops there with an error
    format === 'raw'
      ? inflateRawSync(data, { maxOutputLength: Math.max(1, max) })
      : inflateSync(data, { maxOutputLength: Math.max(1, max) }),
  );
}
