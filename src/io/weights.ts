/**
 * Weight files in, named float32 tensors out. One entry point, loadWeights(bytes, name), picks the
 * reader from the content (magic bytes); the name's extension only matters where content cannot
 * decide (a damaged '.safetensors' still goes to the safetensors reader, for a precise message):
 *   safetensors (PyTorch)                              → safetensors.ts
 *   HDF5: Keras 3 .weights.h5 or legacy tf.keras .h5   → kerasWeights.ts → hdf5.ts (jsfive, guarded)
 *   ZIP:  Keras 3 .keras                               → kerasWeights.ts, zip.ts
 * PyTorch pickles (.pt/.pth/.bin from torch.save: a zip holding data.pkl, or raw pickle protocol
 * bytes 0x80 0x02..0x05) are refused without unpickling: unpickling runs arbitrary code and needs
 * a Python object model; the message says how to export to safetensors instead.
 * Sizes are capped per tensor (the engine's getMaxElements) and per file (weightLimits.ts).
 * Every failure is an InputError whose one-line message starts with the display name.
 */
import { describeThrown, InputError, inputFail } from './errors';
import { readKerasH5, readKerasZip } from './kerasWeights';
import { readSafetensors } from './safetensors';
import { isZip, listZip } from './zip';

import type { WeightFile } from './weightFile';

export type { WeightFile, WeightTensor } from './weightFile';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export const SAFETENSORS_EXPORT_HINT =
  'export it with safetensors instead: from safetensors.torch import save_file; save_file(model.state_dict(), "model.safetensors")';

/** The HDF5 signature at `at` (0, or a user block's end: 512, 1024, …). */
export function hasHdf5Signature(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + 8 && HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b);
}

/** safetensors has no magic: an 8-byte little-endian length followed by '{'. */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  return n >= 2n && n <= BigInt(bytes.length - 8);
}

function extension(name: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

function refusePickle(name: string, what: string): never {
  inputFail(
    'unsupported',
    `${name}: ${what}; ConvLens does not unpickle (it can run arbitrary code) — ${SAFETENSORS_EXPORT_HINT}`,
  );
}

/** Reads a weight file. `name` is for messages only (a display name, not opened). */
export function loadWeights(bytes: Uint8Array, name: string): WeightFile {
  try {
    return dispatch(bytes, name);
  } catch (e) {
    if (e instanceof InputError) throw e;
    // Safety net for a reader bug: callers are promised InputError only. Tests assert it never fires.
    throw new InputError('corrupt', `${name}: unexpected error while reading the weights (${describeThrown(e)})`);
  }
}

function dispatch(bytes: Uint8Array, name: string): WeightFile {
  const ext = extension(name);
  if (bytes.length === 0) inputFail('truncated', `${name}: the file is empty`);
  if (hasHdf5Signature(bytes, 0)) return readKerasH5(bytes, name);
  if (isZip(bytes)) {
    const entries = listZip(bytes, name);
    if (entries.some((e) => e.name === 'data.pkl' || e.name.endsWith('/data.pkl'))) {
      refusePickle(name, 'this is a PyTorch checkpoint saved by torch.save (a zip holding a pickle)');
    }
    return readKerasZip(bytes, name, entries);
  }
  // before the pickle test: a safetensors header length of e.g. 640 also starts with 0x80 0x02
  if (ext === 'safetensors' || looksLikeSafetensors(bytes)) return readSafetensors(bytes, name);
  if (bytes[0] === 0x80 && bytes.length > 1 && bytes[1]! >= 2 && bytes[1]! <= 5) {
    refusePickle(name, `this is a Python pickle (protocol ${bytes[1]}), as written by torch.save`);
  }
  for (const at of [512, 1024, 2048, 4096]) {
    if (hasHdf5Signature(bytes, at))
      inputFail(
        'unsupported',
        `${name}: HDF5 file with a ${at}-byte user block is not supported; re-save it without a user block`,
      );
  }
  if (ext === 'pt' || ext === 'pth' || ext === 'bin' || ext === 'ckpt') {
    inputFail(
      'unknown-format',
      `${name}: not a recognised weight file (no pickle, zip or safetensors header); if it is a PyTorch checkpoint, ${SAFETENSORS_EXPORT_HINT}`,
    );
  }
  if (ext === 'h5' || ext === 'hdf5' || ext === 'keras') {
    inputFail(
      'corrupt',
      `${name}: does not start with the ${ext === 'keras' ? 'ZIP' : 'HDF5'} signature a .${ext} file has (damaged or not a Keras file)`,
    );
  }
  inputFail(
    'unknown-format',
    `${name}: unknown weight format: expected safetensors, Keras .weights.h5/.h5 (HDF5) or .keras (ZIP)`,
  );
}
