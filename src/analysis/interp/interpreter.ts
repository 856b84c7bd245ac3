/**
 * A small, bounded Python interpreter over our AST: enough of Python to follow the code that
 * builds models (constants, arithmetic, lists, loops, conditionals, functions with defaults,
 * classes with __init__/forward/call) without running any Python. Framework calls are handled
 * by frameworks/calls.ts. Every run is bounded: steps, call depth, loop trips and list sizes.
 */
import type { Arg, Expr, Field, Module, Param, Range, Stmt } from '../python/ast';
import type { CallSite, LayerSpec } from '../../model/ir';
import type { InferResult } from '../../model/layers';
import { LineMap } from '../python/lines';
import type { MissingLibraries } from './libraries';
import { builtinWork, callBuiltin, isBuiltinName } from './builtins';
import { binaryOp, compareOp, partialArgs, sliceValue } from './operators';
import { MODEL_METHODS, stopPoint, type LostModel, type StopPoint } from './stops';
import { formatField } from './strings';
import { tensorIndexItems } from './tensorIndex';
import type { TensorIndexItem } from './tensorIndex';
import {
  type CallArgs,
  NONE,
  UNKNOWN,
  asInt,
  equal,
  float,
  iterItems,
  num,
  primitiveKey,
  sizeOf,
  truthy,
  type ClassStmt,
  type ClassValue,
  type ContainerValue,
  type DefStmt,
  type InstanceValue,
  type KerasModelValue,
  type LayerValue,
  type ModuleInfo,
  type Scope,
  type TensorValue,
  type Value,
} from './values';

export const LIMITS = {
  /** Steps of one phase: the module's run, one class built with its defaults, one trace. */
  steps: 400_000,
  /**
   * Steps of the whole analysis, imported modules included, never reset: every statement is one,
   * and a builtin or an operator is charged every element it reads or builds.
   */
  analysisSteps: 4_000_000,
  /** After the budget or the deadline ran out: steps to trace the models already built. */
  lastSteps: 200_000,
  /** Layer applications recorded over the whole analysis (every trace of every model). */
  layers: 50_000,
  /** Steps between two looks at the clock when the analysis has a deadline. */
  clockEvery: 4096,
  callDepth: 40,
  loopTrips: 10_000,
  listItems: 100_000,
};

export class BudgetExceeded extends Error {}

const LAMBDA_DEFS = new WeakMap<object, DefStmt>();

/** A lambda as the function it is: one `return` of its body (one def per lambda expression). */
function lambdaDef(e: Extract<Expr, { k: 'lambda' }>): DefStmt {
  let def = LAMBDA_DEFS.get(e);
  if (!def) {
    def = { k: 'def', name: '<lambda>', params: e.params, body: [{ k: 'return', value: e.body, r: e.body.r }], r: e.r };
    LAMBDA_DEFS.set(e, def);
  }
  return def;
}

/** A tensor, or a list/tuple holding one (`torch.cat([a, b])`): what a trace follows. */
function carriesTensor(v: Value): boolean {
  return v.t === 'tensor' || ((v.t === 'list' || v.t === 'tuple') && v.items.some((x) => x.t === 'tensor'));
}

/** A lazily imported name's value, now read (imports.ts): it replaces the placeholder in its scope. */
export function settle(scope: Scope, name: string, lazy: Extract<Value, { t: 'lazyname' }>): Value {
  const v = lazy.resolve();
  const out = v.t === 'lazyname' ? UNKNOWN : v;
  if (scope.vars.get(name) === lazy) scope.vars.set(name, out);
  return out;
}

export interface NodeRecord {
  spec: LayerSpec;
  argRanges: Record<string, Range>;
  inputs: TensorValue[];
  output: TensorValue;
  callRange: Range;
  /** The calls of the analyzed file the application ran inside, outermost first (LayerNode.via). */
  via?: CallSite[];
  /** null when an input shape was unknown (propagation had stopped). */
  result: InferResult | null;
  label: string;
}

/** Hooks into the framework layer (frameworks/calls.ts), set by the analyzer. */
export interface FrameworkHooks {
  qualifiedName(name: string): string | null;
  callQualified(ip: Interpreter, path: string, args: CallArgs, range: Range): Value;
  callLayer(ip: Interpreter, layer: LayerValue | ContainerValue | KerasModelValue, args: CallArgs, range: Range): Value;
  callMethod(ip: Interpreter, self: Value, name: string, args: CallArgs, range: Range): Value | undefined;
  getAttr(ip: Interpreter, obj: Value, name: string): Value | undefined;
  classFramework(bases: Value[]): 'keras' | 'pytorch' | null;
  onInstanceCalled(ip: Interpreter, inst: InstanceValue, args: CallArgs, range: Range): Value | undefined;
  /** A call of a function defined in a library file (path), when the framework layer gives its meaning. */
  libraryCall(ip: Interpreter, file: string, name: string, args: CallArgs, range: Range): Value | undefined;
  /** The names in a framework namespace (`dir(torch.nn.functional)`), when known. */
  namespaceNames(path: string): readonly string[] | null;
  /** A module's forward returned `out` (a module without submodules gets its row there). */
  onForwardReturned(ip: Interpreter, inst: InstanceValue, out: Value, range: Range): Value;
  /** A Python operator with a tensor on either side (`a + b`, `x * 0.5`). */
  tensorBinary(ip: Interpreter, op: string, l: Value, r: Value, range: Range): Value;
  /** A subscript of a tensor (`x[:, :d]`); items null when they could not be read. */
  tensorIndex(ip: Interpreter, x: TensorValue, items: TensorIndexItem[] | null, range: Range): Value;
}

