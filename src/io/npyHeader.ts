/**
 * The header of a NumPy .npy file (format versions 1.0, 2.0, 3.0, as documented in
 * numpy/lib/format.py): magic "\x93NUMPY", major and minor version bytes, a little-endian header
 * length (uint16 for v1, uint32 for v2/v3), then a Python dict literal such as
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (28, 28), }
 * padded with spaces and a newline. The dict is parsed by a small recursive-descent parser for the
 * literals numpy writes (strings, ints, True/False/None, tuples, lists, dicts) — never evaluated —
 * and checked as numpy's own reader does: exactly the three keys, a tuple of non-negative ints
 * for the shape, a bool for fortran_order. Like numpy ≥ 1.24 (max_header_size), headers over
 * 10,000 bytes are refused, and nesting is bounded so a hostile header cannot exhaust the stack.
 */
import { fmtBytes, fmtInt, inputFail } from './errors';

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
export const MAX_HEADER_BYTES = 10_000;
const MAX_DEPTH = 16;
/** NPY_MAXDIMS of numpy 1.x. */
const MAX_RANK = 32;

export interface NpyHeader {
  version: 1 | 2 | 3;
  /** The dtype string, e.g. '<f4' (a list for structured dtypes is refused here). */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset where the array data starts. */
  dataOffset: number;
}

type PyValue = string | number | boolean | null | PyValue[] | { tuple: PyValue[] } | Map<string, PyValue>;

