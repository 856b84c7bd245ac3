/** The CLI's module resolver: the analyzed file's folders and --site-packages, read from disk. */
import { resolve } from 'node:path';
import type { ModuleResolver } from '../analysis/analyze';
import { pathResolver } from '../analysis/resolver';
import { sourceFiles } from '../io/sourceFiles';

export function fileResolver(file: string, sitePackages: readonly string[] = []): ModuleResolver {
  return pathResolver(
    resolve(file),
    sitePackages.map((s) => resolve(s)),
    sourceFiles,
  );
}
