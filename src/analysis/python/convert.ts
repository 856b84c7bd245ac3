/**
 * Converts a lezer/python syntax tree into our AST (ast.ts), with ranges moved by the chunk's
 * offset in the file. Unknown or broken syntax becomes `other` nodes; nesting deeper than
 * MAX_DEPTH is cut and reported.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, Comment, Expr, FPart, Field, Param, Range, Stmt } from './ast';

export const MAX_DEPTH = 120;

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const COMPARE = new Set(['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not']);

const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', 'Comment']);

export class Converter {
  comments: Comment[] = [];
  depthCapped = false;
  constructor(
    private readonly src: string,
    private readonly base: number,
  ) {}

  private text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private r(n: SyntaxNode): Range {
    return { from: n.from + this.base, to: n.to + this.base };
  }

  /** f"conv{i}_{name!r:>4}": literal text between the replacement fields, and each field. */
  private fstring(n: SyntaxNode, depth: number): Expr {
    const r = this.r(n);
    const m = /^([a-zA-Z]{1,2})('''|"""|'|")/.exec(this.text(n));
    if (!m) return { k: 'other', r };
    const raw = /r/i.test(m[1]!);
    const quote = m[2]!;
    const end =
      this.text(n).endsWith(quote) && n.to - n.from >= m[0].length + quote.length ? n.to - quote.length : n.to;
    const parts: FPart[] = [];
    const lit = (from: number, to: number): void => {
      if (to <= from) return;
      const t = this.src.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      parts.push(raw ? t : unescape(t));
    };
    let pos = n.from + m[0].length;
    for (const f of kids(n)) {
      if (f.name !== 'FormatReplacement') continue;
      lit(pos, f.from);
      pos = f.to;
      const inner = kids(f).filter((c) => c.name !== '{' && c.name !== '}');
      const conv = inner.find((c) => c.name === 'FormatConversion');
      const spec = inner.find((c) => c.name === 'FormatSpec');
      const expr = inner.find((c) => c !== conv && c !== spec);
      // a nested field inside the spec ({x:{width}}) is not followed
      if (!expr || (spec && kids(spec).some((c) => c.name === 'FormatReplacement'))) return { k: 'other', r };
      parts.push({
        expr: this.expr(expr, depth + 1),
        conv: conv ? this.text(conv).slice(1) : null,
        spec: spec ? this.text(spec).slice(1) : '',
      });
    }
    lit(pos, end);
    return { k: 'fstring', parts, r };
  }

  stmts(parent: SyntaxNode, depth: number): Stmt[] {
    const out: Stmt[] = [];
    for (const c of kids(parent)) {
      if (c.name === 'Comment') {
        this.comments.push({ text: this.text(c), r: this.r(c) });
        continue;
      }
      if (c.name === ':' || c.name === '⚠') continue;
      if (c.name === 'StatementGroup') out.push(...this.stmts(c, depth));
      else out.push(this.stmt(c, depth));
    }
    return out;
  }

  private body(n: SyntaxNode | null | undefined, depth: number): Stmt[] {
    if (!n) return [];
    if (depth > MAX_DEPTH) {
      this.depthCapped = true;
      return [];
    }
    return this.stmts(n, depth + 1);
  }

  private collectComments(n: SyntaxNode): void {
    const cur = n.cursor();
    do {
      if (cur.name === 'Comment')
        this.comments.push({
          text: this.src.slice(cur.from, cur.to),
          r: { from: cur.from + this.base, to: cur.to + this.base },
        });
    } while (cur.next() && cur.from < n.to);
  }

  stmt(n: SyntaxNode, depth: number): Stmt {
    const r = this.r(n);
    const ch = kids(n);
    switch (n.name) {
      case 'AssignStatement': {
        // a = b = value ; a, b = value ; x: int = value
        const groups: SyntaxNode[][] = [[]];
        for (const c of ch) {
          if (c.name === 'AssignOp') groups.push([]);
          else if (c.name !== 'TypeDef' && c.name !== 'Comment') groups[groups.length - 1]!.push(c);
        }
        const exprs = groups.map((g) => this.exprList(g, depth, r));
        const value = exprs.pop()!;
        if (exprs.length === 0) return { k: 'other', r };
        return { k: 'assign', targets: exprs, value, r };
      }
      case 'UpdateStatement': {
        const op = ch.find((c) => c.name === 'UpdateOp');
        const i = op ? ch.indexOf(op) : -1;
        if (i < 1) return { k: 'other', r };
        return {
          k: 'augassign',
          target: this.exprList(ch.slice(0, i), depth, r),
          op: this.text(op!).slice(0, -1),
          value: this.exprList(ch.slice(i + 1), depth, r),
          r,
        };
      }
      case 'ExpressionStatement':
        return { k: 'expr', value: this.exprList(ch, depth, r), r };
      case 'ImportStatement':
        return this.importStmt(ch, r);
      case 'ClassDefinition': {
        const nameNode = ch.find((c) => c.name === 'VariableName');
        const argList = ch.find((c) => c.name === 'ArgList');
        const bodyNode = ch.find((c) => c.name === 'Body');
        this.collectComments(n);
        return {
          k: 'class',
          name: nameNode ? this.text(nameNode) : '?',
          bases: argList ? this.args(argList, depth) : [],
          body: this.body(bodyNode, depth),
          r,
          nameRange: nameNode ? this.r(nameNode) : r,
        };
      }
      case 'FunctionDefinition': {
        const nameNode = ch.find((c) => c.name === 'VariableName');
        const plist = ch.find((c) => c.name === 'ParamList');
        return {
          k: 'def',
          name: nameNode ? this.text(nameNode) : '?',
          params: plist ? this.params(plist, depth) : [],
          body: this.body(
            ch.find((c) => c.name === 'Body'),
            depth,
          ),
          r,
        };
      }
      case 'DecoratedStatement': {
        const inner = ch.find((c) => c.name === 'ClassDefinition' || c.name === 'FunctionDefinition');
        if (!inner) return { k: 'other', r };
        const st = this.stmt(inner, depth);
        const decorated = (re: RegExp): boolean => ch.some((c) => c.name === 'Decorator' && re.test(this.text(c)));
        if (st.k === 'def') {
          if (decorated(/^@\s*staticmethod\s*$/)) return { ...st, isStatic: true };
          if (decorated(/^@\s*classmethod\s*$/)) return { ...st, isClassMethod: true };
        }
        if (st.k === 'class' && decorated(/^@\s*(dataclasses\s*\.\s*)?dataclass\s*(\(|$)/))
          return {
            ...st,
            fields: this.dataclassFields(
              kids(inner).find((c) => c.name === 'Body'),
              depth,
            ),
          };
        return st;
      }
      case 'ReturnStatement': {
        const e = ch.filter((c) => c.name !== 'return');
        return { k: 'return', value: e.length ? this.exprList(e, depth, r) : null, r };
      }
      case 'ForStatement': {
        const inIdx = ch.findIndex((c) => c.name === 'in');
        const bodyNode = ch.find((c) => c.name === 'Body');
        if (inIdx < 0 || !bodyNode) return { k: 'other', r };
        const target = this.exprList(
          ch.slice(1, inIdx).filter((c) => c.name !== 'async'),
          depth,
          r,
        );
        const iter = this.exprList(ch.slice(inIdx + 1, ch.indexOf(bodyNode)), depth, r);
        return { k: 'for', target, iter, body: this.body(bodyNode, depth), r };
      }
      case 'IfStatement': {
        const branches: { test: Expr | null; body: Stmt[] }[] = [];
        let test: Expr | null = null;
        let pendingTest: SyntaxNode[] = [];
        for (const c of ch) {
          if (c.name === 'if' || c.name === 'elif') pendingTest = [];
          else if (c.name === 'else') {
            pendingTest = [];
            test = null;
          } else if (c.name === 'Body') {
            branches.push({
              test: pendingTest.length ? this.exprList(pendingTest, depth, r) : test,
              body: this.body(c, depth),
            });
            pendingTest = [];
            test = null;
          } else pendingTest.push(c);
        }
        return { k: 'if', branches, r };
      }
      case 'WithStatement':
      case 'TryStatement':
      case 'WhileStatement': {
        // with/try: run the first body; while: its body is not run (unknown trip count).
        if (n.name === 'WhileStatement') return { k: 'other', r };
        const b = ch.find((c) => c.name === 'Body');
        return { k: 'block', body: this.body(b, depth), r };
      }
      default:
        return { k: 'other', r };
    }
  }

  /** The annotated attributes of a class body (`x: int`, `y: float = 2.0`), in order. */
  private dataclassFields(body: SyntaxNode | undefined, depth: number): Field[] {
    const out: Field[] = [];
    const walk = (parent: SyntaxNode): void => {
      for (const c of kids(parent)) {
        if (c.name === 'StatementGroup') walk(c);
        if (c.name !== 'AssignStatement') continue;
        const parts = kids(c);
        const [target, typeDef] = parts;
        if (target?.name !== 'VariableName' || typeDef?.name !== 'TypeDef') continue;
        // a ClassVar is a class attribute, not a field
        if (/\bClassVar\b/.test(this.text(typeDef))) continue;
        const op = parts.findIndex((p) => p.name === 'AssignOp');
        const value = op > 0 ? parts.slice(op + 1).filter((p) => p.name !== 'Comment') : [];
        if (op > 0 && parts.filter((p) => p.name === 'AssignOp').length > 1) continue;
        out.push({
          name: this.text(target),
          default: value.length ? this.exprList(value, depth + 1, this.r(c)) : null,
          r: this.r(c),
        });
      }
    };
    if (body) walk(body);
    return out;
  }

  private importStmt(ch: SyntaxNode[], r: Range): Stmt {
    if (ch[0]?.name === 'from') {
      const impIdx = ch.findIndex((c) => c.name === 'import');
      const module = ch
        .slice(1, impIdx < 0 ? ch.length : impIdx)
        .map((c) => this.text(c))
        .join('');
      const names: { name: string; alias?: string }[] = [];
      for (let i = impIdx + 1; i > 0 && i < ch.length; i++) {
        const c = ch[i]!;
        if (c.name === 'VariableName') {
          if (ch[i + 1]?.name === 'as' && ch[i + 2]) {
            names.push({ name: this.text(c), alias: this.text(ch[i + 2]!) });
            i += 2;
          } else names.push({ name: this.text(c) });
        } else if (c.name === '*') names.push({ name: '*' });
      }
      return { k: 'from', module, names, r };
    }
    const names: { module: string; alias?: string }[] = [];
    let parts: string[] = [];
    for (let i = 1; i < ch.length; i++) {
      const c = ch[i]!;
      if (c.name === 'VariableName') parts.push(this.text(c));
      else if (c.name === 'as' && ch[i + 1]) {
        names.push({ module: parts.join('.'), alias: this.text(ch[i + 1]!) });
        parts = [];
        i++;
      } else if (c.name === ',') {
        if (parts.length) names.push({ module: parts.join('.') });
        parts = [];
      }
    }
    if (parts.length) names.push({ module: parts.join('.') });
    return { k: 'import', names, r };
  }

  private params(n: SyntaxNode, depth: number): Param[] {
    const out: Param[] = [];
    const ch = kids(n);
    let star: 1 | 2 | undefined;
    for (let i = 0; i < ch.length; i++) {
      const c = ch[i]!;
      if (c.name === '*') star = 1;
      else if (c.name === '**') star = 2;
      else if (c.name === ',') star = undefined;
      else if (c.name === 'VariableName') {
        const p: Param = { name: this.text(c) };
        if (star) p.star = star;
        let j = i + 1;
        if (ch[j]?.name === 'TypeDef') j++;
        if (ch[j]?.name === 'AssignOp' && ch[j + 1]) {
          p.default = this.expr(ch[j + 1]!, depth + 1);
          j++;
        }
        i = j - 1 + (ch[j]?.name === 'AssignOp' ? 0 : 0);
        if (ch[i + 1]?.name === 'TypeDef') i++;
        if (ch[i + 1]?.name === 'AssignOp') i += 2;
        out.push(p);
      }
    }
    return out;
  }

  args(n: SyntaxNode, depth: number): Arg[] {
    const out: Arg[] = [];
    const ch = kids(n).filter((c) => !PUNCT.has(c.name) && c.name !== '⚠');
    for (let i = 0; i < ch.length; i++) {
      const c = ch[i]!;
      if (c.name === '*' || c.name === '**') {
        const v = ch[i + 1];
        if (v) out.push({ star: c.name === '*' ? 1 : 2, value: this.expr(v, depth + 1) });
        i++;
      } else if (c.name === 'VariableName' && ch[i + 1]?.name === 'AssignOp' && ch[i + 2]) {
        out.push({ name: this.text(c), value: this.expr(ch[i + 2]!, depth + 1) });
        i += 2;
      } else if (c.name === 'for' || c.name === 'in' || c.name === 'if') {
        // a generator expression as the only argument (sum(x for x in xs)): evaluated as a list
        const all = kids(n).filter((k) => !BRACKETS.has(k.name) && k.name !== '⚠');
        return [{ value: this.comprehension(all, depth, this.r(n)) }];
      } else out.push({ value: this.expr(c, depth + 1) });
    }
    return out;
  }

  /** `start:stop:step` between brackets, each part optional; several axes (`x[:, 0]`): each in `axes`. */
  private slice(inside: SyntaxNode[], depth: number, r: Range): Expr {
    if (inside.some((c) => c.name === ',')) {
      const groups: SyntaxNode[][] = [[]];
      for (const c of inside) {
        if (c.name === ',') groups.push([]);
        else if (c.name !== 'Comment') groups[groups.length - 1]!.push(c);
      }
      if (groups[groups.length - 1]!.length === 0) groups.pop();
      const axes = groups.map((g): Expr => {
        if (g.some((c) => c.name === ':')) return this.slice(g, depth, r);
        return g.length === 1 ? this.expr(g[0]!, depth + 1) : { k: 'other', r };
      });
      return { k: 'slice', axes, r };
    }
    const parts: (Expr | null)[] = [null];
    for (const c of inside) {
      if (c.name === ':') parts.push(null);
      else if (c.name !== 'Comment' && c.name !== '⚠') {
        if (parts[parts.length - 1] !== null) return { k: 'slice', r };
        parts[parts.length - 1] = this.expr(c, depth + 1);
      }
    }
    if (parts.length > 3) return { k: 'slice', r };
    return { k: 'slice', bounds: [parts[0] ?? null, parts[1] ?? null, parts[2] ?? null], r };
  }

  /** `elt for target in iter (if cond)?` — one generator only — as a list comprehension. */
  private comprehension(inner: SyntaxNode[], depth: number, r: Range): Expr {
    // elt (for targets in iter (if cond)*)+ — several generators nest, the first outermost
    const clauses: { target: Expr; iter: Expr; cond: Expr | null }[] = [];
    let i = 1;
    if (inner[i]?.name !== 'for') return { k: 'other', r };
    while (i < inner.length) {
      if (inner[i]!.name !== 'for') return { k: 'other', r };
      const inIdx = inner.findIndex((c, j) => j > i && c.name === 'in');
      const iterNode = inIdx > 0 ? inner[inIdx + 1] : undefined;
      if (!iterNode || inIdx === i + 1) return { k: 'other', r };
      let j = inIdx + 2;
      let cond: Expr | null = null;
      while (inner[j]?.name === 'if' && inner[j + 1]) {
        const c = this.expr(inner[j + 1]!, depth + 1);
        cond = cond ? { k: 'bin', op: 'and', left: cond, right: c, r } : c;
        j += 2;
      }
      clauses.push({
        target: this.exprList(inner.slice(i + 1, inIdx), depth, r),
        iter: this.expr(iterNode, depth + 1),
        cond,
      });
      i = j;
    }
    const build = (k: number): Expr => {
      const c = clauses[k]!;
      if (k === clauses.length - 1) return { k: 'listcomp', elt: this.expr(inner[0]!, depth + 1), ...c, r };
      // [[… for inner] for outer] flattened: sum(…, [])
      const rows: Expr = { k: 'listcomp', elt: build(k + 1), ...c, r };
      return {
        k: 'call',
        fn: { k: 'name', id: 'sum', r },
        args: [{ value: rows }, { value: { k: 'list', items: [], r } }],
        r,
      };
    };
    return build(0);
  }

  /** Several comma-separated expressions form a tuple (`return a, b`; `a, b = ...`). */
  /**
   * `not x`, where the grammar reads `not a or b` as `not (a or b)`: in Python `not` binds
   * tighter than `and` and `or` (and looser than comparisons), so it goes to the leftmost operand
   * of an unparenthesized and/or chain: `(not a) or b`.
   */
  private notOf(operand: SyntaxNode, from: number, depth: number): Expr {
    const ch = kids(operand);
    const op = ch.length === 3 ? this.text(ch[1]!) : '';
    if (operand.name === 'BinaryExpression' && (op === 'and' || op === 'or') && depth <= MAX_DEPTH) {
      const left = this.notOf(ch[0]!, from, depth + 1);
      return { k: 'bin', op, left, right: this.expr(ch[2]!, depth + 1), r: { from, to: operand.to } };
    }
    return { k: 'unary', op: 'not', operand: this.expr(operand, depth), r: { from, to: operand.to } };
  }

  private exprList(nodes: SyntaxNode[], depth: number, r: Range): Expr {
    const items: Expr[] = [];
    let sawComma = false;
    for (let i = 0; i < nodes.length; i++) {
      const c = nodes[i]!;
      if (c.name === ',') sawComma = true;
      else if (c.name === '*' && nodes[i + 1]) {
        items.push({ k: 'starred', value: this.expr(nodes[i + 1]!, depth + 1), r: this.r(c) });
        i++;
      } else if (c.name !== 'Comment' && c.name !== '⚠') items.push(this.expr(c, depth + 1));
    }
    if (items.length === 1 && !sawComma) return items[0]!;
    if (items.length === 0) return { k: 'other', r };
    return { k: 'tuple', items, r: { from: nodes[0]!.from + this.base, to: nodes[nodes.length - 1]!.to + this.base } };
  }

  expr(n: SyntaxNode, depth: number): Expr {
    const r = this.r(n);
    if (depth > MAX_DEPTH) {
      this.depthCapped = true;
      return { k: 'other', r };
    }
    const ch = kids(n);
    switch (n.name) {
      case 'Number': {
        const t = this.text(n).replace(/_/g, '').toLowerCase();
        let v: number;
        if (/^0x/.test(t)) v = parseInt(t.slice(2), 16);
        else if (/^0o/.test(t)) v = parseInt(t.slice(2), 8);
        else if (/^0b/.test(t)) v = parseInt(t.slice(2), 2);
        else if (/j$/.test(t)) return { k: 'other', r };
        else v = Number(t);
        if (!Number.isFinite(v)) return { k: 'other', r };
        // 2.0 and 1e3 are floats in Python; the dtype of a tensor made from them follows that
        return /^0[xob]/.test(t) || !/[.e]/.test(t) ? { k: 'num', v, r } : { k: 'num', v, r, float: true };
      }
      case 'String':
        return { k: 'str', v: unquote(this.text(n)), r };
      case 'ContinuedString': {
        if (ch.every((c) => c.name === 'String'))
          return { k: 'str', v: ch.map((c) => unquote(this.text(c))).join(''), r };
        if (!ch.every((c) => c.name === 'String' || c.name === 'FormatString')) return { k: 'other', r };
        const parts: FPart[] = [];
        for (const c of ch) {
          if (c.name === 'String') parts.push(unquote(this.text(c)));
          else {
            const f = this.fstring(c, depth);
            if (f.k !== 'fstring') return { k: 'other', r };
            parts.push(...f.parts);
          }
        }
        return { k: 'fstring', parts, r };
      }
      case 'FormatString':
        return this.fstring(n, depth);
      case 'Boolean':
        return { k: 'const', v: this.text(n) === 'True', r };
      case 'None':
        return { k: 'const', v: null, r };
      case 'Ellipsis':
        return { k: 'name', id: 'Ellipsis', r };
      case 'VariableName':
        return { k: 'name', id: this.text(n), r };
      case 'ParenthesizedExpression': {
        const inner = ch.find((c) => !PUNCT.has(c.name));
        return inner ? this.expr(inner, depth + 1) : { k: 'other', r };
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression': {
        const items: Expr[] = [];
        for (let i = 0; i < ch.length; i++) {
          const c = ch[i]!;
          if (PUNCT.has(c.name) || c.name === '⚠') continue;
          if (c.name === '*' && ch[i + 1]) {
            items.push({ k: 'starred', value: this.expr(ch[i + 1]!, depth + 1), r: this.r(c) });
            i++;
          } else items.push(this.expr(c, depth + 1));
        }
        return { k: n.name === 'TupleExpression' ? 'tuple' : n.name === 'ArrayExpression' ? 'list' : 'set', items, r };
      }
      case 'SetComprehensionExpression': {
        // {elt for …}: the comprehension's items, made a set
        const items = this.comprehension(
          ch.filter((c) => !BRACKETS.has(c.name) && c.name !== '{' && c.name !== '}'),
          depth,
          r,
        );
        return { k: 'call', fn: { k: 'name', id: 'set', r }, args: [{ value: items }], r };
      }
      case 'ArrayComprehensionExpression':
      case 'ComprehensionExpression':
        // [elt for …] and a generator (elt for …), evaluated as a list
        return this.comprehension(
          ch.filter((c) => !BRACKETS.has(c.name)),
          depth,
          r,
        );
      case 'DictionaryComprehensionExpression': {
        // {key: value for target in iter (if cond)?} — one generator only
        const inner = ch.filter((c) => c.name !== '{' && c.name !== '}');
        const inIdx = inner.findIndex((c) => c.name === 'in');
        const ifIdx = inner.findIndex((c, i) => c.name === 'if' && i > inIdx);
        if (inner[1]?.name !== ':' || inner[3]?.name !== 'for' || inIdx < 0) return { k: 'other', r };
        if (inner.filter((c) => c.name === 'for').length !== 1) return { k: 'other', r };
        return {
          k: 'listcomp',
          key: this.expr(inner[0]!, depth + 1),
          elt: this.expr(inner[2]!, depth + 1),
          target: this.exprList(inner.slice(4, inIdx), depth, r),
          iter: this.expr(inner[inIdx + 1]!, depth + 1),
          cond: ifIdx > 0 && inner[ifIdx + 1] ? this.expr(inner[ifIdx + 1]!, depth + 1) : null,
          r,
        };
      }
      case 'DictionaryExpression': {
        const entries: [Expr | null, Expr][] = [];
        const items = ch.filter((c) => !['{', '}', ',', '⚠'].includes(c.name));
        for (let i = 0; i < items.length;) {
          if (items[i]!.name === '**' && items[i + 1]) {
            entries.push([null, this.expr(items[i + 1]!, depth + 1)]);
            i += 2;
            continue;
          }
          if (items[i + 1]?.name !== ':' || !items[i + 2]) break;
          entries.push([this.expr(items[i]!, depth + 1), this.expr(items[i + 2]!, depth + 1)]);
          i += 3;
        }
        return { k: 'dict', entries, r };
      }
      case 'CallExpression': {
        const argList = ch.find((c) => c.name === 'ArgList');
        const fnNode = ch[0];
        if (!fnNode || fnNode === argList) return { k: 'other', r };
        return { k: 'call', fn: this.expr(fnNode, depth + 1), args: argList ? this.args(argList, depth) : [], r };
      }
      case 'MemberExpression': {
        const obj = ch[0];
        if (!obj) return { k: 'other', r };
        const prop = ch.find((c) => c.name === 'PropertyName');
        if (prop) return { k: 'attr', obj: this.expr(obj, depth + 1), name: this.text(prop), r };
        const inside = ch.slice(1).filter((c) => c.name !== '[' && c.name !== ']');
        if (inside.some((c) => c.name === ':' || c.name === 'Ellipsis'))
          return { k: 'subscript', obj: this.expr(obj, depth + 1), index: this.slice(inside, depth, r), r };
        return { k: 'subscript', obj: this.expr(obj, depth + 1), index: this.exprList(inside, depth, r), r };
      }
      case 'BinaryExpression': {
        if (ch.length < 3) return { k: 'other', r };
        const opNodes = ch.slice(1, -1);
        const op = opNodes.map((c) => this.text(c)).join(' ');
        const left = this.expr(ch[0]!, depth + 1);
        const right = this.expr(ch[ch.length - 1]!, depth + 1);
        // a chained comparison `a < b <= c` (parsed as (a < b) <= c) is `a < b and b <= c`
        if (COMPARE.has(op) && left.k === 'bin' && COMPARE.has(left.op) && ch[0]!.name === 'BinaryExpression')
          return { k: 'bin', op: 'and', left, right: { k: 'bin', op, left: left.right, right, r }, r };
        return { k: 'bin', op, left, right, r };
      }
      case 'LambdaExpression': {
        const plist = ch.find((c) => c.name === 'ParamList');
        const colon = ch.findIndex((c) => c.name === ':');
        const body = colon >= 0 ? ch[colon + 1] : undefined;
        if (!body) return { k: 'other', r };
        return { k: 'lambda', params: plist ? this.params(plist, depth) : [], body: this.expr(body, depth + 1), r };
      }
      case 'UnaryExpression': {
        if (ch.length < 2) return { k: 'other', r };
        const op = this.text(ch[0]!);
        if (op === 'not') return this.notOf(ch[ch.length - 1]!, r.from, depth + 1);
        return { k: 'unary', op, operand: this.expr(ch[ch.length - 1]!, depth + 1), r };
      }
      case 'ConditionalExpression': {
        const ifI = ch.findIndex((c) => c.name === 'if');
        const elseI = ch.findIndex((c) => c.name === 'else');
        if (ifI !== 1 || elseI < 0 || !ch[elseI + 1]) return { k: 'other', r };
        return {
          k: 'cond',
          body: this.expr(ch[0]!, depth + 1),
          test: this.expr(ch[ifI + 1]!, depth + 1),
          orelse: this.expr(ch[elseI + 1]!, depth + 1),
          r,
        };
      }
      default:
        return { k: 'other', r };
    }
  }
}

/** Python string literal → value (prefixes, triple quotes and common escapes). */
export function unquote(lit: string): string {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*?)\2?$/.exec(lit);
  if (!m) return lit;
  const raw = /r/i.test(m[1]!);
  let body = m[3]!;
  if (body.endsWith(m[2]!)) body = body.slice(0, -m[2]!.length);
  return raw ? body : unescape(body);
}

function unescape(body: string): string {
  return body.replace(/\\(n|t|r|\\|'|"|x[0-9a-fA-F]{2}|\n)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case '\n':
        return '';
      default:
        return e;
    }
  });
}
