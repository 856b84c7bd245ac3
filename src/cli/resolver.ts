/**
 * The CLI's module resolver: the analyzed file's folders, then the site-packages folders to
 * search — `--site-packages DIR` first, then those of `--python PATH`, of a virtual environment
 * in the file's folder or above it (up to a project marker), of VIRTUAL_ENV and CONDA_PREFIX
 * (src/analysis/environments.ts) — read from disk.
 */
import { resolve } from 'node:path';
import type { ModuleResolver } from '../analysis/analyze';
import { discoverSitePackages } from '../analysis/environments';
import { pathResolver } from '../analysis/resolver';
import { sourceFiles } from '../io/sourceFiles';
import { kerasModelSource } from '../modelfile';
import { flag, type ParsedArgs } from './args';

export function fileResolver(file: string, sitePackages: readonly string[] = []): ModuleResolver {
  return pathResolver(
    resolve(file),
    sitePackages.map((s) => resolve(s)),
    sourceFiles,
    kerasModelSource,
  );
}

export interface SearchFlags {
  /** --site-packages DIR, in the order given. */
  sitePackages?: readonly string[];
  /** --python PATH: an interpreter, an environment folder or a site-packages folder. */
  python?: string;
}

/** --site-packages and --python of a command's arguments. */
export function searchFlags(args: ParsedArgs): SearchFlags {
  const python = flag(args, 'python');
  return { sitePackages: args.flags.get('site-packages') ?? [], ...(python !== undefined ? { python } : {}) };
}

/** The folders searched for `file`'s imports, and what a --python that gave nothing should say. */
export function searchPath(
  file: string,
  flags: SearchFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { folders: string[]; notes: string[] } {
  const found = discoverSitePackages(
    { file: resolve(file), pythonPath: flags.python === undefined ? null : resolve(flags.python), env },
    sourceFiles,
  );
  const given = (flags.sitePackages ?? []).map((s) => resolve(s));
  const folders = [...given, ...found.sitePackages.map((s) => s.path).filter((p) => !given.includes(resolve(p)))];
  return { folders, notes: found.notes.map((n) => `--python: ${n}`) };
}

/** The resolver of a command: its --site-packages and --python flags, then what discovery finds. */
export function commandResolver(
  file: string,
  flags: SearchFlags,
  warn: (note: string) => void,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ModuleResolver {
  const { folders, notes } = searchPath(file, flags, env);
  notes.forEach(warn);
  return fileResolver(file, folders);
}
