/**
 * Reading the chosen input image: a drawing as drawn, a sample from media/samples, a file
 * through the workspace file system (any scheme), at most 64 MB, decoded to RGBA.
 */
import * as vscode from 'vscode';
import { decodeImage } from '../../io/image';
import type { InputImage } from '../../runtime/input';
import type { InputChoice } from './state';

const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

export async function readInputImage(input: InputChoice, extensionUri: vscode.Uri): Promise<InputImage> {
  if (input.kind === 'drawing') return { rgba: input.rgba, width: input.width, height: input.height };
  const uri =
    input.kind === 'sample' ? vscode.Uri.joinPath(extensionUri, 'media', 'samples', `${input.id}.png`) : input.uri;
  const st = await vscode.workspace.fs.stat(uri);
  if (st.size > MAX_IMAGE_FILE_BYTES)
    throw new Error(
      `${uri.path.split('/').pop()}: ${(st.size / 1048576).toFixed(0)} MB is over the ${MAX_IMAGE_FILE_BYTES / 1048576} MB limit for images`,
    );
  const img = decodeImage(await vscode.workspace.fs.readFile(uri), uri.path.split('/').pop() ?? 'image');
  return img;
}
