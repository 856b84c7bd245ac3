/**
 * Following Python imports into other files, as a language server does. The caller (CLI,
 * extension) injects a resolver that reads a module's source; this file never touches the disk.
 * Each module runs once per analysis in its own global scope (cached by path); a module that is
 * imported again while it loads gets its namespace as filled so far, as Python does, so import
 * cycles end. Framework names (torch, keras, numpy, …) are never read from files: they keep
 * their built-in meaning. How many modules, bytes and steps one analysis may spend on imports is
 * capped, and a capped analysis says so.
 */
import type { Range, Stmt } from '../python/ast';
import { ParseCache, parsePython } from '../python/parse';
import { settle, type Importer, type Interpreter } from './interpreter';
import { UNKNOWN, type ModuleInfo, type Scope, type Value } from './values';

export interface ModuleResolver {
  /** The analyzed file's path: a module that resolves to it is the analyzed file itself. */
  fileName: string;
  /**
   * The source of a module: `level` = the leading dots of a relative import (relative to the
   * analyzed file's package, `name` '' for the package itself), 0 for an absolute name.
   */
  read(moduleName: string, level: number): { path: string; source: string } | null;
  /**
   * A file the code names by path (`load_model('best.keras')`): its absolute path when it exists,
   * looked for in the analyzed file's folder, then in the project root. Absent: not looked for.
   */
  findFile?(path: string): string | null;
  /** A Keras model file (absolute path) as the Python source that builds it, or why it cannot be read. */
  modelSource?(path: string): ModelSourceResult;
}

/** `modelVar`: the variable of the source that holds the model. */
export type ModelSourceResult = { source: string; modelVar: string } | { error: string };

export const IMPORT_LIMITS = {
  /** `import torchvision` reads about 150 modules (datasets, transforms, io, ops, models). */
  modules: 160,
  bytes: 4_000_000,
  /** Resolver look-ups (each may probe several paths), found or not. */
  lookups: 400,
  stepsPerModule: 150_000,
  steps: 1_500_000,
  nesting: 24,
};

/** Roots whose names the framework layer reads itself: never resolved through files. */
const FRAMEWORK_ROOTS = new Set([
  '__future__',
  'argparse',
  'collections',
  'dataclasses',
  'functools',
  'itertools',
  'jax',
  'keras',
  'math',
  'np',
  'numpy',
  're',
  'safetensors',
  'tensorflow',
  'tf',
  'tf_keras',
  'torch',
  'typing',
]);

/**
 * Framework modules read from the package source all the same: keras.applications are Keras code
 * written with Keras layers (resnet_v2.py builds its models with resnet.py's functions), readable
 * when the package is installed where the resolver looks. imagenet_utils keeps the meaning the
 * framework layer gives it (frameworks/kerasApps.ts).
 */
const SOURCE_READ = /^keras\.(src\.)?applications(\.(?!imagenet_utils$)\w+)*$/;

/** Whether a module name keeps its built-in meaning rather than being read from a file. */
function builtIn(name: string): boolean {
  return FRAMEWORK_ROOTS.has(name.split('.')[0]!) && !SOURCE_READ.test(name);
}

type ModuleValue = Extract<Value, { t: 'module' }>;
type ImportStmt = Extract<Stmt, { k: 'import' }>;
type FromStmt = Extract<Stmt, { k: 'from' }>;

export class ModuleLoader implements Importer {
  /** Why imports stopped being followed, if they did. */
  capped: string | null = null;
  private readonly byPath = new Map<string, Scope>();
  private readonly byKey = new Map<string, ModuleValue | null>();
  private modules = 0;
  private bytes = 0;
  private lookups = 0;
  private steps = 0;
  private nesting = 0;
  /** What the analyzed file's load_model calls could not read, at the call. */
  readonly notes: { range: Range; detail: string }[] = [];
  /** Absolute module names the resolver was asked for: found a file, or found none. */
  private readonly found = new Set<string>();
  private readonly missing = new Set<string>();

  constructor(private readonly resolver: ModuleResolver) {}

  importStmt(ip: Interpreter, s: ImportStmt, scope: Scope): void {
    for (const n of s.names) {
      const root = n.module.split('.')[0]!;
      const bound = n.alias ?? root;
      const name = n.alias ? n.module : root;
      const mod = builtIn(name) ? null : this.load(ip, name, 0, s.r);
      scope.vars.set(bound, mod ?? { t: 'qual', path: n.alias ? n.module : root });
    }
  }

