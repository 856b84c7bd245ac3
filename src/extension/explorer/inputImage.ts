/**
 * Reading the chosen input image: a drawing as drawn, a sample from media/samples, a file
 * through the workspace file system (any scheme), at most 64 MB, decoded to RGBA — once per
 * choice: the decoded image is kept while the file's size and modification time stay the same
 * (checked beside each view, not before it), and decoding runs off the extension host's thread
 * when a decoder (the engine worker) is given.
 */
import * as vscode from 'vscode';
import { decodeInput, type DecodeRequest, type DecodeResponse } from '../../present/imageJob';
import type { InputImage } from '../../runtime/input';
import type { InputChoice } from './state';

const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

export type ImageDecoder = (req: DecodeRequest) => Promise<DecodeResponse>;

/** The last images decoded, by URI, with the file's size and time when it was read. */
const decoded = new Map<string, { size: number; mtime: number; image: InputImage }>();
const KEEP = 4;

export async function readInputImage(
  input: InputChoice,
  extensionUri: vscode.Uri,
  decode: ImageDecoder = async (req) => decodeInput(req),
  changed: () => void = () => undefined,
): Promise<InputImage> {
  if (input.kind === 'drawing') return { rgba: input.rgba, width: input.width, height: input.height };
  const uri =
    input.kind === 'sample' ? vscode.Uri.joinPath(extensionUri, 'media', 'samples', `${input.id}.png`) : input.uri;
  const key = uri.toString();
  const kept = decoded.get(key);
  if (kept) {
    // a sample is part of the extension; a file is checked after the view is under way (a stat
    // can take a round trip to the window): when it changed, it is decoded again and `changed`
    // asks for the view again
    if (input.kind !== 'sample')
      void vscode.workspace.fs
        .stat(uri)
        .then(
          (st) => st.size === kept.size && st.mtime === kept.mtime,
          () => false,
        )
        .then((same) => {
          if (same || decoded.get(key) !== kept) return;
          decoded.delete(key);
          changed();
        });
    return kept.image;
  }
  const st = await vscode.workspace.fs.stat(uri);
  const name = uri.path.split('/').pop() ?? 'image';
  if (st.size > MAX_IMAGE_FILE_BYTES)
    throw new Error(
      `${name}: ${(st.size / 1048576).toFixed(0)} MB is over the ${MAX_IMAGE_FILE_BYTES / 1048576} MB limit for images`,
    );
  const res = await decode({ bytes: await vscode.workspace.fs.readFile(uri), name });
  if (!res.ok) throw new Error(res.message);
  decoded.delete(key);
  decoded.set(key, { size: st.size, mtime: st.mtime, image: res.image });
  for (const k of decoded.keys()) if (decoded.size > KEEP) decoded.delete(k);
  return res.image;
}
