/**
 * Decoding the panel's input image off the extension host's thread (job 'image.decode'): PNG or
 * JPEG bytes in, RGBA out, its buffer moved back. A file that cannot be read is an answer with
 * the reader's one-line message, not a thrown error.
 */
import { decodeImage } from '../io/image';
import { InputError } from '../io/errors';
import type { InputImage } from '../runtime/input';
import type { JobDef } from '../worker/jobs';

export interface DecodeRequest {
  bytes: Uint8Array;
  /** The display name, for messages. */
  name: string;
}

export type DecodeResponse = { ok: true; image: InputImage } | { ok: false; message: string };

export function decodeInput(req: DecodeRequest): DecodeResponse {
  try {
    const d = decodeImage(req.bytes, req.name);
    return { ok: true, image: { rgba: d.rgba, width: d.width, height: d.height } };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, message: e.message };
    throw e;
  }
}

export const imageJob: JobDef<DecodeRequest, DecodeResponse> = {
  name: 'image.decode',
  run: decodeInput,
  transfers: (res) => (res.ok ? [res.image.rgba.buffer as ArrayBuffer] : []),
};