  fromStmt(ip: Interpreter, s: FromStmt, scope: Scope): void {
    const m = /^(\.*)(.*)$/.exec(s.module)!;
    const level = m[1]!.length;
    const target = level === 0 && builtIn(m[2]!) ? null : this.target(ip, m[2]!, level);
    // code of an imported module binds its names lazily: only what is used is read
    const lazy = ip.ext !== null && target !== null && !s.names.some((n) => n.name === '*');
    if (lazy) {
      const at = ip.ext?.anchor ?? s.r;
      for (const n of s.names) scope.vars.set(n.alias ?? n.name, this.lazyName(ip, target, n.name, s, at));
      return;
    }
    const mod = target ? this.load(ip, target.name, target.level, s.r) : null;
    for (const n of s.names) {
      if (n.name === '*') {
        if (mod) for (const [k, v] of publicNames(mod.scope)) scope.vars.set(k, v);
        continue;
      }
      scope.vars.set(n.alias ?? n.name, this.member(ip, mod, target, n.name, s, s.r));
    }
  }

  /** `from target import name`: the module's global (read if lazy), else its submodule, else a qualified name. */
  private member(
    ip: Interpreter,
    mod: ModuleValue | null,
    target: { name: string; level: number } | null,
    name: string,
    s: FromStmt,
    at: Range,
  ): Value {
    let v: Value | undefined = mod ? globalOf(mod.scope, name) : undefined;
    if (v === undefined && target) v = this.load(ip, join(target.name, name), target.level, at) ?? undefined;
    return v ?? { t: 'qual', path: `${s.module}.${name}` };
  }

  private lazyName(
    ip: Interpreter,
    target: { name: string; level: number },
    name: string,
    s: FromStmt,
    at: Range,
  ): Value {
    const lazy: Extract<Value, { t: 'lazyname' }> = {
      t: 'lazyname',
      resolve: () => {
        if (lazy.pending) return UNKNOWN;
        lazy.pending = true;
        try {
          const mod = this.load(ip, target.name, target.level, at);
          return this.member(ip, mod, target, name, s, at);
        } finally {
          lazy.pending = false;
        }
      },
    };
    return lazy;
  }

  moduleAttr(ip: Interpreter, mod: ModuleValue, name: string): Value {
    const own = globalOf(mod.scope, name);
    if (own !== undefined) return own;
    const { info } = mod;
    const sub = info.isPackage ? this.load(ip, join(info.name, name), info.level, ip.ext?.anchor ?? null) : null;
    return sub ?? { t: 'qual', path: `${'.'.repeat(info.level)}${join(info.name, name)}` };
  }

  findDefinition(ip: Interpreter, pkg: string, name: string): Value | null {
    const init = this.source(pkg);
    if (!init) return null;
    // by the package's file: another environment has its own answer
    const key = `${init.path}:${name}`;
    let site = definitionSites.get(key);
    if (site === undefined) {
      site = this.scanForDefinition(pkg, init.source, name);
      if (site === undefined) return null; // look-ups capped: not known either way
      // found or not, remembered (a name no module defines is not searched again on every edit)
      definitionSites.set(key, site);
      while (definitionSites.size > 256) definitionSites.delete(definitionSites.keys().next().value!);
    }
    const mod = site ? this.load(ip, site, 0, ip.ext?.anchor ?? null) : null;
    const v = mod ? globalOf(mod.scope, name) : undefined;
    return v && v.t !== 'unknown' ? v : null;
  }

  /**
   * Which submodule `pkg/__init__.py` star-imports (`from .resnet import *`) has `def name(` in its
   * text; null when none, undefined when the look-ups ran out.
   */
  private scanForDefinition(pkg: string, init: string, name: string): string | null | undefined {
    const def = new RegExp(`^def ${name.replace(/[^\w]/g, '')}\\(`, 'm');
    const subs = [...init.matchAll(/^from\s+\.([\w.]+)\s+import\s+\*/gm)].map((m) => `${pkg}.${m[1]!}`);
    for (const sub of subs) {
      if (++this.lookups > IMPORT_LIMITS.lookups) {
        this.cap(`only the first ${IMPORT_LIMITS.lookups} module look-ups were made`);
        return undefined;
      }
      const got = this.source(sub);
      if (got && def.test(got.source)) return sub;
    }
    return null;
  }

