/** Reading user files for the CLI: clear one-line errors, size caps, no stack traces. */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { UsageError } from './args';
import { parseShapeList } from '../analysis/analyze';
import type { Locale } from '../model/diagnostics';

/** Largest source file the CLI reads (the analyzer itself looks at the first 2 MB). */
export const MAX_SOURCE_FILE_BYTES = 20 * 1024 * 1024;

export class FileError extends Error {
  override readonly name = 'FileError';
}

/** What a path is when it is not a regular file, for the message. */
function notRegular(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'it is a directory';
  if (st.isFIFO()) return 'it is a pipe (FIFO), not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a regular file';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  return (e as Error).message.split('\n')[0]!;
}

function overCap(path: string, size: number, cap: number, what: string): FileError {
  return new FileError(
    `cannot read '${path}': ${(size / 1048576).toFixed(1)} MB is over the ${(cap / 1048576).toFixed(0)} MB limit for ${what}`,
  );
}

/**
 * Checks a file the user named before it is read: it exists, is a regular file (not a folder, a
 * pipe or a device such as /dev/zero, whose size says nothing of what reading it gives), and is not
 * over `cap` bytes (`what` names the limit in the message). Failures are one-line FileErrors.
 */
export function checkFile(path: string, cap: number, what: string): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    throw new FileError(`cannot read '${path}': ${reason(e)}`);
  }
  const not = notRegular(st);
  if (not) throw new FileError(`cannot read '${path}': ${not}`);
  if (st.size > cap) throw overCap(path, st.size, cap, what);
}

/**
 * Reads a regular file of at most `cap` bytes: checked before it is opened (a FIFO is never
 * opened, so nothing blocks), checked again on the open file, and never read past the size found
 * then, so a file that grows or is swapped meanwhile cannot make the read unbounded.
 */
function readCapped(path: string, cap: number, what: string): Uint8Array {
  checkFile(path, cap, what);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new FileError(`cannot read '${path}': ${reason(e)}`);
  }
  try {
    const st = fstatSync(fd);
    const not = notRegular(st);
    if (not) throw new FileError(`cannot read '${path}': ${not}`);
    if (st.size > cap) throw overCap(path, st.size, cap, what);
    const out = new Uint8Array(st.size);
    let got = 0;
    while (got < out.length) {
      const n = readSync(fd, out, got, out.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return got === out.length ? out : out.subarray(0, got);
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read '${path}': ${reason(e)}`);
  } finally {
    closeSync(fd);
  }
}

export function readSource(path: string): string {
  return utf8(readCapped(path, MAX_SOURCE_FILE_BYTES, 'source files'));
}

/** Reads a binary file the user named (an image, an array, a model or weight file), capped. */
export function readBinaryFile(path: string, cap: number, what: string): Uint8Array {
  return readCapped(path, cap, what);
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

/**
 * Reads standard input (the FILE `-`) up to `cap` bytes: over it is a one-line FileError, and a
 * terminal is refused rather than waited on.
 */
export function readStdin(cap: number): Uint8Array {
  let st: Stats;
  try {
    st = fstatSync(0);
  } catch (e) {
    throw new FileError(`cannot read standard input: ${reason(e)}`);
  }
  if (st.isCharacterDevice() && process.stdin.isTTY)
    throw new FileError("'-' reads the model source from standard input, which is a terminal: pipe a file into it");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const buf = new Uint8Array(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw new FileError(`cannot read standard input: ${reason(e)}`);
    }
    if (n === 0) break;
    total += n;
    if (total > cap)
      throw new FileError(
        `cannot read standard input: more than the ${(cap / 1048576).toFixed(0)} MB limit for source files`,
      );
    chunks.push(buf.slice(0, n));
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** UTF-8 text of bytes read from a file or standard input. */
export function utf8(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}
