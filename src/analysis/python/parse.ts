/**
 * Python source → our AST, through the error-tolerant @lezer/python parser. Never throws:
 * unknown or broken syntax becomes `other` nodes. Caps: the source length (MAX_SOURCE_CHARS,
 * cut at a line boundary) and the nesting depth (MAX_DEPTH); a capped module says so.
 */
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import { splitTopLevel } from './chunks';
import type { Comment, Module, Stmt } from './ast';
import { Converter, MAX_DEPTH } from './convert';

export const MAX_SOURCE_CHARS = 2_000_000;
export { MAX_DEPTH };

interface ParsedChunk {
  body: Stmt[];
  comments: Comment[];
  depthCapped: boolean;
}

/**
 * Parse results of one document, by chunk: a one-line edit re-parses only the chunk it
 * touches. Entries not used by the latest parse are dropped, so memory stays one document.
 */
export class ParseCache {
  private trees = new Map<string, Tree>();
  private asts = new Map<string, ParsedChunk>();
  private nextTrees = new Map<string, Tree>();
  private nextAsts = new Map<string, ParsedChunk>();

  begin(): void {
    this.nextTrees = new Map();
    this.nextAsts = new Map();
  }

  end(): void {
    this.trees = this.nextTrees;
    this.asts = this.nextAsts;
  }

  tree(text: string): Tree {
    let t = this.trees.get(text) ?? this.nextTrees.get(text);
    if (!t) t = parser.parse(text);
    this.nextTrees.set(text, t);
    return t;
  }

  chunk(text: string, base: number): ParsedChunk {
    const key = `${base}:${text}`;
    let c = this.asts.get(key) ?? this.nextAsts.get(key);
    if (!c) {
      const fixed = trailingDotFloats(text);
      const conv = new Converter(fixed, base);
      c = { body: conv.stmts(this.tree(fixed).topNode, 0), comments: conv.comments, depthCapped: conv.depthCapped };
    }
    this.nextAsts.set(key, c);
    return c;
  }
}

const IDENT = /[\p{L}\p{N}_]/u;
const DIGIT = /[0-9]/;

/**
 * The grammar does not know floats written with a trailing dot (`0.`, `1.e-3`): it reads a member
 * access and loses the expression around it (`p if x > 0. else None`). Such numbers are rewritten
 * to the same value with the same length (`0 `, `1e-3 `) outside strings and comments, so every
 * offset stays where it was. (Numbers have no int/float distinction in the analyzer.)
 */
export function trailingDotFloats(text: string): string {
  if (!/[0-9]\.(?![0-9])/.test(text)) return text;
  let out: string[] | null = null;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      while (i < n && !text.startsWith(close, i)) {
        if (text[i] === '\\') i++;
        else if (!triple && text[i] === '\n') break;
        i++;
      }
      i += close.length;
    } else if (DIGIT.test(c) && (i === 0 || !(IDENT.test(text[i - 1]!) || text[i - 1] === '.'))) {
      let j = i;
      while (j < n && (DIGIT.test(text[j]!) || text[j] === '_')) j++;
      const next = text[j + 1] ?? '';
      if (text[j] === '.' && !DIGIT.test(next) && !/[xXoObB]/.test(text[i + 1] ?? '')) {
        out ??= text.split('');
        const exp = /^[eE][+-]?[0-9]+/.exec(text.slice(j + 1, j + 24));
        if (exp) {
          // `1.e-3` → `1e-3 `: the exponent moves left over the dot
          for (let k = 0; k < exp[0].length; k++) out[j + k] = exp[0][k]!;
          out[j + exp[0].length] = ' ';
          j += exp[0].length + 1;
        } else {
          out[j] = ' ';
          j++;
        }
      }
      i = j;
    } else if (IDENT.test(c)) {
      while (i < n && IDENT.test(text[i]!)) i++;
    } else i++;
  }
  return out ? out.join('') : text;
}

export function parsePython(source: string, cache: ParseCache = new ParseCache()): Module {
  let text = source;
  let capped: string | null = null;
  if (text.length > MAX_SOURCE_CHARS) {
    const cut = text.lastIndexOf('\n', MAX_SOURCE_CHARS);
    text = text.slice(0, cut > 0 ? cut : MAX_SOURCE_CHARS);
    capped = `only the first ${text.split('\n').length} lines (${(MAX_SOURCE_CHARS / 1e6).toFixed(0)} MB) were analyzed`;
  }
  cache.begin();
  const body: Stmt[] = [];
  const comments: Comment[] = [];
  let depthCapped = false;
  let tooDeep = false;
  for (const ch of splitTopLevel(text)) {
    const chunkText = text.slice(ch.from, ch.to);
    if (bracketDepth(chunkText) > MAX_NESTED_BRACKETS) {
      // Python refuses it too ("too many nested parentheses"); the parser would recurse as deep
      tooDeep = true;
      continue;
    }
    if (ch.defName) {
      // Parsed on first call; its comments still count (they may carry input shapes).
      collectCommentLines(chunkText, ch.from, comments);
      let loaded: Extract<Stmt, { k: 'def' }> | null | undefined;
      body.push({
        k: 'lazydef',
        name: ch.defName,
        r: { from: ch.from, to: ch.to },
        load: () => {
          if (loaded === undefined)
            loaded =
              (cache.chunk(chunkText, ch.from).body.find((st) => st.k === 'def') as
                Extract<Stmt, { k: 'def' }> | undefined) ?? null;
          return loaded;
        },
      });
      continue;
    }
    const parsed = cache.chunk(chunkText, ch.from);
    body.push(...parsed.body);
    comments.push(...parsed.comments);
    depthCapped ||= parsed.depthCapped;
  }
  cache.end();
  if (depthCapped && !capped) capped = `expressions nested deeper than ${MAX_DEPTH} levels were not analyzed`;
  if (tooDeep && !capped)
    capped = `a statement with brackets nested deeper than ${MAX_NESTED_BRACKETS} levels (a syntax error in Python) was not analyzed`;
  return { body, comments, capped };
}

/** CPython's tokenizer refuses brackets nested deeper than this (MAXLEVEL). */
export const MAX_NESTED_BRACKETS = 200;

/** The deepest bracket nesting of a piece of source, outside strings and comments. One scan. */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') {
      if (++depth > max) max = depth;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth > 0) depth--;
    } else if (c === '#') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < n && !text.startsWith(close, j)) {
        if (text[j] === '\\') j++;
        else if (!triple && text[j] === '\n') break;
        j++;
      }
      i = j + close.length - 1;
    }
  }
  return max;
}

/** Comment lines of a chunk that is not parsed yet (lazy def). */
function collectCommentLines(text: string, base: number, out: Comment[]): void {
  const re = /#[^\n]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (/convlens/i.test(m[0])) out.push({ text: m[0], r: { from: base + m.index, to: base + m.index + m[0].length } });
  }
}
