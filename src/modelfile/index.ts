/**
 * Model files in, ModelFile out: one entry point, readModelFile(bytes, name), picks the reader
 * from the content (zip → .keras; HDF5 with a `model_config` → legacy full-model .h5; an ONNX
 * ModelProto → .onnx). Every failure to read the container is an InputError (src/io/errors.ts)
 * whose message starts with the display name; what is wrong inside a readable model (an op that
 * is not supported, a shape error) is a diagnostic of the ModelFile, located by layer or node.
 */
import { InputError, describeThrown } from '../io/errors';
import { readKerasModelFile } from './keras/read';
import { readOnnxModelFile } from './onnx/read';
import type { ModelFile, ModelFileOptions } from './types';

export type { ModelFile, ModelFileFormat, ModelFileOptions } from './types';
export { kerasModelSource } from './keras/read';

/** Extensions the CLI and the editor treat as model files. */
export const MODEL_FILE_EXTENSIONS = ['.keras', '.h5', '.hdf5', '.onnx'] as const;

export function isModelFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MODEL_FILE_EXTENSIONS.some((e) => lower.endsWith(e));
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

function isZipBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Reads a model file. `name` is for messages and the format guess when content cannot decide. */
export function readModelFile(bytes: Uint8Array, name: string, options: ModelFileOptions = {}): ModelFile {
  try {
    const file =
      isZipBytes(bytes) || isHdf5(bytes)
        ? readKerasModelFile(bytes, name, options)
        : readOnnxModelFile(bytes, name, options);
    if (file.graph) file.graph.fileFormat = file.format;
    return file;
  } catch (e) {
    if (e instanceof InputError) throw e;
    // Safety net for a reader bug: callers are promised InputError only.
    throw new InputError('corrupt', `${name}: unexpected error while reading the model (${describeThrown(e)})`);
  }
}
