/** Reading user files for the CLI: clear one-line errors, size caps, no stack traces. */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './args';
import { parseShapeList } from '../analysis/analyze';
import type { Locale } from '../model/diagnostics';

/** Largest source file the CLI reads (the analyzer itself looks at the first 2 MB). */
export const MAX_SOURCE_FILE_BYTES = 20 * 1024 * 1024;

export class FileError extends Error {
  override readonly name = 'FileError';
}

/**
 * Checks a file the user named before it is read: it exists, is not a folder, and is not over
 * `cap` bytes (`what` names the limit in the message). Failures are one-line FileErrors.
 */
export function checkFile(path: string, cap: number, what: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new FileError(`cannot read '${path}': it is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof FileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(
      `cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
    );
  }
  if (size > cap)
    throw new FileError(
      `cannot read '${path}': ${(size / 1048576).toFixed(1)} MB is over the ${(cap / 1048576).toFixed(0)} MB limit for ${what}`,
    );
}

export function readSource(path: string): string {
  checkFile(path, MAX_SOURCE_FILE_BYTES, 'source files');
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new FileError(`cannot read '${path}': ${(e as Error).message}`);
  }
}

/** Reads a binary file the user named (an image, an array, a model or weight file), capped. */
export function readBinaryFile(path: string, cap: number, what: string): Uint8Array {
  checkFile(path, cap, what);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new FileError(`cannot read '${path}': ${(e as Error).message}`);
  }
}

/** --input-shape "1,28,28", "(3, 224, 224)" or "28x28x1": without the batch dimension. */
export function parseInputShapeFlag(v: string | undefined): number[] | null {
  if (v === undefined) return null;
  const shape = parseShapeList(v.replace(/[()[\]]/g, ' '));
  if (!shape)
    throw new UsageError(
      `--input-shape must be 1 to 5 positive integers without the batch dimension, like 1,28,28 or 28x28x1; got '${v}'`,
    );
  return shape;
}

export function parseLocale(v: string | undefined): Locale {
  if (v === undefined) {
    const env = process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG'] || '';
    return env.toLowerCase().startsWith('ko') ? 'ko' : 'en';
  }
  if (v === 'en' || v === 'ko') return v;
  throw new UsageError(`--locale must be 'en' or 'ko', got '${v}'`);
}
