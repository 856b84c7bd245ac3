/**
 * Python string formatting as model code uses it to name modules: `'block%d' % i`,
 * `'layer{}'.format(i)`, f-strings and str(). Anything outside the common subset gives null, so
 * the caller's value becomes unknown rather than a wrong name.
 */
import { asNumber, iterItems, type Value } from './values';

const MAX_LEN = 100_000;

/** str(v) / `{v}` / `%s`; null when the text cannot be known. */
export function strOf(v: Value, repr = false, depth = 0): string | null {
  if (depth > 20) return null;
  switch (v.t) {
    case 'str':
      return repr ? `'${v.v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : v.v;
    case 'num':
      // a float prints with its point: 2.0, 1e+16 → 1e+16 as Python
      return v.float && Number.isInteger(v.v) && Math.abs(v.v) < 1e16 ? `${v.v}.0` : numText(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
    case 'list': {
      const parts: string[] = [];
      for (const it of v.items) {
        const s = strOf(it, true, depth + 1);
        if (s === null) return null;
        parts.push(s);
      }
      if (v.t === 'list') return `[${parts.join(', ')}]`;
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'dict': {
      const parts: string[] = [];
      for (let i = 0; i < v.keys.length; i++) {
        const k = strOf(v.keys[i]!, true, depth + 1);
        const x = strOf(v.vals[i]!, true, depth + 1);
        if (k === null || x === null) return null;
        parts.push(`${k}: ${x}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      return null;
  }
}

function numText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** The format-spec mini-language: [[fill]align][sign][0][width][,|_][.precision][type]. */
export function formatSpec(v: Value, spec: string): string | null {
  if (spec === '') return strOf(v);
  const m = /^(?:(.)?([<>^=]))?([+\- ]?)(#?)(0?)(\d*)([,_]?)(?:\.(\d+))?([bcdeEfFgGnosxX%]?)$/.exec(spec);
  if (!m) return null;
  const [, fillCh, align, sign, , zero, widthText, group, precText, type] = m;
  const width = widthText ? Number(widthText) : 0;
  const prec = precText !== undefined ? Number(precText) : null;
  let body: string | null;
  let numeric = false;
  if (type === 's' || (type === '' && v.t === 'str')) {
    const s = strOf(v);
    body = s === null ? null : prec !== null ? s.slice(0, prec) : s;
  } else {
    const n = asNumber(v);
    if (n === null) return null;
    numeric = true;
    body = numberText(n, type!, prec, group!);
    if (body !== null && sign && n >= 0 && !body.startsWith('-'))
      body = (sign === ' ' ? ' ' : sign === '+' ? '+' : '') + body;
  }
  if (body === null) return null;
  return pad(
    body,
    width,
    fillCh ?? (zero && !align ? '0' : ' '),
    align || (zero || numeric ? '>' : '<'),
    !!zero && !align,
  );
}

function numberText(n: number, type: string, prec: number | null, group: string): string | null {
  const int = (): string | null => (Number.isInteger(n) ? String(Math.abs(n)) : null);
  let s: string | null;
  switch (type) {
    case 'd':
    case 'n':
      s = int();
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b':
      s = Number.isInteger(n) ? Math.abs(n).toString(type === 'o' ? 8 : type === 'b' ? 2 : 16) : null;
      if (s && type === 'X') s = s.toUpperCase();
      break;
    case 'f':
    case 'F':
      s = Math.abs(n).toFixed(prec ?? 6);
      break;
    case '%':
      s = `${(Math.abs(n) * 100).toFixed(prec ?? 6)}%`;
      break;
    case 'e':
    case 'E': {
      const [mant, exp] = Math.abs(n)
        .toExponential(prec ?? 6)
        .split('e');
      const e = Number(exp);
      s = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
      if (type === 'E') s = s.toUpperCase();
      break;
    }
    case '':
      s = prec === null ? numText(Math.abs(n)) : null;
      break;
    default:
      return null;
  }
  if (s === null) return null;
  if (group) s = s.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, group));
  return n < 0 ? `-${s}` : s;
}

