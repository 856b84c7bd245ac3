/**
 * The folder `convlens forward` writes: never over files ConvLens did not write (unless --force),
 * and never half-written. Files are written into a new folder next to DIR and moved into place at
 * the end, so a failure leaves DIR as it was; index.json records the files (layer → file) and that
 * ConvLens wrote them, so the next run may replace them.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { printable } from '../shared/text';
import { FileError } from './files';

export const INDEX_FILE = 'index.json';
/** index.json's `writtenBy`: what marks a folder's files as ConvLens's own. */
export const WRITTEN_BY = 'convlens forward';
/** Longest file name stem (before `_k` and `.npy`): far under every file system's 255. */
export const MAX_STEM = 100;
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** A layer name as a file name stem: safe characters, not hidden, not a Windows device name, short. */
export function safeFileName(layer: string): string {
  let s = layer.replace(/[^A-Za-z0-9._#@-]/g, '_').replace(/^\.+/, '_') || '_';
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(s)) s = `_${s}`;
  if (s.length > MAX_STEM) {
    // cut, and keep names that share a long prefix apart by a hash of the whole name
    const hash = createHash('sha256').update(layer).digest('hex').slice(0, 12);
    s = `${s.slice(0, MAX_STEM - hash.length - 1)}~${hash}`;
  }
  return s;
}

/**
 * Output file names made unique within a run, case-insensitively (file systems that ignore case
 * would still overwrite): a layer run twice, or two names that become the same file name, get
 * `_1`, `_2`… instead of overwriting each other.
 */
export class UniqueNames {
  private readonly used = new Set<string>();

  take(name: string): string {
    let out = name;
    for (let k = 1; this.used.has(out.toLowerCase()); k++) out = `${name}_${k}`;
    this.used.add(out.toLowerCase());
    return out;
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (e as Error).message.split('\n')[0]!;
}

/** The files of `dir` a previous `convlens forward` wrote, by its index.json; empty if none. */
function filesWeWrote(dir: string, entries: readonly string[]): Set<string> {
  const ours = new Set<string>();
  if (!entries.includes(INDEX_FILE)) return ours;
  try {
    const path = join(dir, INDEX_FILE);
    if (!statSync(path).isFile() || statSync(path).size > MAX_INDEX_BYTES) return ours;
    const index = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    // an index of this version, or of an earlier one (without writtenBy, with these fields)
    const earlier = !('writtenBy' in index) && ['model', 'framework', 'inputShape', 'weights'].every((k) => k in index);
    if ((index.writtenBy !== WRITTEN_BY && !earlier) || !Array.isArray(index.layers)) return ours;
    for (const l of index.layers as { file?: unknown }[]) if (typeof l?.file === 'string') ours.add(l.file);
    ours.add(INDEX_FILE);
  } catch {
    // not ours: an index we cannot read marks nothing
  }
  return ours;
}

export class OutputFolder {
  private readonly dir: string;
  private readonly tmp: string;
  private readonly written: string[] = [];

  /** Checks DIR (refusing files ConvLens did not write, unless `force`) and makes the temporary folder. */
  constructor(
    private readonly shown: string,
    private readonly force: boolean,
  ) {
    this.dir = resolve(shown);
    let entries: string[] | null = null;
    try {
      const st = statSync(this.dir);
      if (!st.isDirectory()) throw new FileError(`cannot write to '${printable(shown)}': it is a file, not a folder`);
      entries = readdirSync(this.dir);
    } catch (e) {
      if (e instanceof FileError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new FileError(`cannot write to '${printable(shown)}': ${reason(e)}`);
    }
    if (entries && !force) {
      const ours = filesWeWrote(this.dir, entries);
      const foreign = entries.find((e) => !ours.has(e));
      if (foreign !== undefined)
        throw new FileError(
          `'${printable(shown)}' holds '${printable(foreign)}', which ConvLens did not write; choose an empty or new folder, or pass --force to write over its files`,
        );
    }
    try {
      mkdirSync(dirname(this.dir), { recursive: true });
      this.tmp = mkdtempSync(join(dirname(this.dir), `.${basename(this.dir)}.convlens-`));
    } catch (e) {
      throw new FileError(`cannot create '${printable(shown)}': ${reason(e)}`);
    }
  }

  write(name: string, data: Uint8Array | string): void {
    try {
      writeFileSync(join(this.tmp, name), data);
      this.written.push(name);
    } catch (e) {
      throw new FileError(`cannot write '${printable(join(this.shown, name))}': ${reason(e)}`);
    }
  }

  /** Removes the temporary folder: DIR is as it was before the run. */
  abort(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }

  /** Moves the files into DIR: the whole folder when DIR is new or held only ConvLens's files. */
  commit(): void {
    try {
      let entries: string[] | null = null;
      try {
        entries = readdirSync(this.dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      if (entries === null) renameSync(this.tmp, this.dir);
      else if (entries.length === 0) {
        rmdirSync(this.dir);
        renameSync(this.tmp, this.dir);
      } else if (!this.force) {
        // DIR holds only a previous run's files (checked when the run began): swap the folders
        const old = mkdtempSync(join(dirname(this.dir), `.${basename(this.dir)}.old-`));
        rmdirSync(old);
        renameSync(this.dir, old);
        try {
          renameSync(this.tmp, this.dir);
        } catch (e) {
          renameSync(old, this.dir);
          throw e;
        }
        rmSync(old, { recursive: true, force: true });
      } else {
        // --force: our files replace theirs of the same name; the folder's other files stay
        for (const f of this.written) renameSync(join(this.tmp, f), join(this.dir, f));
        rmSync(this.tmp, { recursive: true, force: true });
      }
    } catch (e) {
      this.abort();
      throw new FileError(`cannot write to '${printable(this.shown)}': ${reason(e)}`);
    }
  }
}

/**
 * Writes one file the user named (render's PNG): refused when a file is there that `isOurs` does
 * not recognise as ConvLens's own, unless `force`; written next to it and renamed into place, so a
 * failure leaves what was there.
 */
export function writeFileSafely(
  shown: string,
  data: Uint8Array,
  force: boolean,
  isOurs: (head: Uint8Array) => boolean,
): void {
  const path = resolve(shown);
  let exists = false;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new FileError(`cannot write '${printable(shown)}': it is not a regular file`);
    exists = true;
  } catch (e) {
    if (e instanceof FileError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new FileError(`cannot write '${printable(shown)}': ${reason(e)}`);
  }
  if (exists && !force) {
    const head = new Uint8Array(256);
    let n = 0;
    try {
      const fd = openSync(path, 'r');
      try {
        n = readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw new FileError(`cannot write '${printable(shown)}': ${reason(e)}`);
    }
    if (!isOurs(head.subarray(0, n)))
      throw new FileError(
        `'${printable(shown)}' exists and ConvLens did not write it; choose another name, or pass --force to replace it`,
      );
  }
  let tmp: string | null = null;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const dir = mkdtempSync(join(dirname(path), `.${basename(path)}.convlens-`));
    tmp = dir;
    writeFileSync(join(dir, 'out'), data);
    renameSync(join(dir, 'out'), path);
  } catch (e) {
    throw new FileError(`cannot write '${printable(shown)}': ${reason(e)}`);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
