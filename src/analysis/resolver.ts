/**
 * A module resolver over a file system the caller injects (the CLI's node:fs, the extension's
 * workspace): relative imports from the analyzed file's folder; absolute names from that
 * folder and its parents (up to a project root marker, at most 5 levels up), then the
 * site-packages folders given. Paths use '/'; the host reads files and caps their size.
 * Files the code names by path (`load_model('best.keras')`) are looked for in the analyzed
 * file's folder, then in the project root; a Keras model file is turned into source by the
 * `modelSource` the caller gives (src/modelfile, a floor above this one).
 */
import type { ModelSourceResult, ModuleResolver } from './interp/imports';

export interface ResolverHost {
  /** The file's text, or null when it is missing, unreadable or too large. */
  readFile(path: string): string | null;
  exists(path: string): boolean;
  /** The file's bytes, or null when it is missing, unreadable or over `maxBytes`. */
  readBytes?(path: string, maxBytes: number): Uint8Array | null;
}

/** Model file bytes → the Python source that builds the model (src/modelfile kerasModelSource). */
export type ModelSourceReader = (bytes: Uint8Array, name: string) => ModelSourceResult;

/** Model files load_model reads while analyzing (their weights are read too, by jsfive, for legacy .h5). */
export const MAX_MODEL_FILE_BYTES = 512 * 1024 * 1024;

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

/** 'a/./b/../c' → 'a/c' (a leading '..' is kept). */
function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '.' || (seg === '' && out.length > 0)) continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(seg);
  }
  return out.join('/') || '/';
}

export function pathResolver(
  fileName: string,
  sitePackages: readonly string[],
  host: ResolverHost,
  modelSource?: ModelSourceReader,
): PathResolver {
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
  const projectRoot = roots[roots.length - 1]!;
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
  const findFile = (path: string): string | null => {
    const p = path.replace(/\\/g, '/');
    if (p === '' || p.includes('\0')) return null;
    const absolute = p.startsWith('/') || /^[A-Za-z]:\//.test(p);
    for (const base of absolute ? [''] : [...new Set([dir, projectRoot])]) {
      const full = normalize(absolute ? p : join(base, p));
      if (host.exists(full)) return full;
    }
    return null;
  };
  return {
    fileName: file,
    searchPath: roots,
    findFile,
    ...(modelSource
      ? {
          modelSource(path: string): ModelSourceResult {
            const name = path.slice(path.lastIndexOf('/') + 1);
            const bytes = host.readBytes?.(path, MAX_MODEL_FILE_BYTES) ?? null;
            if (!bytes)
              return {
                error: `${name} cannot be read (missing, not a file, or over ${MAX_MODEL_FILE_BYTES >> 20} MB)`,
              };
            return modelSource(bytes, name);
          },
        }
      : {}),
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