function pad(s: string, width: number, fill: string, align: string, signAware: boolean): string {
  if (s.length >= width) return s;
  const n = width - s.length;
  if (signAware && /^[-+ ]/.test(s)) return s[0]! + fill.repeat(n) + s.slice(1);
  if (align === '<') return s + fill.repeat(n);
  if (align === '^') return fill.repeat(Math.floor(n / 2)) + s + fill.repeat(Math.ceil(n / 2));
  return fill.repeat(n) + s;
}

/** `fmt % args` (printf style): %d %i %s %r %f %x %o %c %%, flags, width, precision, %(name)s. */
export function percentFormat(fmt: string, args: Value): string | null {
  const items = args.t === 'tuple' ? args.items : [args];
  let next = 0;
  let failed = false;
  const out = fmt.replace(
    /%(?:\((\w+)\))?([-+ 0#]*)(\d*)(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g,
    (_, key: string | undefined, flags: string, width: string, prec: string | undefined, type: string) => {
      if (type === '%') return '%';
      let v: Value | undefined;
      if (key !== undefined) {
        if (args.t !== 'dict') return fail();
        const i = args.keys.findIndex((k) => k.t === 'str' && k.v === key);
        v = i >= 0 ? args.vals[i] : undefined;
      } else v = items[next++];
      if (!v) return fail();
      let body: string | null;
      if (type === 's' || type === 'r' || type === 'a') body = strOf(v, type !== 's');
      else if (type === 'c')
        body = v.t === 'str' ? v.v : asNumber(v) !== null ? String.fromCharCode(asNumber(v)!) : null;
      else {
        const n = asNumber(v);
        const t = type === 'i' || type === 'u' ? 'd' : type;
        body =
          n === null
            ? null
            : numberText(t === 'd' ? Math.trunc(n) : n, t, prec !== undefined ? Number(prec) : null, '');
        if (body !== null && n !== null && n >= 0)
          body = (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + body;
      }
      if (body === null) return fail();
      const left = flags.includes('-');
      const zero = flags.includes('0') && !left && type !== 's' && type !== 'r';
      return pad(body, width ? Number(width) : 0, zero ? '0' : ' ', left ? '<' : '>', zero);
    },
  );
  // every argument must be used, as Python checks ("not all arguments converted")
  if (failed || (args.t === 'tuple' && next !== items.length) || out.length > MAX_LEN) return null;
  return out;

  function fail(): string {
    failed = true;
    return '';
  }
}

/** `fmt.format(*positional, **keywords)`: {} {0} {name} with !r/!s and :spec. */
export function strFormat(
  fmt: string,
  positional: readonly Value[],
  keywords: ReadonlyMap<string, Value>,
): string | null {
  let auto = 0;
  let failed = false;
  const out = fmt.replace(
    /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g,
    (whole, field: string | undefined, conv, spec) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      let v: Value | undefined;
      if (field === undefined || field === '') v = positional[auto++];
      else if (/^\d+$/.test(field)) v = positional[Number(field)];
      else if (/^[A-Za-z_]\w*$/.test(field)) v = keywords.get(field);
      const s = v ? formatField(v, (conv as string | undefined) ?? null, (spec as string | undefined) ?? '') : null;
      if (s === null) failed = true;
      return s ?? '';
    },
  );
  return failed || out.length > MAX_LEN ? null : out;
}

/** One replacement field of a format string or an f-string. */
export function formatField(v: Value, conv: string | null, spec: string): string | null {
  if (conv === 'r' || conv === 'a') {
    const s = strOf(v, true);
    return s === null ? null : formatSpec({ t: 'str', v: s }, spec);
  }
  return formatSpec(v, spec);
}

/** `sep.join(items)`; null unless every item is a known string. */
export function joinStrings(sep: string, items: Value | undefined): string | null {
  const list = items ? iterItems(items) : null;
  if (!list || list.some((x) => x.t !== 'str')) return null;
  const out = list.map((x) => (x as { v: string }).v).join(sep);
  return out.length > MAX_LEN ? null : out;
}