export function readNpyHeader(b: Uint8Array, name: string): NpyHeader {
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (b[i] !== NPY_MAGIC[i]) {
      if (b.length === 0) inputFail('truncated', `${name}: the file is empty`);
      inputFail('unknown-format', `${name}: not a NumPy .npy file (it does not start with \\x93NUMPY)`);
    }
  }
  if (b.length < 10) inputFail('truncated', `${name}: truncated: ${fmtBytes(b.length)}, too short for a .npy header`);
  const major = b[6]!;
  const minor = b[7]!;
  if (major < 1 || major > 3 || minor !== 0) {
    inputFail('unsupported', `${name}: .npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  if (b.length < 8 + lenBytes) inputFail('truncated', `${name}: truncated: the header length field is cut off`);
  const headerLen = major === 1 ? b[8]! | (b[9]! << 8) : (b[8]! | (b[9]! << 8) | (b[10]! << 16)) + b[11]! * 2 ** 24;
  const start = 8 + lenBytes;
  if (headerLen > MAX_HEADER_BYTES) {
    inputFail('too-large', `${name}: header of ${fmtBytes(headerLen)} is over the ${fmtBytes(MAX_HEADER_BYTES)} limit`);
  }
  if (start + headerLen > b.length) {
    inputFail(
      'truncated',
      `${name}: truncated: header length is ${fmtBytes(headerLen)} but ${fmtBytes(b.length - start)} follow`,
    );
  }
  const raw = b.subarray(start, start + headerLen);
  // v1/v2 headers are latin-1; v3 (numpy ≥ 1.17, for unicode field names) is UTF-8.
  const text = major === 3 ? new TextDecoder('utf-8', { fatal: false }).decode(raw) : String.fromCharCode(...raw);
  const dict = parsePyLiteral(text, name);
  if (!(dict instanceof Map))
    inputFail('corrupt', `${name}: corrupt header: expected a dict, got ${JSON.stringify(text.slice(0, 60))}`);
  const keys = [...dict.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    inputFail(
      'corrupt',
      `${name}: corrupt header: keys are [${keys.join(', ')}], expected descr, fortran_order, shape`,
    );
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shapeV = dict.get('shape');
  if (Array.isArray(descr))
    inputFail('unsupported', `${name}: structured (record) dtypes are not supported; save a plain numeric array`);
  if (typeof descr !== 'string') inputFail('corrupt', `${name}: corrupt header: 'descr' is not a string`);
  if (typeof fortran !== 'boolean')
    inputFail('corrupt', `${name}: corrupt header: 'fortran_order' is not True or False`);
  if (!shapeV || typeof shapeV !== 'object' || !('tuple' in shapeV))
    inputFail('corrupt', `${name}: corrupt header: 'shape' is not a tuple`);
  const shape = shapeV.tuple.map((d) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      inputFail('corrupt', `${name}: corrupt header: shape entry ${JSON.stringify(d)} is not a non-negative integer`);
    }
    return d;
  });
  return { version: major as 1 | 2 | 3, descr, fortranOrder: fortran, shape, dataOffset: start + headerLen };
}

/** Parses one Python literal (plus surrounding whitespace) as numpy writes it. */
export function parsePyLiteral(text: string, name: string): PyValue {
  let i = 0;
  const bad = (what: string): never =>
    inputFail(
      'corrupt',
      `${name}: corrupt header: ${what} at character ${i} of ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`,
    );
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) bad(`nesting deeper than ${MAX_DEPTH}`);
    ws();
    const ch = text[i];
    if (ch === undefined) return bad('unexpected end');
    if (ch === "'" || ch === '"') return str();
    if (ch === '(') return { tuple: seq(')', depth) };
    if (ch === '[') return seq(']', depth);
    if (ch === '{') return dict(depth);
    const m = /^(?:[-+]?\d+L?|True|False|None)/.exec(text.slice(i, i + 32));
    if (!m) return bad(`unexpected ${JSON.stringify(ch)}`);
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    // Python 2-era numpy wrote longs as "3L".
    return Number(m[0].replace(/L$/, ''));
  };
  const str = (): string => {
    const q = text[i++]!;
    let s = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') {
        const esc = text[i + 1];
        if (esc === undefined) break;
        s += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc;
        i += 2;
      } else {
        s += text[i++];
      }
    }
    if (text[i] !== q) bad('unterminated string');
    i++;
    return s;
  };
  const seq = (close: string, depth: number): PyValue[] => {
    i++;
    const items: PyValue[] = [];
    for (;;) {
      ws();
      if (text[i] === close) {
        i++;
        return items;
      }
      items.push(value(depth + 1));
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) bad(`expected ',' or '${close}'`);
    }
  };
  const dict = (depth: number): Map<string, PyValue> => {
    i++;
    const map = new Map<string, PyValue>();
    for (;;) {
      ws();
      if (text[i] === '}') {
        i++;
        return map;
      }
      const key = value(depth + 1);
      if (typeof key !== 'string') bad('dict key is not a string');
      ws();
      if (text[i] !== ':') bad("expected ':'");
      i++;
      map.set(key as string, value(depth + 1));
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') bad("expected ',' or '}'");
    }
  };
  const v = value(0);
  ws();
  if (i !== text.length) bad('unexpected text after the dict');
  return v;
}

/** Header text numpy 1.24 writes for a C-order array: sorted keys, repr'd values, then spare
 *  spaces for the first axis to grow in place (GROWTH_AXIS_MAX_DIGITS = 21). */
export function formatNpyHeader(descr: string, shape: readonly number[]): string {
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  return header;
}

/** Total size check used by readers: shape product against a cap, without overflow. */
export function elementCount(shape: readonly number[], cap: number, name: string, dtypeName: string): number {
  if (shape.length > MAX_RANK)
    inputFail('unsupported', `${name}: ${shape.length} dimensions is over numpy's limit of ${MAX_RANK}`);
  // A zero anywhere makes the array empty, whatever the other (possibly huge) sizes are.
  if (shape.includes(0)) return 0;
  let n = 1;
  for (const d of shape) n *= d;
  if (n > cap) {
    inputFail(
      'too-large',
      `${name}: shape (${shape.join(', ')}) has ${fmtInt(n)} ${dtypeName} values, over the cap of ${fmtInt(cap)}`,
    );
  }
  return n;
}