  /** A module's file and text through the resolver (a resolver that throws finds nothing). */
  private source(name: string): { path: string; source: string } | null {
    try {
      return this.resolver.read(name, 0);
    } catch {
      return null;
    }
  }

  /** A relative import in the code running now → a name relative to the analyzed file's package. */
  private target(ip: Interpreter, name: string, level: number): { name: string; level: number } | null {
    const cur = ip.ext?.info;
    if (level === 0 || !cur) return { name, level };
    const parts = cur.name ? cur.name.split('.') : [];
    if (!cur.isPackage) parts.pop();
    let lvl = cur.level;
    for (let i = 1; i < level; i++) {
      if (parts.length > 0) parts.pop();
      else if (lvl > 0) lvl++;
      else return null; // beyond the top-level package
    }
    return { name: [...parts, ...name.split('.').filter(Boolean)].join('.'), level: lvl };
  }

  note(at: Range, detail: string): void {
    if (this.notes.length < 100) this.notes.push({ range: at, detail });
  }

  /** A file the code names by path, as an absolute path when it exists (a resolver that throws finds nothing). */
  findFile(path: string): string | null {
    try {
      return this.resolver.findFile?.(path) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * `keras.models.load_model(path)`: the model file written as Keras code (ModuleResolver.modelSource)
   * and run as a module is; the model it builds is the call's value, its weights from that file.
   */
  loadModelFile(ip: Interpreter, path: string, at: Range): Value {
    if (!this.resolver.findFile || !this.resolver.modelSource) return UNKNOWN;
    const file = this.findFile(path);
    if (!file) {
      this.notes.push({ range: at, detail: `${path}: model file not found next to the file or in the project root` });
      return UNKNOWN;
    }
    let got: ModelSourceResult;
    try {
      got = this.resolver.modelSource(file);
    } catch (e) {
      got = { error: `${path}: ${e instanceof Error ? e.message : String(e)}` };
    }
    if ('error' in got) {
      this.notes.push({ range: at, detail: `the model file is not read: ${got.error}` });
      return UNKNOWN;
    }
    const info: ModuleInfo = { file, source: got.source, name: file, level: 0, isPackage: false };
    const scope: Scope = { vars: new Map([['__name__', { t: 'str', v: '__main__' }]]), parent: null, module: info };
    const marks = [ip.instances.length, ip.containers.length, ip.kmodels.length] as const;
    this.nesting++;
    try {
      const mod = parsePython(got.source, parseCacheFor(file));
      ip.runExternal(mod.body, scope, { info, anchor: ip.ext?.anchor ?? at }, IMPORT_LIMITS.stepsPerModule);
    } catch (e) {
      this.capped ??= `model file ${path}: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.nesting--;
      ip.instances.splice(marks[0]);
      ip.containers.splice(marks[1]);
      ip.kmodels.splice(marks[2]);
    }
    const model = scope.vars.get(got.modelVar);
    if (model?.t === 'container') ip.containers.push(model);
    else if (model?.t === 'kmodel') ip.kmodels.push(model);
    else return UNKNOWN;
    model.weightsFile = { path: file, range: at };
    return model;
  }

  /** An absolute module by name (a framework's own are not read), for names reached without an import statement. */
  module(ip: Interpreter, name: string): ModuleValue | null {
    return builtIn(name) ? null : this.load(ip, name, 0, ip.ext?.anchor ?? null);
  }

  private load(ip: Interpreter, name: string, level: number, at: Range | null): ModuleValue | null {
    if (level === 0 && builtIn(name)) return null;
    const key = `${level}:${name}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const value = this.read(ip, name, level, at);
    this.byKey.set(key, value);
    return value;
  }

  private read(ip: Interpreter, name: string, level: number, at: Range | null): ModuleValue | null {
    if (this.nesting >= IMPORT_LIMITS.nesting) return this.cap(`imports nested deeper than ${IMPORT_LIMITS.nesting}`);
    if (++this.lookups > IMPORT_LIMITS.lookups)
      return this.cap(`only the first ${IMPORT_LIMITS.lookups} module look-ups were made`);
    let got: { path: string; source: string } | null;
    try {
      got = this.resolver.read(name, level);
    } catch {
      got = null;
    }
    if (level === 0) (got ? this.found : this.missing).add(name);
    if (!got) return null;
    const isPackage = /(^|[\\/])__init__\.pyi?$/.test(got.path);
    const info: ModuleInfo = { file: got.path, source: got.source, name, level, isPackage };
    if (got.path === this.resolver.fileName) return { t: 'module', info, scope: ip.globals };
    const cached = this.byPath.get(got.path);
    if (cached) return { t: 'module', info: cached.module ?? info, scope: cached };
    if (this.modules >= IMPORT_LIMITS.modules)
      return this.cap(`only the first ${IMPORT_LIMITS.modules} imported modules were read`);
    if (this.bytes + got.source.length > IMPORT_LIMITS.bytes)
      return this.cap(`imported modules beyond ${IMPORT_LIMITS.bytes / 1e6} MB were not read`);
    if (this.steps >= IMPORT_LIMITS.steps)
      return this.cap(`imported modules stopped after ${IMPORT_LIMITS.steps.toLocaleString('en-US')} steps`);
    this.modules++;
    this.bytes += got.source.length;
    const scope: Scope = { vars: new Map([['__name__', { t: 'str', v: name }]]), parent: null, module: info };
    this.byPath.set(got.path, scope);
    const marks = [ip.instances.length, ip.containers.length, ip.kmodels.length] as const;
    this.nesting++;
    try {
      const mod = parsePython(got.source, parseCacheFor(got.path));
      const limit = Math.min(IMPORT_LIMITS.stepsPerModule, IMPORT_LIMITS.steps - this.steps);
      this.steps += ip.runExternal(
        mod.body,
        scope,
        { info, anchor: ip.ext?.anchor ?? at ?? { from: 0, to: 0 } },
        limit,
      );
    } catch (e) {
      // a module we cannot follow must not take the analyzed file down with it
      this.capped ??= `module ${name || '.'}: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.nesting--;
      // objects a module builds while it loads are not the analyzed file's models
      ip.instances.splice(marks[0]);
      ip.containers.splice(marks[1]);
      ip.kmodels.splice(marks[2]);
    }
    return { t: 'module', info, scope };
  }

  /**
   * For a dotted name bound by an import (`torchvision.models.resnet18`): the module it comes from
   * when the resolver found no file for it, looked up before anything of it was found; else null
   * (found, never looked up, a framework name, or not looked up because a cap was reached).
   */
  notFound(path: string): string | null {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const name = parts.slice(0, i).join('.');
      if (this.found.has(name)) return null;
      if (this.missing.has(name)) return name;
    }
    return null;
  }

  private cap(why: string): null {
    this.capped ??= `imports: ${why}`;
    return null;
  }
}

/** A module's global, a lazily imported one read now. */
function globalOf(scope: Scope, name: string): Value | undefined {
  const v = scope.vars.get(name);
  // `from pkg import sub` inside pkg itself, while it resolves: the name is the submodule
  if (v?.t === 'lazyname' && v.pending) return undefined;
  return v?.t === 'lazyname' ? settle(scope, name, v) : v;
}

function join(a: string, b: string): string {
  return a ? `${a}.${b}` : b;
}

/** `from m import *`: `__all__` when it is a list of strings, else the names without `_`. */
function publicNames(scope: Scope): [string, Value][] {
  const all = scope.vars.get('__all__');
  if (all && (all.t === 'list' || all.t === 'tuple') && all.items.every((i) => i.t === 'str'))
    return all.items.flatMap((i) => {
      const v = globalOf(scope, (i as { v: string }).v);
      return v === undefined ? [] : [[(i as { v: string }).v, v] as [string, Value]];
    });
  return [...scope.vars].filter(([k]) => !k.startsWith('_'));
}

/**
 * Where a package's function was found (`timm.models:resnet50` → `timm.models.resnet`; null: in
 * none of its modules), kept between analyses.
 */
const definitionSites = new Map<string, string | null>();

/**
 * Parses of imported modules kept between analyses (the editor re-analyzes on every edit of the
 * document, not of the modules it imports): a ParseCache per path re-parses only the chunks that
 * changed. The last PARSE_CACHE_PATHS paths are kept (more than IMPORT_LIMITS.modules, so that
 * re-analyzing a file whose imports fill the module cap parses nothing again).
 */
const PARSE_CACHE_PATHS = 192;
const parseCaches = new Map<string, ParseCache>();

function parseCacheFor(path: string): ParseCache {
  let cache = parseCaches.get(path);
  if (cache) parseCaches.delete(path);
  else cache = new ParseCache();
  parseCaches.set(path, cache);
  while (parseCaches.size > PARSE_CACHE_PATHS) parseCaches.delete(parseCaches.keys().next().value!);
  return cache;
}
