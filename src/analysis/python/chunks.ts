/**
 * Splits Python source into top-level chunks: each starts at a statement in column 0 (with its
 * decorators, and with the `elif`/`else`/`except`/`finally` clauses that continue it) and runs
 * to the next one. Strings, comments, brackets and backslash continuations are tracked, so a
 * line inside a call or a docstring never starts a chunk. One linear scan.
 */

export interface Chunk {
  from: number;
  to: number;
  /** Set for a top-level `def` (possibly decorated): its body can be parsed when first called. */
  defName: string | null;
}

const CONTINUATION = /^(elif|else|except|finally)\b/;

export function splitTopLevel(src: string): Chunk[] {
  const starts: number[] = [];
  let depth = 0;
  let i = 0;
  const n = src.length;
  let lineStart = true;
  let continued = false;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      const c = src.charCodeAt(i);
      // a statement starts in column 0: not blank, not a comment, not inside brackets
      if (depth === 0 && !continued && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 35) starts.push(i);
      continued = false;
    }
    const c = src[i]!;
    if (c === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === '#') {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      continued = true;
      i += 2;
      lineStart = true;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src[i + 1] === c && src[i + 2] === c;
      const quote = triple ? c + c + c : c;
      let j = i + quote.length;
      while (j < n) {
        const d = src[j]!;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (!triple && d === '\n') break; // unterminated: the line ends the string
        if (d === c && (!triple || (src[j + 1] === c && src[j + 2] === c))) {
          j += quote.length;
          break;
        }
        j++;
      }
      i = j;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    i++;
  }
  const chunks: Chunk[] = [];
  // whether the last chunk so far is decorators only (kept as pieces are added: checking the whole
  // chunk again for every piece made 20,000 stacked decorators take seconds)
  let prevDecorators = false;
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k]!;
    const to = k + 1 < starts.length ? starts[k + 1]! : n;
    const head = src.slice(from, Math.min(to, from + 16));
    const prev = chunks[chunks.length - 1];
    if (prev && (CONTINUATION.test(head) || prevDecorators)) {
      prev.to = to;
      if (prev.defName === null && /^@/.test(src[prev.from]!)) prev.defName = defName(src.slice(from, to));
      prevDecorators = prevDecorators && isOnlyDecorators(src.slice(from, to));
      continue;
    }
    chunks.push({ from, to, defName: defName(src.slice(from, Math.min(to, from + 200))) });
    prevDecorators = src[from] === '@' && isOnlyDecorators(src.slice(from, to));
  }
  if (chunks.length === 0 || chunks[0]!.from > 0) chunks.unshift({ from: 0, to: chunks[0]?.from ?? n, defName: null });
  return chunks;
}

function isOnlyDecorators(text: string): boolean {
  return text
    .split('\n')
    .every((l) => l.trim() === '' || l.startsWith('@') || l.trimStart().startsWith('#') || /^\s/.test(l));
}

function defName(text: string): string | null {
  const m = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(text);
  return m ? m[1]! : null;
}
