/** The CLI's module resolver: the analyzed file's folders and --site-packages, read with node:fs. */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModuleResolver } from '../analysis/analyze';
import { pathResolver } from '../analysis/resolver';

/** Larger modules are not read (the analyzer caps each analysis's imported bytes too). */
const MAX_MODULE_BYTES = 2 * 1024 * 1024;

export function fileResolver(file: string, sitePackages: readonly string[] = []): ModuleResolver {
  return pathResolver(
    resolve(file),
    sitePackages.map((s) => resolve(s)),
    {
      exists(path) {
        try {
          statSync(path);
          return true;
        } catch {
          return false;
        }
      },
      readFile(path) {
        try {
          const st = statSync(path);
          return st.isFile() && st.size <= MAX_MODULE_BYTES ? readFileSync(path, 'utf8') : null;
        } catch {
          return null;
        }
      },
    },
  );
}
