/**
 * Python's `re` for the strings model code decodes (timm's 'ir_r2_k3_s2_e6_c24_se0.25' block
 * strings: re.split(r'(\d.*)', op)): split, sub, findall, match, search, fullmatch, compile, and
 * the match object's group()/groups(). Patterns are translated to JavaScript's (named groups,
 * \A and \Z). Backtracking is what could freeze the editor, so a pattern is run only when its
 * time is bounded: no repeated group (`(a|a)*`, `(a+)+`), at most three repetitions in all, on
 * strings of at most 256 characters (a few million steps at worst); a pattern JavaScript reads
 * differently is not run either. Either way the result is unknown.
 */
import { NONE, UNKNOWN, asInt, num, str, type CallArgs, type Value } from '../interp/values';
import { bind } from './args';

const MAX_TEXT = 256;
const MAX_PATTERN = 256;
const MAX_REPEATS = 3;

type MatchObject = Extract<Value, { t: 'object' }>;

/** A JavaScript RegExp for a Python pattern, or null when it cannot be run safely and alike. */
function compile(pattern: Value | undefined, flags: Value | undefined, extra = ''): RegExp | null {
  const p =
    pattern?.t === 'str' ? pattern.v : pattern?.t === 'object' && pattern.kind === 're-pattern' ? pattern.what : null;
  if (p === null || p.length > MAX_PATTERN) return null;
  // a repeated group can backtrack exponentially ((a|a)*, ((a)*)*); many repetitions polynomially (a*a*a*a*b)
  const bare = p.replace(/\\./g, '_').replace(/\[(?:[^\]\\]|\\.)*\]/g, '_');
  if (/\)\s*(?:[*+]|\{\d*,)/.test(bare)) return null;
  if ((bare.match(/[*+]|\{\d*,\d*\}|(?<!\()\?/g) ?? []).length > MAX_REPEATS) return null;
  // lookbehind, conditionals, possessive and atomic forms, inline flags: not translated
  if (/\(\?(?:[<][=!]|\(|>|[aiLmsux-]+[):])|[*+?}]\+/.test(p)) return null;
  const js = p
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  const f = asInt(flags) ?? 0;
  let jsFlags = extra;
  if (f & 2) jsFlags += 'i'; // re.IGNORECASE
  if (f & 8) jsFlags += 'm'; // re.MULTILINE
  if (f & 16) jsFlags += 's'; // re.DOTALL
  try {
    return new RegExp(js, jsFlags);
  } catch {
    return null;
  }
}

function text(v: Value | undefined): string | null {
  return v?.t === 'str' && v.v.length <= MAX_TEXT ? v.v : null;
}

function group(g: string | undefined): Value {
  return g === undefined ? NONE : str(g);
}

function matchObject(m: RegExpExecArray): MatchObject {
  const attrs = new Map<string, Value>();
  attrs.set('$groups', { t: 'tuple', items: [...m].map(group) });
  const named = m.groups ?? {};
  attrs.set('$named', { t: 'dict', keys: Object.keys(named).map(str), vals: Object.values(named).map(group) });
  attrs.set('$start', num(m.index));
  return { t: 'object', kind: 're-match', attrs, what: 're.Match' };
}

