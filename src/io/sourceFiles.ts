/**
 * Python source files read from disk for import following and environment discovery (the
 * analyzer's resolver and discovery host): small files only — a module over 2 MB is not read
 * (each analysis also caps the bytes it imports); a folder listing stops after the entries asked for.
 */
import { opendirSync, readFileSync, realpathSync, statSync } from 'node:fs';

const MAX_MODULE_BYTES = 2 * 1024 * 1024;

export const sourceFiles = {
  exists(path: string): boolean {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  },
  readBytes(path: string, maxBytes: number): Uint8Array | null {
    try {
      const st = statSync(path);
      return st.isFile() && st.size <= maxBytes ? new Uint8Array(readFileSync(path)) : null;
    } catch {
      return null;
    }
  },
  readFile(path: string): string | null {
    try {
      const st = statSync(path);
      return st.isFile() && st.size <= MAX_MODULE_BYTES ? readFileSync(path, 'utf8') : null;
    } catch {
      return null;
    }
  },
  readdir(path: string, limit: number): string[] | null {
    let dir;
    try {
      dir = opendirSync(path);
    } catch {
      return null;
    }
    const names: string[] = [];
    try {
      for (let e = dir.readSync(); e !== null && names.length < limit; e = dir.readSync()) names.push(e.name);
    } catch {
      // a folder that fails part-way gives what was read
    } finally {
      dir.closeSync();
    }
    return names;
  },
  realpath(path: string): string | null {
    try {
      return realpathSync(path);
    } catch {
      return null;
    }
  },
};