/** Follows `import` statements into other files (imports.ts); absent, imports bind names only. */
export interface Importer {
  importStmt(ip: Interpreter, s: Extract<Stmt, { k: 'import' }>, scope: Scope): void;
  fromStmt(ip: Interpreter, s: Extract<Stmt, { k: 'from' }>, scope: Scope): void;
  /** `mod.name` for a module value: its global, a submodule, else the qualified name. */
  moduleAttr(ip: Interpreter, mod: Extract<Value, { t: 'module' }>, name: string): Value;
  /**
   * A function a package's modules define (`def resnet50(` in one of the modules `pkg/__init__.py`
   * star-imports), found by reading their text and run only in the module that has it; null when none does.
   */
  findDefinition(ip: Interpreter, pkg: string, name: string): Value | null;
  /** An absolute module by name, when it is read from source (null: not readable, or not found). */
  module(ip: Interpreter, name: string): Extract<Value, { t: 'module' }> | null;
  /** A file the code names by path, as an absolute path when it exists. */
  findFile(path: string): string | null;
  /** `load_model(path)`: the model the Keras model file holds (unknown when it cannot be read). */
  loadModelFile(ip: Interpreter, path: string, at: Range): Value;
  /** An information for the user at a call (a file not found, a pickle not read). */
  note(at: Range, detail: string): void;
}

/** Code of another module being run: its file, and the analyzed file's range whose call led there. */
export interface ExternalContext {
  info: ModuleInfo;
  anchor: Range;
}

type Signal = { kind: 'return'; value: Value } | null;

export class Interpreter {
  readonly nodes: NodeRecord[] = [];
  readonly classes: ClassValue[] = [];
  readonly instances: InstanceValue[] = [];
  readonly containers: ContainerValue[] = [];
  readonly kmodels: KerasModelValue[] = [];
  readonly layers: LayerValue[] = [];
  /** Example tensors created at module level, for models called on them. */
  readonly globals: Scope = { vars: new Map(), parent: null };
  capped: string | null = null;
  /** --input-shape: replaces the shape of every keras.Input (without the batch dimension). */
  inputShapeOption: number[] | null = null;
  /** Set while a model's forward/call is being traced. */
  tracing = 0;
  /** Where the current trace lost its tensor (reset by each trace). */
  stop: StopPoint | null = null;
  /** The model being traced (the model itself, unlike its modules, gets no row of its own). */
  tracedRoot: Value | null = null;
  importer: Importer | null = null;
  /** Watches calls into libraries whose source was not found (analyze.ts reports them). */
  libraries: MissingLibraries | null = null;
  /** Set while code of another module runs; ranges handed on are then `anchor`. */
  ext: ExternalContext | null = null;
  private steps = 0;
  private stepLimit = LIMITS.steps;
  /** Steps of the whole analysis (never reset), and why it stopped once it has. */
  private total = 0;
  private totalLimit = LIMITS.analysisSteps;
  private ended: string | null = null;
  /** Why the analysis stopped before its last allowance (the reason it reports). */
  private endedFirst: string | null = null;
  /** A wall-clock limit: the clock (ms) and the time it must stop at; none by default. */
  private clock: (() => number) | null = null;
  private deadline = Infinity;
  private deadlineSeconds = 0;
  private nextClockCheck = LIMITS.clockEvery;
  private depth = 0;
  private nextIdValue = 1;
  private readonly nameCounters = new Map<string, number>();

  private lines: LineMap | null = null;
  /** Class bodies: methods close over the module scope, not the class body (Python's rule). */
  private readonly classScopes = new WeakSet<Scope>();
  /** The methods being run (innermost last), for `super()` without arguments. */
  private readonly methods: { self: InstanceValue; owner: ClassValue }[] = [];
  /** Functions that have run at least once. */
  readonly calledDefs = new WeakSet<object>();

  constructor(
    readonly hooks: FrameworkHooks,
    readonly source: string,
  ) {}

  private readonly onTensor = (op: string, l: Value, r: Value, range: Range): Value =>
    this.hooks.tensorBinary(this, op, l, r, this.at(range));

  /** A range to hand on: in the analyzed file, or the call here that led into another module. */
  at(range: Range): Range {
    return this.ext ? this.ext.anchor : range;
  }

  /**
   * Runs another module's top level in its own context and step budget (steps spent are
   * returned); budget overruns end only that module.
   */
  runExternal(body: readonly Stmt[], scope: Scope, ext: ExternalContext, stepLimit: number): number {
    const saved = { steps: this.steps, limit: this.stepLimit, ext: this.ext, depth: this.depth };
    this.steps = 0;
    this.stepLimit = stepLimit;
    this.ext = ext;
    this.depth = 0;
    let spent = 0;
    try {
      this.execBlock(body, scope);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
    } finally {
      spent = this.steps;
      this.steps = saved.steps;
      this.stepLimit = saved.limit;
      this.ext = saved.ext;
      this.depth = saved.depth;
    }
    return spent;
  }

  /** 1-based line of an offset (the line table is built once, on first use). */
  line(offset: number): number {
    this.lines ??= new LineMap(this.source);
    return this.lines.position(offset).line;
  }

  nextId(): number {
    return this.nextIdValue++;
  }

  /** Keras-style unique names: conv2d, conv2d_1, … (one counter per prefix, per file). */
  uniqueName(prefix: string): string {
    const n = this.nameCounters.get(prefix) ?? 0;
    this.nameCounters.set(prefix, n + 1);
    return n === 0 ? prefix : `${prefix}_${n}`;
  }

  tick(): void {
    this.charge(1);
  }

  /**
   * Spends `n` steps of the phase's budget and of the analysis's (an element a builtin touched
   * costs what a statement does). Once the analysis's budget or its deadline has run out, every
   * later charge throws at once, so what remains (other classes, other traces) ends quickly.
   */
  charge(n: number): void {
    this.steps += n;
    this.total += n;
    if (this.ended !== null) throw new BudgetExceeded(this.ended);
    if (this.total > this.totalLimit)
      this.end(this.endedFirst ?? `analysis stopped after ${this.totalLimit.toLocaleString('en-US')} steps`);
    if (this.clock && this.total >= this.nextClockCheck) {
      this.nextClockCheck = this.total + LIMITS.clockEvery;
      if (this.clock() > this.deadline) this.end(`analysis stopped after ${this.deadlineSeconds} s`);
    }
    if (this.steps > this.stepLimit)
      throw new BudgetExceeded(`analysis stopped after ${this.stepLimit.toLocaleString('en-US')} steps`);
  }

