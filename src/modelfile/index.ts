/**
 * Model files in, ModelFile out: one entry point, readModelFile(bytes, name), picks the reader
 * from the content (zip → .keras; HDF5 with a `model_config` → legacy full-model .h5; an ONNX
 * ModelProto → .onnx). Every failure to read the container is an InputError (src/io/errors.ts)
 * whose message starts with the display name; what is wrong inside a readable model (an op that
 * is not supported, a shape error) is a diagnostic of the ModelFile, located by layer or node.
 */
import { InputError, describeThrown } from '../io/errors';
import { hasHdf5Signature } from '../io/weights';
import { isZip } from '../io/zip';
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

/** Reads a model file. `name` is for messages and the format guess when content cannot decide. */
export function readModelFile(bytes: Uint8Array, name: string, options: ModelFileOptions = {}): ModelFile {
  try {
    const file =
      isZip(bytes) || hasHdf5Signature(bytes, 0)
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
