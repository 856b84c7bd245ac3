/**
 * What a command reads from its FILE: Python source, analyzed; or a model file (.keras, .h5,
 * .onnx), read with its own trained weights. Both give an AnalysisResult, so the commands that
 * print and run models treat them alike; a model file has no source lines, so its diagnostics
 * name the layer or node instead.
 */
import { basename, join } from 'node:path';
import { analyze, type AnalysisResult } from '../analysis/analyze';
import { isModelFileName, readModelFile, type ModelFile } from '../modelfile';
import { FileError, MAX_SOURCE_FILE_BYTES, readBinaryFile, readSource, utf8 } from './files';
import { analyzeNotebook, type CellStart } from './notebookFile';
import type { Io } from './registry';
import { commandResolver, searchFlags } from './resolver';
import type { ParsedArgs } from './args';

/** The FILE that stands for standard input. */
export const STDIN = '-';

const stdinText = new WeakMap<Io, string>();

/** Largest model or weight file read (a VGG16 .keras is 528 MB). */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

export interface LoadedFile {
  file: string;
  /** The Python source (a notebook's code cells joined); null for a model file. */
  source: string | null;
  /** For a notebook (.ipynb): where each code cell starts in `source`; else null. */
  cells: CellStart[] | null;
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
  io?: Io,
): LoadedFile {
  if (file === STDIN) {
    if (!io?.stdin) throw new FileError('cannot read standard input here');
    // read once: a command that analyzes again (for the input's size) gets the same text
    let source = stdinText.get(io);
    if (source === undefined) stdinText.set(io, (source = utf8(io.stdin(MAX_SOURCE_FILE_BYTES))));
    // imports are looked for from the working folder, as for a file there
    const resolver = commandResolver(join(process.cwd(), '<stdin>.py'), searchFlags(args), warn);
    return { file, source, cells: null, modelFile: null, result: analyze(source, { inputShape, resolver }) };
  }
  if (/\.ipynb$/i.test(file)) {
    const resolver = commandResolver(file, searchFlags(args), warn);
    const nb = analyzeNotebook(readSource(file), file, (text) => analyze(text, { inputShape, resolver }));
    return { file, source: nb.source.text, cells: nb.source.cells, modelFile: null, result: nb.result };
  }
  if (isModelFileName(file)) {
    const modelFile = readModelFile(readModelBytes(file), basename(file), { inputShape });
    return {
      file,
      source: null,
      cells: null,
      modelFile,
      result: { models: modelFile.graph ? [modelFile.graph] : [], diagnostics: modelFile.diagnostics, capped: null },
    };
  }
  const source = readSource(file);
  const resolver = commandResolver(file, searchFlags(args), warn);
  return { file, source, cells: null, modelFile: null, result: analyze(source, { inputShape, resolver }) };
}
