/**
 * JSON from a file the user gave (a Keras config.json, metadata.json), read within limits: its
 * size and how deeply it nests are checked on the text, before JSON.parse builds anything (a
 * 60 KB file of nested brackets can otherwise take gigabytes or overflow the stack).
 */
import { fmtBytes, fmtInt, inputFail } from './errors';

/** How deeply `[` and `{` nest in JSON text, without parsing it; stops counting past `cap`. */
export function jsonDepth(text: string, cap: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > cap) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Size and depth checked first, then JSON.parse; `where` names the file and the part, `what` the document. */
export function parseJsonCapped(
  text: string,
  where: string,
  limits: { maxBytes: number; maxDepth: number; what: string },
): unknown {
  if (text.length > limits.maxBytes)
    inputFail(
      'too-large',
      `${where}: the ${limits.what} is ${fmtBytes(text.length)}, over the limit of ${fmtBytes(limits.maxBytes)}`,
    );
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth)
    inputFail('too-large', `${where}: the ${limits.what} nests deeper than ${fmtInt(limits.maxDepth)} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    inputFail(
      'corrupt',
      `${where}: the ${limits.what} is not valid JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    );
  }
}
