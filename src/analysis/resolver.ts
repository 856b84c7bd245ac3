/**
 * A module resolver over a file system the caller injects (the CLI's node:fs, the extension's
 * workspace): relative imports from the analyzed file's folder; absolute names from that
 * folder and its parents (up to a project root marker, at most 5 levels up), then the
 * site-packages folders given. Paths use '/'; the host reads files and caps their size.
 */
import type { ModuleResolver } from './interp/imports';

export interface ResolverHost {
  /** The file's text, or null when it is missing, unreadable or too large. */
  readFile(path: string): string | null;
  exists(path: string): boolean;
}

/** A resolver that also says where it looks (part of an analysis cache key: another search path, another analysis). */
export interface PathResolver extends ModuleResolver {
  /** The folders absolute names are looked for in, in order. */
  readonly searchPath: readonly string[];
}

const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];
const MAX_PARENT_LEVELS = 5;

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : i === 0 ? '/' : '.';
}

function join(dir: string, rel: string): string {
  return dir.endsWith('/') ? dir + rel : `${dir}/${rel}`;
}

export function pathResolver(fileName: string, sitePackages: readonly string[], host: ResolverHost): PathResolver {
  const file = fileName.replace(/\\/g, '/');
  const dir = dirname(file);
  const roots = [dir];
  for (let d = dir, i = 0; i < MAX_PARENT_LEVELS; i++) {
    if (ROOT_MARKERS.some((m) => host.exists(join(d, m)))) break;
    const up = dirname(d);
    if (up === d) break;
    roots.push(up);
    d = up;
  }
  roots.push(...sitePackages.map((s) => s.replace(/\\/g, '/').replace(/\/+$/, '') || '/'));
  const fromBase = (base: string, name: string): { path: string; source: string } | null => {
    const rel = name.split('.').filter(Boolean).join('/');
    const candidates = rel ? [`${rel}.py`, `${rel}/__init__.py`] : ['__init__.py'];
    for (const c of candidates) {
      const path = join(base, c);
      const source = host.readFile(path);
      if (source !== null) return { path, source };
    }
    return null;
  };
  return {
    fileName: file,
    searchPath: roots,
    read(name, level) {
      if (level > 0) {
        let base = dir;
        for (let i = 1; i < level; i++) base = dirname(base);
        return fromBase(base, name);
      }
      if (!name) return null;
      for (const root of roots) {
        const got = fromBase(root, name);
        if (got) return got;
      }
      return null;
    },
  };
}
