/**
 * Names that come from a user's source or file (layer, tensor, model, file names; option values)
 * made safe for where they are shown:
 * - `printable`: a terminal line. Control characters (C0, DEL, C1: ANSI escapes, newlines,
 *   carriage returns), line and paragraph separators and bidirectional overrides are written as
 *   `\uXXXX`, so a name can neither colour the terminal, move its cursor nor forge a line; long
 *   names are cut with an ellipsis.
 * - `markdownText`: Markdown prose (hovers). What could start a construct is backslash-escaped
 *   (CommonMark §2.4): link and image brackets, emphasis, code, HTML and autolinks, entities,
 *   strikethrough, a theme icon `$(…)`, a block marker at the start; and what GFM turns into a link
 *   by itself (`https://`, `www.`, an e-mail address), so no link, image or HTML can be formed.
 * - `markdownCode`: a Markdown code span that holds any name, backticks included (§6.1: a fence
 *   longer than any backtick run inside).
 */

/** Longest name kept whole in a message; longer ones end with "…". */
export const MAX_SHOWN_NAME = 120;

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** A name fit for one terminal line (and any plain-text, one-line message). */
export function printable(name: string, max = MAX_SHOWN_NAME): string {
  const s = name.length > max ? `${name.slice(0, max)}…` : name;
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text from a source or file, inert in Markdown: shown as written, never as formatting. */
export function markdownText(s: string, max = MAX_SHOWN_NAME): string {
  return printable(s, max)
    .replace(/[\\`*_[\]<>&~|@{}]|:(?=\/)|\$(?=\()|(?<=[wW]{3})\./g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+\-=>]|\d+[.)])/, (_, sp: string, m: string) => `${sp}${m.slice(0, -1)}\\${m.slice(-1)}`);
}

/** A Markdown code span showing `s` literally, whatever backticks it contains. */
export function markdownCode(s: string, max = MAX_SHOWN_NAME): string {
  const body = printable(s, max);
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // a span whose content starts or ends with a backtick needs a space on each side (§6.1)
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * What a command writes to a terminal, line by line: every control character but the newlines
 * and tabs the command itself lays out written as \uXXXX. The last guard of the CLI's output: a
 * name that slipped through unescaped still cannot send an escape sequence. (In JSON output this
 * rewrites a character inside a string to its JSON escape, which means the same.)
 */
export function terminalSafe(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
