/**
 * What a command reads from its FILE: Python source, analyzed; or a model file (.keras, .h5,
 * .onnx), read with its own trained weights. Both give an AnalysisResult, so the commands that
 * print and run models treat them alike; a model file has no source lines, so its diagnostics
 * name the layer or node instead.
 */
import { basename } from 'node:path';
import { analyze, type AnalysisResult } from '../analysis/analyze';
import { isModelFileName, readModelFile, type ModelFile } from '../modelfile';
import { readBinaryFile, readSource } from './files';
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

/** Reads a model or weight file the user named, capped at MAX_MODEL_FILE_BYTES. */
export function readModelBytes(path: string): Uint8Array {
  return readBinaryFile(path, MAX_MODEL_FILE_BYTES, 'model and weight files');
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
    const modelFile = readModelFile(readModelBytes(file), basename(file), { inputShape });
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