/** re.<fn>(…) and the methods of a compiled pattern (self given). */
export function reCall(fn: string, args: CallArgs, self: MatchObject | null = null): Value {
  if (args.incomplete) return UNKNOWN;
  const pre = self ? [self as Value] : [];
  const a: CallArgs = { ...args, positional: [...pre, ...args.positional] };
  switch (fn) {
    case 'compile': {
      const b = bind(['pattern', 'flags'], a);
      const p = b.values.get('pattern');
      if (p?.t !== 'str' || !compile(p, b.values.get('flags'))) return UNKNOWN;
      return {
        t: 'object',
        kind: 're-pattern',
        attrs: new Map([['$flags', b.values.get('flags') ?? num(0)]]),
        what: p.v,
      };
    }
    case 'split': {
      const b = bind(['pattern', 'string', 'maxsplit', 'flags'], a);
      const re = compile(b.values.get('pattern'), flagsOf(b.values.get('pattern'), b.values.get('flags')), 'g');
      const s = text(b.values.get('string'));
      const max = asInt(b.values.get('maxsplit')) ?? 0;
      if (!re || s === null || max !== 0) return UNKNOWN;
      return { t: 'list', items: s.split(re).map(group) };
    }
    case 'sub': {
      const b = bind(['pattern', 'repl', 'string', 'count', 'flags'], a);
      const re = compile(b.values.get('pattern'), flagsOf(b.values.get('pattern'), b.values.get('flags')), 'g');
      const repl = b.values.get('repl');
      const s = text(b.values.get('string'));
      if (!re || s === null || repl?.t !== 'str' || (asInt(b.values.get('count')) ?? 0) !== 0) return UNKNOWN;
      const expand = template(repl.v);
      if (!expand) return UNKNOWN;
      const out = s.replace(re, (...m: unknown[]) => {
        const last = m[m.length - 1];
        const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
        const groups = m.slice(0, typeof last === 'object' ? -3 : -2) as (string | undefined)[];
        return expand(groups, named);
      });
      return out.length <= MAX_TEXT * 4 ? str(out) : UNKNOWN;
    }
    case 'findall': {
      const b = bind(['pattern', 'string', 'flags'], a);
      const re = compile(b.values.get('pattern'), flagsOf(b.values.get('pattern'), b.values.get('flags')), 'g');
      const s = text(b.values.get('string'));
      if (!re || s === null) return UNKNOWN;
      const items: Value[] = [];
      for (const m of s.matchAll(re)) {
        items.push(
          m.length === 1 ? str(m[0]) : m.length === 2 ? group(m[1]) : { t: 'tuple', items: m.slice(1).map(group) },
        );
        if (items.length > 10_000) return UNKNOWN;
      }
      return { t: 'list', items };
    }
    case 'match':
    case 'search':
    case 'fullmatch': {
      const b = bind(['pattern', 'string', 'flags'], a);
      const re = compile(b.values.get('pattern'), flagsOf(b.values.get('pattern'), b.values.get('flags')), 'y');
      const s = text(b.values.get('string'));
      if (!re || s === null) return UNKNOWN;
      const src = fn === 'fullmatch' ? `(?:${re.source})$` : re.source;
      const r = new RegExp(src, fn === 'search' ? re.flags.replace('y', '') : re.flags);
      const m = r.exec(s);
      return m ? matchObject(m) : NONE;
    }
    default:
      return UNKNOWN;
  }
}

/**
 * A re.sub replacement template: \1, \g<1>, \g<name>, and the escapes \n \t \\; null when it
 * holds another escape (Python would refuse most of them).
 */
function template(
  t: string,
): ((groups: (string | undefined)[], named: Record<string, string | undefined>) => string) | null {
  const parts: (string | { group: number | string })[] = [];
  let lit = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const rest = t.slice(i + 1);
    const g = /^g<(\w+)>/.exec(rest) ?? /^(\d{1,2})/.exec(rest);
    if (g) {
      parts.push(lit, { group: /^\d+$/.test(g[1]!) ? Number(g[1]) : g[1]! });
      lit = '';
      i += g[0].length;
      continue;
    }
    const esc: Record<string, string> = { n: '\n', t: '\t', '\\': '\\' };
    const e = esc[t[i + 1] ?? ''];
    if (e === undefined) return null;
    lit += e;
    i++;
  }
  parts.push(lit);
  return (groups, named) =>
    parts
      .map((p) =>
        typeof p === 'string' ? p : ((typeof p.group === 'number' ? groups[p.group] : named[p.group]) ?? ''),
      )
      .join('');
}

function flagsOf(pattern: Value | undefined, flags: Value | undefined): Value | undefined {
  return pattern?.t === 'object' && pattern.kind === 're-pattern' ? pattern.attrs.get('$flags') : flags;
}

/** Methods of a match object (m.group(1), m.groups()) and of a compiled pattern (p.split(s)). */
export function reMethod(self: MatchObject, name: string, args: CallArgs): Value | undefined {
  if (self.kind === 're-pattern') return reCall(name, args, self);
  if (self.kind !== 're-match') return undefined;
  const groups = self.attrs.get('$groups');
  const named = self.attrs.get('$named');
  if (groups?.t !== 'tuple' || named?.t !== 'dict') return UNKNOWN;
  const one = (k: Value | undefined): Value => {
    if (k === undefined) return groups.items[0] ?? NONE;
    if (k.t === 'str') {
      const i = named.keys.findIndex((x) => x.t === 'str' && x.v === k.v);
      return i < 0 ? UNKNOWN : named.vals[i]!;
    }
    const i = asInt(k);
    return i === null || i < 0 || i >= groups.items.length ? UNKNOWN : groups.items[i]!;
  };
  switch (name) {
    case 'group':
      return args.positional.length <= 1 ? one(args.positional[0]) : { t: 'tuple', items: args.positional.map(one) };
    case 'groups':
      return { t: 'tuple', items: groups.items.slice(1) };
    case 'groupdict':
      return named;
    case 'start':
      return args.positional.length === 0 ? (self.attrs.get('$start') ?? UNKNOWN) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}
