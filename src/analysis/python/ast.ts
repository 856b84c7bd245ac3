/**
 * The small Python AST the analyzer works on: the statements and expressions that build models,
 * each with its source range (character offsets). Anything else becomes an `other` node, so
 * half-typed code still yields every construct that can be recognised.
 */
import type { Range } from '../../shared/range';

export type { Range };

export interface Arg {
  name?: string;
  /** 1 for *args, 2 for **kwargs. */
  star?: 1 | 2;
  value: Expr;
}

export type Expr =
  /** float: written as a float (`2.0`, `1e-3`). */
  | { k: 'num'; v: number; r: Range; float?: true }
  | { k: 'str'; v: string; r: Range }
  | { k: 'const'; v: boolean | null; r: Range }
  | { k: 'name'; id: string; r: Range }
  | { k: 'attr'; obj: Expr; name: string; r: Range }
  | { k: 'call'; fn: Expr; args: Arg[]; r: Range }
  | { k: 'subscript'; obj: Expr; index: Expr; r: Range }
  /**
   * bounds: [start, stop, step] of a one-axis slice (`a[1:]`, `a[::2]`); absent for `x[:, 0]`,
   * whose items are in `axes` (a one-axis slice, or an expression: `0`, `None`, `...`).
   */
  | { k: 'slice'; bounds?: [Expr | null, Expr | null, Expr | null]; axes?: Expr[]; r: Range }
  | { k: 'tuple' | 'list' | 'set'; items: Expr[]; r: Range }
  /** A null key: `**value` unpacked into the dict. */
  | { k: 'dict'; entries: [Expr | null, Expr][]; r: Range }
  | { k: 'bin'; op: string; left: Expr; right: Expr; r: Range }
  | { k: 'unary'; op: string; operand: Expr; r: Range }
  | { k: 'cond'; test: Expr; body: Expr; orelse: Expr; r: Range }
  | { k: 'starred'; value: Expr; r: Range }
  /** `[elt for …]`, or with `key` a dict comprehension `{key: elt for …}`. */
  | { k: 'listcomp'; elt: Expr; key?: Expr; target: Expr; iter: Expr; cond: Expr | null; r: Range }
  /** An f-string: literal text and replacement fields (`{expr!conv:spec}`) in order. */
  | { k: 'fstring'; parts: FPart[]; r: Range }
  /** `lambda params: body`: a function whose body returns one expression. */
  | { k: 'lambda'; params: Param[]; body: Expr; r: Range }
  | { k: 'other'; r: Range };

export type FPart = string | { expr: Expr; conv: string | null; spec: string };

export interface Param {
  name: string;
  default?: Expr;
  star?: 1 | 2;
}

export type Stmt =
  | { k: 'assign'; targets: Expr[]; value: Expr; r: Range }
  | { k: 'augassign'; target: Expr; op: string; value: Expr; r: Range }
  | { k: 'expr'; value: Expr; r: Range }
  | { k: 'import'; names: { module: string; alias?: string }[]; r: Range }
  | { k: 'from'; module: string; names: { name: string; alias?: string }[]; r: Range }
  /** fields: a @dataclass's annotated class attributes (`x: int = 3`), in order: its generated __init__. */
  | { k: 'class'; name: string; bases: Arg[]; body: Stmt[]; r: Range; nameRange: Range; fields?: Field[] }
  /**
   * isStatic: decorated @staticmethod (called on an instance, it gets no self); isClassMethod:
   * @classmethod (its first parameter is the class, called on the class or an instance).
   */
  | { k: 'def'; name: string; params: Param[]; body: Stmt[]; r: Range; isStatic?: true; isClassMethod?: true }
  | { k: 'return'; value: Expr | null; r: Range }
  | { k: 'for'; target: Expr; iter: Expr; body: Stmt[]; r: Range }
  | { k: 'if'; branches: { test: Expr | null; body: Stmt[] }[]; r: Range }
  | { k: 'block'; body: Stmt[]; r: Range }
  /** A top-level function whose body is parsed when it is first called. */
  | { k: 'lazydef'; name: string; r: Range; load: () => Extract<Stmt, { k: 'def' }> | null }
  | { k: 'other'; r: Range };

/** A @dataclass field: `name: type` or `name: type = default`. */
export interface Field {
  name: string;
  default: Expr | null;
  r: Range;
}

export interface Comment {
  text: string;
  r: Range;
}

export interface Module {
  body: Stmt[];
  comments: Comment[];
  /** Set when the source or its nesting exceeded a cap; says what was cut. */
  capped: string | null;
}
