/**
 * What a command reads from its FILE: Python source, analyzed; or a model file (.keras, .h5,
 * .onnx), read with its own trained weights. Both give an AnalysisResult, so the commands that
 * print and run models treat them alike; a model file has no source lines, so its diagnostics
 * name the layer or node instead.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { analyze, type AnalysisResult } from '../analysis/analyze';
import { isModelFileName, readModelFile, type ModelFile } from '../modelfile';
import { FileError, readSource } from './files';
import { commandResolver, searchFlags } from './resolver';
import type { ParsedArgs } from './args';

/** Largest model or weight file read (a VGG16 .keras is 528 MB). */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

export interface LoadedFile {
  file: string;
  /** The Python source; null for a model file. */
  source: string | null;
  result: AnalysisResult;
  /** The model file, for its weights; null for source. */
  modelFile: ModelFile | null;
}

/** Reads a binary file the user named, capped; failures are FileErrors with one line. */
export function readBinaryFile(path: string, cap = MAX_MODEL_FILE_BYTES): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new FileError(`cannot read '${path}': it is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof FileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(`cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size > cap)
    throw new FileError(
      `cannot read '${path}': ${(size / 1048576).toFixed(0)} MB is over the ${cap / 1048576} MB limit`,
    );
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new FileError(`cannot read '${path}': ${(e as Error).message}`);
  }
}

/**
 * Reads FILE as a command does. `warn` gets notes about the Python environment searched.
 * Model files are read by their extension; anything else is Python source.
 */
export function loadFile(
  file: string,
  args: ParsedArgs,
  inputShape: number[] | null,
  warn: (note: string) => void,
): LoadedFile {
  if (isModelFileName(file)) {
    const modelFile = readModelFile(readBinaryFile(file), basename(file), { inputShape });
    return {
      file,
      source: null,
      modelFile,
      result: { models: modelFile.graph ? [modelFile.graph] : [], diagnostics: modelFile.diagnostics, capped: null },
    };
  }
  const source = readSource(file);
  const resolver = commandResolver(file, searchFlags(args), warn);
  return { file, source, modelFile: null, result: analyze(source, { inputShape, resolver }) };
}