  private end(why: string): never {
    this.ended = why;
    this.capped ??= why;
    throw new BudgetExceeded(why);
  }

  /**
   * After the analysis stopped: `steps` more (no clock) to trace the models already built, so a
   * capped analysis still returns them; once spent it stops for good, for the same reason.
   */
  lastAllowance(steps: number): void {
    if (this.ended === null || this.endedFirst !== null) return;
    this.endedFirst = this.ended;
    this.ended = null;
    this.clock = null;
    this.totalLimit = this.total + steps;
  }

  /** Steps the analysis has spent so far, imported modules included. */
  get stepsSpent(): number {
    return this.total;
  }

  /** Why the whole analysis stopped (its budget or its deadline ran out), if it did. */
  get stopped(): string | null {
    return this.ended;
  }

  /**
   * Stops the analysis once `clock` (milliseconds) passes `until`, looked at every few thousand
   * steps; `seconds` is the limit as the message says it.
   */
  setDeadline(until: number, seconds: number, clock: () => number): void {
    this.clock = clock;
    this.deadlineSeconds = seconds;
    this.deadline = until;
    this.nextClockCheck = this.total + LIMITS.clockEvery;
  }

  /** Resets the phase's step budget (each model trace gets its own); the analysis's runs on. */
  resetBudget(): void {
    this.steps = 0;
  }

  runModule(mod: Module): void {
    // run as a script, so `if __name__ == "__main__":` blocks count
    this.globals.vars.set('__name__', { t: 'str', v: '__main__' });
    try {
      this.execBlock(mod.body, this.globals);
    } catch (e) {
      if (e instanceof BudgetExceeded) this.capped = e.message;
      else throw e;
    }
  }

  // ---- statements ----

  execBlock(stmts: readonly Stmt[], scope: Scope): Signal {
    for (const s of stmts) {
      const sig = this.exec(s, scope);
      if (sig) return sig;
    }
    return null;
  }

