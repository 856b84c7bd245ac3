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
      const conv = new Converter(text, base);
      c = { body: conv.stmts(this.tree(text).topNode, 0), comments: conv.comments, depthCapped: conv.depthCapped };
    }
    this.nextAsts.set(key, c);
    return c;
  }
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
  for (const ch of splitTopLevel(text)) {
    const chunkText = text.slice(ch.from, ch.to);
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
  return { body, comments, capped };
}

/** Comment lines of a chunk that is not parsed yet (lazy def). */
function collectCommentLines(text: string, base: number, out: Comment[]): void {
  const re = /#[^\n]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (/convlens/i.test(m[0])) out.push({ text: m[0], r: { from: base + m.index, to: base + m.index + m[0].length } });
  }
}
