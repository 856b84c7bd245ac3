/**
 * Python source files read from disk for import following (the analyzer's resolver host): small
 * files only — a module over 2 MB is not read (each analysis also caps the bytes it imports).
 */
import { readFileSync, statSync } from 'node:fs';

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
  readFile(path: string): string | null {
    try {
      const st = statSync(path);
      return st.isFile() && st.size <= MAX_MODULE_BYTES ? readFileSync(path, 'utf8') : null;
    } catch {
      return null;
    }
  },
};