  private exec(s: Stmt, scope: Scope): Signal {
    this.tick();
    switch (s.k) {
      case 'assign': {
        const top = this.depth === 0 && this.tracing === 0 && !this.ext && s.value.k === 'call';
        const before = this.layers.length;
        const v = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, v, scope);
        if (top) this.noteLostResult(s.targets[0]!, v, before);
        return null;
      }
      case 'augassign': {
        const cur = this.eval(s.target, scope);
        const rhs = this.eval(s.value, scope);
        if (cur.t === 'list' && s.op === '+') {
          const items = iterItems(rhs);
          if (items) this.extend(cur, items);
          return null;
        }
        this.assign(s.target, binaryOp(this.onTensor, s.op, cur, rhs, s.r), scope);
        return null;
      }
      case 'expr':
        this.eval(s.value, scope);
        return null;
      case 'import':
        if (this.importer) {
          this.importer.importStmt(this, s, scope);
          return null;
        }
        for (const n of s.names) {
          if (n.alias) scope.vars.set(n.alias, { t: 'qual', path: n.module });
          else scope.vars.set(n.module.split('.')[0]!, { t: 'qual', path: n.module.split('.')[0]! });
        }
        return null;
      case 'from':
        if (this.importer) {
          this.importer.fromStmt(this, s, scope);
          return null;
        }
        for (const n of s.names) {
          if (n.name === '*') continue;
          scope.vars.set(n.alias ?? n.name, { t: 'qual', path: `${s.module}.${n.name}` });
        }
        return null;
      case 'def':
        scope.vars.set(s.name, { t: 'func', def: s, scope, self: null });
        return null;
      case 'lazydef':
        scope.vars.set(s.name, { t: 'lazyfunc', load: s.load, scope, r: s.r });
        return null;
      case 'class': {
        const bases = s.bases.filter((a) => !a.name).map((a) => this.eval(a.value, scope));
        const clsScope: Scope = { vars: new Map(), parent: scope };
        this.classScopes.add(clsScope);
        const cls: ClassValue = {
          t: 'class',
          id: this.nextId(),
          def: s,
          bases,
          scope: clsScope,
          framework: this.hooks.classFramework(bases),
          instantiated: 0,
          ...(this.ext ? { file: this.ext.info.file } : {}),
        };
        this.execBlock(s.body, clsScope);
        if (s.fields) dataclassInit(cls, s);
        scope.vars.set(s.name, cls);
        // another module's classes are not this file's models
        if (!this.ext) this.classes.push(cls);
        return null;
      }
      case 'return':
        return { kind: 'return', value: s.value ? this.eval(s.value, scope) : NONE };
      case 'for': {
        const it = this.eval(s.iter, scope);
        if (it.t === 'range' && it.step !== 0 && Math.ceil((it.stop - it.start) / it.step) > LIMITS.loopTrips) {
          throw new BudgetExceeded(
            `a loop over range(${it.start}, ${it.stop}) has more than ${LIMITS.loopTrips.toLocaleString('en-US')} steps`,
          );
        }
        const items = iterItems(it);
        if (!items) return null;
        let trips = 0;
        for (const item of [...items]) {
          if (++trips > LIMITS.loopTrips)
            throw new BudgetExceeded(`a loop ran more than ${LIMITS.loopTrips.toLocaleString('en-US')} times`);
          this.assign(s.target, item, scope);
          const sig = this.execBlock(s.body, scope);
          if (sig) return sig;
        }
        return null;
      }
      case 'if':
        for (const b of s.branches) {
          if (b.test === null) return this.execBlock(b.body, scope);
          // An unknown condition counts as false: optional code is skipped rather than guessed.
          if (truthy(this.eval(b.test, scope)) === true) return this.execBlock(b.body, scope);
        }
        return null;
      case 'block':
        return this.execBlock(s.body, scope);
      case 'other':
        return null;
    }
  }

  callValue(fn: Value, positional: Value[], range: Range): Value {
    return this.call(
      fn,
      { positional, keywords: new Map(), posRanges: positional.map(() => range), kwRanges: new Map() },
      range,
    );
  }

  namesOf(obj: Value): readonly string[] | null {
    if (obj.t === 'module') return [...obj.scope.vars.keys()];
    if (obj.t === 'qual') return this.hooks.namespaceNames(obj.path);
    return null;
  }

  extend(list: Extract<Value, { t: 'list' }>, items: readonly Value[]): void {
    this.charge(items.length);
    if (list.items.length + items.length > LIMITS.listItems)
      throw new BudgetExceeded(`a list grew beyond ${LIMITS.listItems.toLocaleString('en-US')} items`);
    list.items.push(...items);
  }

  assign(target: Expr, v: Value, scope: Scope): void {
    switch (target.k) {
      case 'name':
        scope.vars.set(target.id, v);
        this.nameValue(v, target.id);
        return;
      case 'tuple':
      case 'list': {
        const items = iterItems(v);
        target.items.forEach((t, i) =>
          this.assign(t, items && items.length === target.items.length ? items[i]! : UNKNOWN, scope),
        );
        return;
      }
      case 'attr': {
        const obj = this.eval(target.obj, scope);
        if (obj.t === 'instance') this.setInstanceAttr(obj, target.name, v);
        return;
      }
      case 'subscript': {
        const obj = this.eval(target.obj, scope);
        const idx = this.eval(target.index, scope);
        if (obj.t === 'list') {
          const i = asInt(idx);
          if (i !== null && i >= -obj.items.length && i < obj.items.length)
            obj.items[i < 0 ? i + obj.items.length : i] = v;
        } else if (obj.t === 'container' || (obj.t === 'instance' && obj.containerKind)) {
          setContainerItem(this, obj, idx, v);
        } else if (obj.t === 'dict') {
          this.charge(obj.keys.length);
          const k = obj.keys.findIndex((key) => equal(key, idx) === true);
          if (k >= 0) obj.vals[k] = v;
          else {
            obj.keys.push(idx);
            obj.vals.push(v);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private nameValue(v: Value, name: string): void {
    if ((v.t === 'container' || v.t === 'instance' || v.t === 'kmodel') && v.varName === null && this.depth === 0)
      v.varName = name;
  }

  setInstanceAttr(inst: InstanceValue, name: string, v: Value): void {
    // an nn.Parameter assigned to a module attribute is registered as the module's own
    const prev = inst.own?.get(name);
    if (v.t === 'tensor' && v.param && inst.cls.framework === 'pytorch')
      (inst.own ??= new Map()).set(name, { tensor: v, buffer: false });
    else if (prev?.buffer && v.t === 'tensor') prev.tensor = v;
    else if (prev) inst.own!.delete(name);
    const isModule = v.t === 'layer' || v.t === 'container' || v.t === 'instance';
    if (isModule && !inst.children.includes(name)) inst.children.push(name);
    if (isModule && (v.t === 'container' || v.t === 'instance')) v.usedAsChild = true;
    inst.attrs.set(name, v);
  }

  // ---- expressions ----

  lookup(name: string, scope: Scope): Value {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v.t === 'lazyname' ? settle(s, name, v) : v;
    }
    if (isBuiltinName(name)) return { t: 'builtin', name, self: null };
    const q = this.hooks.qualifiedName(name);
    return q ? { t: 'qual', path: q } : UNKNOWN;
  }

  eval(e: Expr, scope: Scope): Value {
    this.tick();
    switch (e.k) {
      case 'num':
        return e.float ? float(e.v) : num(e.v);
      case 'str':
        return { t: 'str', v: e.v };
      case 'const':
        return e.v === null ? NONE : { t: 'bool', v: e.v };
      case 'name':
        return this.lookup(e.id, scope);
      case 'lambda':
        return { t: 'func', def: lambdaDef(e), scope, self: null };
      case 'attr':
        return this.getAttr(this.eval(e.obj, scope), e.name);
      case 'call':
        return this.evalCall(e, scope);
      case 'tuple':
      case 'list':
      case 'set': {
        const items: Value[] = [];
        for (const it of e.items) {
          if (it.k === 'starred') {
            const inner = iterItems(this.eval(it.value, scope));
            if (inner) {
              this.charge(inner.length);
              items.push(...inner);
            }
          } else items.push(this.eval(it, scope));
        }
        return e.k === 'tuple' ? { t: 'tuple', items } : { t: 'list', items };
      }
      case 'dict': {
        const keys: Value[] = [];
        const vals: Value[] = [];
        // numbers and strings are found by their key (a literal of n entries is not n² comparisons)
        const byKey = new Map<string, number>();
        const find = (kv: Value): number => {
          const pk = primitiveKey(kv);
          if (pk !== null) return byKey.get(pk) ?? -1;
          this.charge(keys.length);
          return keys.findIndex((x) => equal(x, kv) === true);
        };
        const put = (kv: Value, value: () => Value): void => {
          const at = find(kv);
          if (at >= 0) vals[at] = value();
          else {
            const pk = primitiveKey(kv);
            if (pk !== null) byKey.set(pk, keys.length);
            keys.push(kv);
            vals.push(value());
          }
        };
        for (const [k, v] of e.entries) {
          if (k === null) {
            // {**other, …}: its items, later keys replacing earlier ones
            const d = this.eval(v, scope);
            if (d.t !== 'dict') return UNKNOWN;
            this.charge(d.keys.length);
            d.keys.forEach((dk, i) => put(dk, () => d.vals[i]!));
            continue;
          }
          put(this.eval(k, scope), () => this.eval(v, scope));
        }
        return { t: 'dict', keys, vals };
      }
      case 'bin': {
        if (e.op === 'and' || e.op === 'or') {
          const l = this.eval(e.left, scope);
          const tl = truthy(l);
          if (tl === null) return UNKNOWN;
          if (e.op === 'and') return tl ? this.eval(e.right, scope) : l;
          return tl ? l : this.eval(e.right, scope);
        }
        const l = this.eval(e.left, scope);
        const r = this.eval(e.right, scope);
        const cmp = compareOp(e.op, l, r);
        if (cmp !== undefined) {
          // `in` reads the container (a range answers at once); `==` compares item by item
          if (r.t !== 'range') this.charge(sizeOf(r));
          return cmp;
        }
        const out = binaryOp(this.onTensor, e.op, l, r, e.r);
        this.charge(sizeOf(out));
        return out;
      }
      case 'unary': {
        const v = this.eval(e.operand, scope);
        if (e.op === 'not') {
          const t = truthy(v);
          return t === null ? UNKNOWN : { t: 'bool', v: !t };
        }
        if (v.t === 'num') {
          const n = e.op === '-' ? -v.v : e.op === '~' ? ~v.v : v.v;
          // -1.0 is still a float
          return v.float && e.op !== '~' ? { t: 'num', v: n, float: true } : num(n);
        }
        // -x is x * -1 (exact), so the value is computed as written
        if (v.t === 'tensor') return e.op === '-' ? this.onTensor('*', v, num(-1), e.r) : v;
        return UNKNOWN;
      }
      case 'cond': {
        const t = truthy(this.eval(e.test, scope));
        if (t === null) return UNKNOWN;
        return this.eval(t ? e.body : e.orelse, scope);
      }
      case 'subscript': {
        const obj = this.eval(e.obj, scope);
        if (obj.t === 'tensor')
          return this.hooks.tensorIndex(
            this,
            obj,
            tensorIndexItems(e.index, (x) => this.eval(x, scope)),
            e.r,
          );
        if (e.index.k === 'slice') {
          const b = e.index.bounds;
          if (!b || !(obj.t === 'list' || obj.t === 'tuple' || obj.t === 'str')) return this.subscript(obj, null);
          const at = (x: Expr | null): Value => (x ? this.eval(x, scope) : NONE);
          const out = sliceValue(obj, at(b[0]), at(b[1]), at(b[2]));
          this.charge(sizeOf(out));
          return out;
        }
        return this.subscript(obj, this.eval(e.index, scope));
      }
      case 'listcomp': {
        const items = iterItems(this.eval(e.iter, scope));
        if (!items) return UNKNOWN;
        // every item is a step, as a loop's trip is
        this.charge(items.length);
        const inner: Scope = { vars: new Map(), parent: scope };
        const out: Value[] = [];
        const keys: Value[] = [];
        for (const it of items) {
          this.assign(e.target, it, inner);
          if (e.cond && truthy(this.eval(e.cond, inner)) !== true) continue;
          if (e.key) keys.push(this.eval(e.key, inner));
          out.push(this.eval(e.elt, inner));
        }
        return e.key ? { t: 'dict', keys, vals: out } : { t: 'list', items: out };
      }
      case 'fstring': {
        let out = '';
        for (const p of e.parts) {
          const s = typeof p === 'string' ? p : formatField(this.eval(p.expr, scope), p.conv, p.spec);
          if (s === null) return UNKNOWN;
          out += s;
          if (out.length > LIMITS.listItems) return UNKNOWN;
        }
        return { t: 'str', v: out };
      }
      case 'starred':
      case 'slice':
      case 'other':
        return UNKNOWN;
    }
  }

  private subscript(obj: Value, idx: Value | null): Value {
    if (idx === null) return obj.t === 'list' || obj.t === 'tuple' || obj.t === 'container' ? obj : UNKNOWN;
    // a module's __dict__ by name: the module's attribute (a framework module's: its qualified name)
    if (idx.t === 'str' && /^[A-Za-z_]\w*$/.test(idx.v)) {
      const mod = obj.t === 'object' && obj.kind === 'namespace' ? obj.attrs.get('$module') : undefined;
      if (mod) return this.getAttr(mod, idx.v);
      if (obj.t === 'qual' && obj.path.endsWith('.__dict__'))
        return { t: 'qual', path: `${obj.path.slice(0, -9)}.${idx.v}` };
    }
    if (obj.t === 'list' || obj.t === 'tuple') {
      const i = asInt(idx);
      if (i === null) return UNKNOWN;
      return obj.items[i < 0 ? i + obj.items.length : i] ?? UNKNOWN;
    }
    if (obj.t === 'dict') {
      const k = obj.keys.findIndex((key) => equal(key, idx) === true);
      return k >= 0 ? obj.vals[k]! : UNKNOWN;
    }
    if (obj.t === 'str') {
      const i = asInt(idx);
      const chars = [...obj.v];
      const c = i === null ? undefined : chars[i < 0 ? i + chars.length : i];
      return c === undefined ? UNKNOWN : { t: 'str', v: c };
    }
    if (obj.t === 'container') {
      const i = asInt(idx);
      if (i !== null) return obj.children[i < 0 ? i + obj.children.length : i]?.value ?? UNKNOWN;
      if (idx.t === 'str') return obj.children.find((c) => c.name === idx.v)?.value ?? UNKNOWN;
    }
    if (obj.t === 'instance' && obj.containerKind) {
      const i = obj.containerKind === 'dict' ? null : asInt(idx);
      const name = i !== null ? obj.children[i < 0 ? i + obj.children.length : i] : idx.t === 'str' ? idx.v : null;
      return (name !== undefined && name !== null && obj.attrs.get(name)) || UNKNOWN;
    }
    if (obj.t === 'tensor') return { t: 'tensor', fw: obj.fw, shape: null, rf: null, producer: obj.producer };
    return UNKNOWN;
  }

  getAttr(obj: Value, name: string): Value {
    switch (obj.t) {
      case 'qual':
        if (name === '__name__' && /^[A-Za-z_]/.test(obj.path.slice(obj.path.lastIndexOf('.') + 1)))
          return { t: 'str', v: obj.path.slice(obj.path.lastIndexOf('.') + 1) };
        return { t: 'qual', path: `${obj.path}.${name}` };
      case 'module':
        // `models.__dict__[args.arch]`: the module's namespace, read name by name
        if (name === '__dict__')
          return { t: 'object', kind: 'namespace', attrs: new Map([['$module', obj]]), what: obj.info.name };
        return this.importer ? this.importer.moduleAttr(this, obj, name) : UNKNOWN;
      case 'instance': {
        const own = obj.attrs.get(name);
        if (own !== undefined) return own;
        const m = this.findMember(obj.cls, name);
        if (m?.value.t === 'func') {
          if (m.value.def.isStatic) return m.value;
          return { ...m.value, self: m.value.def.isClassMethod ? obj.cls : obj, owner: m.owner };
        }
        if (m) return m.value;
        return this.hooks.getAttr(this, obj, name) ?? { t: 'builtin', name, self: obj };
      }
      case 'super': {
        // the classes after the method's own class: its bases, depth-first
        for (const b of obj.owner.bases) {
          const m = b.t === 'class' ? this.findMember(b, name) : undefined;
          if (m?.value.t === 'func') return { ...m.value, self: obj.self, owner: m.owner };
          if (m) return m.value;
        }
        return { t: 'builtin', name, self: obj };
      }
      case 'class': {
        const m = this.findMember(obj, name);
        // a classmethod gets the class it is called on (a subclass, not the one defining it)
        if (m?.value.t === 'func' && m.value.def.isClassMethod) return { ...m.value, self: obj, owner: m.owner };
        return m?.value ?? (name === '__name__' ? { t: 'str', v: obj.def.name } : UNKNOWN);
      }
      case 'func':
        return name === '__name__' ? { t: 'str', v: obj.def.name } : UNKNOWN;
      case 'builtin':
        if (obj.self === null && name === '__name__') return { t: 'str', v: obj.name };
        return this.hooks.getAttr(this, obj, name) ?? { t: 'builtin', name, self: obj };
      case 'partial':
        // functools.partial's own attributes
        if (name === 'func') return obj.fn;
        if (name === 'args') return { t: 'tuple', items: [...obj.args.positional] };
        if (name === 'keywords')
          return {
            t: 'dict',
            keys: [...obj.args.keywords.keys()].map((k) => ({ t: 'str', v: k })),
            vals: [...obj.args.keywords.values()],
          };
        return UNKNOWN;
      default:
        return this.hooks.getAttr(this, obj, name) ?? { t: 'builtin', name, self: obj };
    }
  }

  classMember(cls: ClassValue, name: string): Value | undefined {
    return this.findMember(cls, name)?.value;
  }

  /** A class attribute and the class that defines it (own class first, then bases depth-first). */
  findMember(cls: ClassValue, name: string, depth = 0): { value: Value; owner: ClassValue } | undefined {
    const own = cls.scope.vars.get(name);
    if (own !== undefined) return { value: own.t === 'lazyname' ? settle(cls.scope, name, own) : own, owner: cls };
    if (depth > 20) return undefined;
    for (const b of cls.bases)
      if (b.t === 'class') {
        const m = this.findMember(b, name, depth + 1);
        if (m !== undefined) return m;
      }
    return undefined;
  }

  /** `super()`: explicit `super(Cls, self)`, or the method being run. */
  private superOf(args: CallArgs): Value {
    const [cls, self] = args.positional;
    if (cls?.t === 'class' && self?.t === 'instance') return { t: 'super', self, owner: cls };
    const top = this.methods[this.methods.length - 1];
    return top ? { t: 'super', ...top } : UNKNOWN;
  }

  evalArgs(args: readonly Arg[], scope: Scope): CallArgs {
    const out: CallArgs = { positional: [], keywords: new Map(), posRanges: [], kwRanges: new Map() };
    for (const a of args) {
      if (a.star === 1) {
        const items = iterItems(this.eval(a.value, scope));
        if (items) {
          out.positional.push(...items);
          for (let i = 0; i < items.length; i++) out.posRanges.push(this.at(a.value.r));
        } else out.incomplete = true;
      } else if (a.star === 2) {
        const d = this.eval(a.value, scope);
        if (d.t !== 'dict') out.incomplete = true;
        else
          d.keys.forEach((k, i) => {
            if (k.t === 'str') {
              out.keywords.set(k.v, d.vals[i]!);
              out.kwRanges.set(k.v, this.at(a.value.r));
            }
          });
      } else if (a.name) {
        out.keywords.set(a.name, this.eval(a.value, scope));
        out.kwRanges.set(a.name, this.at(a.value.r));
      } else {
        out.positional.push(this.eval(a.value, scope));
        out.posRanges.push(this.at(a.value.r));
      }
    }
    return out;
  }

  private evalCall(e: Extract<Expr, { k: 'call' }>, scope: Scope): Value {
    const fn = this.eval(e.fn, scope);
    const args = this.evalArgs(e.args, scope);
    let out = this.call(fn, args, e.r);
    this.libraries?.called(fn, args);
    // x.add_(y), x.mul_(s), …: PyTorch changes x itself, so the name (or attribute) that held x
    // reads the result from here on; an in-place method not modelled on a traced tensor stops the
    // trace there (its values would otherwise be taken as unchanged)
    if (
      e.fn.k === 'attr' &&
      e.fn.name.endsWith('_') &&
      !e.fn.name.startsWith('_') &&
      (e.fn.obj.k === 'name' || e.fn.obj.k === 'attr')
    ) {
      const self = this.eval(e.fn.obj, scope);
      if (self.t === 'tensor' && out.t === 'tensor') this.assign(e.fn.obj, out, scope);
      else if (self.t === 'tensor' && !self.data && !self.param && this.tracing > 0 && !this.stop)
        this.stop = { range: this.at(e.r), why: 'not-modelled', name: `Tensor.${e.fn.name}`, module: 'torch' };
    }
    if (out.t === 'unknown' && !out.lost) {
      // a call that could not be followed: its value keeps where and why
      const lost = stopPoint(fn, this.text(e.fn.r), this.at(e.r));
      if (lost) out = { t: 'unknown', lost };
      // the first place a traced tensor went into something we cannot follow
      if (this.tracing > 0 && !this.stop && args.positional.some(carriesTensor)) this.stop = lost;
    }
    if (this.depth === 0 && this.tracing === 0 && !this.ext) this.noteModelUse(e, fn, args);
    return out;
  }

  /** Source text of the code running now. */
  private text(r: Range): string {
    return (this.ext?.info.source ?? this.source).slice(r.from, r.to);
  }

  /**
   * At the file's top level, a value the analysis lost used as a model (called on a tensor, or
   * `model.eval()`, `model.summary()`, …): the model it stands for is lost where that value was.
   */
  private noteModelUse(e: Extract<Expr, { k: 'call' }>, fn: Value, args: CallArgs): void {
    if (fn.t === 'unknown' && fn.lost && args.positional.some((a) => a.t === 'tensor'))
      this.loseModel(fn.lost, this.text(e.fn.r));
    else if (
      fn.t === 'builtin' &&
      fn.self?.t === 'unknown' &&
      fn.self.lost &&
      MODEL_METHODS.has(fn.name) &&
      e.fn.k === 'attr'
    )
      this.loseModel(fn.self.lost, this.text(e.fn.obj.r));
  }

  /** Models lost, by the place they were lost (one report each). */
  readonly lostModels = new Map<object, LostModel & { layer?: number }>();

  private loseModel(where: StopPoint, model: string, layer?: number): void {
    if (!this.lostModels.has(where))
      this.lostModels.set(where, {
        where,
        model: model.length > 40 ? `${model.slice(0, 37)}...` : model,
        ...(layer !== undefined ? { layer } : {}),
      });
  }

  /**
   * `name = f(…)` at the file's top level that gives no model: an application model whose source
   * was not read, or a value lost in a call that could not be followed while layers were being
   * built (the model under construction).
   */
  private noteLostResult(target: Expr, v: Value, layersBefore: number): void {
    if (target.k !== 'name') return;
    if (v.t === 'layer' && v.spec.cfg.kind === 'opaque')
      this.lostOpaque.set(v.spec.id, {
        where: { range: v.spec.range, why: 'not-read', name: v.spec.cfg.what, module: '' },
        model: target.id,
      });
    else if (v.t === 'unknown' && v.lost && this.layers.length > layersBefore) this.loseModel(v.lost, target.id);
  }

  /** Application models bound at top level, by layer id: lost unless they are applied later. */
  readonly lostOpaque = new Map<number, LostModel>();

  call(fn: Value, args: CallArgs, callRange: Range): Value {
    const range = this.at(callRange);
    switch (fn.t) {
      case 'func':
        return this.builtHere(this.nextIdValue, this.callFunction(fn, args, range), range);
      case 'lazyfunc': {
        const def = fn.load();
        const first = this.nextIdValue;
        return def
          ? this.builtHere(
              first,
              this.callFunction({ t: 'func', def, scope: fn.scope, self: null }, args, range),
              range,
            )
          : UNKNOWN;
      }
      case 'builtin': {
        if (fn.name === 'super' && !fn.self) return this.superOf(args);
        if (fn.self) {
          const r = this.hooks.callMethod(this, fn.self, fn.name, args, range);
          if (r !== undefined) return r;
        }
        const out = callBuiltin(this, fn.name, fn.self, args, range);
        this.charge(builtinWork(fn.name, fn.self, args, out));
        return out;
      }
      case 'qual': {
        const out = this.hooks.callQualified(this, fn.path, args, range);
        this.libraries?.qualCall(fn.path, out, range, this.ext !== null);
        return out;
      }
      case 'partial':
        return this.call(fn.fn, partialArgs(fn.args, args), range);
      case 'class':
        return this.instantiate(fn, args, range);
      case 'layer':
      case 'container':
      case 'kmodel':
        return this.inside(range, () => this.hooks.callLayer(this, fn, args, range));
      case 'instance':
        // the traced model's own call (at its class) is no place in the code
        if (fn === this.tracedRoot && this.enclosing.length === 0) return this.callInstance(fn, args, range);
        return this.inside(range, () => this.callInstance(fn, args, range));
      default:
        return UNKNOWN;
    }
  }

  private callInstance(fn: InstanceValue, args: CallArgs, range: Range): Value {
    const special = this.hooks.onInstanceCalled(this, fn, args, range);
    if (special !== undefined) return special;
    const m =
      this.findMember(fn.cls, fn.cls.framework === 'keras' ? 'call' : 'forward') ?? this.findMember(fn.cls, '__call__');
    if (m?.value.t === 'func')
      return this.hooks.onForwardReturned(
        this,
        fn,
        this.callFunction({ ...m.value, self: fn, owner: m.owner }, args, range),
        range,
      );
    // no forward of its own: the framework base's (nn.Sequential applies its children)
    if (!m) return this.call(this.getAttr({ t: 'super', self: fn, owner: fn.cls }, 'forward'), args, range);
    return UNKNOWN;
  }

  /** The calls of the analyzed file being run (module and layer calls), outermost first. */
  private readonly enclosing: CallSite[] = [];
  private viaSnapshot: CallSite[] | null = null;
  private callSerial = 0;

  /** Runs a module or layer call, noting it as the place its layers are applied (in the analyzed file only). */
  private inside(range: Range, run: () => Value): Value {
    const top = this.enclosing[this.enclosing.length - 1];
    // a Sequential applying its children is still its one call
    if (this.ext || (top && top.range.from === range.from && top.range.to === range.to)) return run();
    this.enclosing.push({ range, call: ++this.callSerial });
    this.viaSnapshot = null;
    try {
      return run();
    } finally {
      this.enclosing.pop();
      this.viaSnapshot = null;
    }
  }

  /** A function of the analyzed file returned a layer it built: the call is a place of that layer. */
  private builtHere(firstId: number, out: Value, range: Range): Value {
    if (!this.ext && out.t === 'layer' && !out.spec.functional && out.spec.id >= firstId && !out.spec.file)
      (out.spec.sites ??= []).push(range);
    return out;
  }

  instantiate(cls: ClassValue, args: CallArgs, callRange: Range): Value {
    const range = this.at(callRange);
    cls.instantiated++;
    const inst: InstanceValue = {
      t: 'instance',
      id: this.nextId(),
      cls,
      attrs: new Map(),
      children: [],
      range,
      varName: null,
      usedAsChild: false,
      exampleInput: null,
      ...(this.ext ? { file: this.ext.info.file } : {}),
    };
    // Keras names a layer when it is constructed: name= as given, else the next of its class's snake_case name
    if (cls.framework === 'keras') {
      const given = args.keywords.get('name');
      inst.name = given?.t === 'str' ? given.v : this.uniqueName(kerasSnakeClass(cls.def.name));
    }
    this.instances.push(inst);
    const init = this.findMember(cls, '__init__');
    if (init?.value.t === 'func') this.callFunction({ ...init.value, self: inst, owner: init.owner }, args, range);
    else if (!init) this.call(this.getAttr({ t: 'super', self: inst, owner: cls }, '__init__'), args, range);
    return inst;
  }

  /** `range`: the call (in the analyzed file) — where another module's code is shown to start. */
  callFunction(fn: Extract<Value, { t: 'func' }>, args: CallArgs, range?: Range): Value {
    if (this.depth >= LIMITS.callDepth) return UNKNOWN;
    const saved = this.ext;
    let root = fn.scope;
    while (root.parent) root = root.parent;
    // a library function whose meaning the framework layer knows (timm.create_model's registry)
    if (root.module) {
      const known = this.hooks.libraryCall(this, root.module.file, fn.def.name, args, this.at(range ?? fn.def.r));
      if (known !== undefined) return known;
    }
    this.ext = root.module ? { info: root.module, anchor: saved?.anchor ?? range ?? { from: 0, to: 0 } } : null;
    try {
      return this.runFunction(fn, args);
    } finally {
      this.ext = saved;
    }
  }

  private runFunction(fn: Extract<Value, { t: 'func' }>, args: CallArgs): Value {
    const local: Scope = {
      vars: new Map(),
      parent: fn.scope.parent && this.classScopes.has(fn.scope) ? fn.scope.parent : fn.scope,
    };
    const params = fn.def.params;
    let pos = [...args.positional];
    let pi = 0;
    if (fn.self) {
      const first = params[0];
      if (first && !first.star) local.vars.set(first.name, fn.self);
      pi = 1;
    }
    const kw = new Map(args.keywords);
    for (; pi < params.length; pi++) {
      const p = params[pi]!;
      if (p.star === 1) {
        local.vars.set(p.name, { t: 'tuple', items: pos });
        pos = [];
        continue;
      }
      if (p.star === 2) {
        const keys: Value[] = [];
        const vals: Value[] = [];
        for (const [k, v] of kw) {
          keys.push({ t: 'str', v: k });
          vals.push(v);
        }
        kw.clear();
        local.vars.set(p.name, { t: 'dict', keys, vals });
        continue;
      }
      if (pos.length) local.vars.set(p.name, pos.shift()!);
      else if (kw.has(p.name)) {
        local.vars.set(p.name, kw.get(p.name)!);
        kw.delete(p.name);
      } else if (p.default) local.vars.set(p.name, this.eval(p.default, fn.scope));
      else local.vars.set(p.name, UNKNOWN);
    }
    this.calledDefs.add(fn.def);
    const method = fn.self?.t === 'instance' && fn.owner ? { self: fn.self, owner: fn.owner } : null;
    if (method) this.methods.push(method);
    this.depth++;
    try {
      const sig = this.execBlock(fn.def.body, local);
      return sig ? sig.value : NONE;
    } finally {
      this.depth--;
      if (method) this.methods.pop();
    }
  }

  /** Records one layer application (called by the framework layer). */
  record(node: NodeRecord): number {
    if (this.enclosing.length) node.via = this.viaSnapshot ??= this.enclosing.slice();
    if (this.nodes.length >= LIMITS.layers)
      this.end(`analysis stopped after ${LIMITS.layers.toLocaleString('en-US')} layer applications`);
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  get callDepth(): number {
    return this.depth;
  }
}

/**
 * A @dataclass's generated __init__, written as the Python it stands for: one parameter per field
 * (those of dataclass bases first, a field redefined keeps its first place), `self.f = f` for each,
 * then `self.__post_init__()` when the class has one. A class that defines __init__ keeps its own.
 */
function dataclassInit(cls: ClassValue, s: ClassStmt): void {
  const fields: Field[] = [];
  for (const b of cls.bases) if (b.t === 'class' && b.fields) fields.push(...b.fields);
  for (const f of s.fields ?? []) {
    const at = fields.findIndex((g) => g.name === f.name);
    if (at >= 0) fields[at] = f;
    else fields.push(f);
  }
  cls.fields = fields;
  if (cls.scope.vars.has('__init__')) return;
  const r = s.nameRange;
  const self: Expr = { k: 'name', id: 'self', r };
  const body: Stmt[] = fields.map((f) => ({
    k: 'assign',
    targets: [{ k: 'attr', obj: self, name: f.name, r: f.r }],
    value: { k: 'name', id: f.name, r: f.r },
    r: f.r,
  }));
  if (hasMember(cls, '__post_init__'))
    body.push({
      k: 'expr',
      value: { k: 'call', fn: { k: 'attr', obj: self, name: '__post_init__', r }, args: [], r },
      r,
    });
  const params: Param[] = [
    { name: 'self' },
    ...fields.map((f) => (f.default ? { name: f.name, default: f.default } : { name: f.name })),
  ];
  cls.scope.vars.set('__init__', {
    t: 'func',
    def: { k: 'def', name: '__init__', params, body, r },
    scope: cls.scope,
    self: null,
  });
}

function hasMember(cls: ClassValue, name: string, depth = 0): boolean {
  if (cls.scope.vars.has(name)) return true;
  return depth < 20 && cls.bases.some((b) => b.t === 'class' && hasMember(b, name, depth + 1));
}

/** `seq[i] = m` / `mdict['name'] = m`: replaces or registers a child, as the torch containers do. */
function setContainerItem(ip: Interpreter, obj: ContainerValue | InstanceValue, idx: Value, v: Value): void {
  const names = obj.t === 'container' ? obj.children.map((c) => c.name) : obj.children;
  const i = asInt(idx);
  const name = i !== null ? names[i < 0 ? i + names.length : i] : idx.t === 'str' ? idx.v : undefined;
  if (name === undefined) return;
  if (obj.t === 'instance') return ip.setInstanceAttr(obj, name, v);
  if (v.t === 'container' || v.t === 'instance') v.usedAsChild = true;
  const at = obj.children.findIndex((c) => c.name === name);
  if (at >= 0) obj.children[at] = { name, value: v };
  else obj.children.push({ name, value: v });
}

function kerasSnakeClass(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
