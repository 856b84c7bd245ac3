/**
 * Small tensors built from Python numbers (torch.arange, torch.tensor, torch.ones, …) and what
 * model code computes with them before any layer exists: RegNet's stage widths come from
 * `torch.arange(depth) * w_a + w_0`, torch.log/round/pow, `.int().tolist()`. Such a tensor carries
 * its exact shape, its dtype and — up to MAX_VALUES elements — its values, computed as PyTorch
 * does: float32 results rounded to float32 after every step, Python numbers taking the tensor's
 * dtype (an int tensor with a float becomes float32), round() halves to even, integer division
 * rounding down. A value that cannot be known (a random tensor, one too large to keep) leaves the
 * values null and the shape known; nothing here is ever an error: what PyTorch would refuse
 * (shapes that do not broadcast) reads as unknown. Tensors that flow through a model are not
 * these: an operation with one of them is a layer node (tensorArithmetic.ts).
 */
import type { Interpreter } from '../interp/interpreter';
import {
  UNKNOWN,
  asNumber,
  isFloat as isPyFloat,
  num,
  type TensorData,
  type TensorValue,
  type Value,
} from '../interp/values';
import { bind, type CallArgs } from './args';

/** Values kept per tensor; larger tensors keep their shape only. */
export const MAX_VALUES = 4096;

type DType = TensorData['dtype'];

export function isConstant(v: Value | undefined): v is TensorValue & { data: TensorData } {
  return v !== undefined && v.t === 'tensor' && v.data !== undefined;
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function constTensor(shape: number[], dtype: DType, values: number[] | null): TensorValue {
  const kept = values && values.length === count(shape) && values.length <= MAX_VALUES ? values.map(cast(dtype)) : null;
  return { t: 'tensor', fw: 'pytorch', shape, rf: null, producer: -1, data: { dtype, values: kept } };
}

function cast(dtype: DType): (x: number) => number {
  switch (dtype) {
    case 'float32':
      return Math.fround;
    case 'float64':
      return (x) => x;
    case 'bool':
      return (x) => (x !== 0 ? 1 : 0);
    case 'int32':
      return (x) => Math.trunc(x) | 0;
    case 'int64':
      return Math.trunc;
  }
}

const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';
const rank = (d: DType): number => ['bool', 'int32', 'int64', 'float32', 'float64'].indexOf(d);

/** The dtype of an operation's result (torch.result_type, Python numbers as "weak" scalars). */
function promote(a: Operand, b: Operand): DType {
  if (a.scalar && b.scalar) return a.dtype;
  if (a.scalar || b.scalar) {
    const [t, s] = a.scalar ? [b, a] : [a, b];
    if (isFloat(s.dtype) && !isFloat(t.dtype)) return 'float32';
    if (s.dtype !== 'bool' && t.dtype === 'bool') return s.dtype === 'float64' ? 'float32' : 'int64';
    return t.dtype;
  }
  return rank(a.dtype) >= rank(b.dtype) ? a.dtype : b.dtype;
}

interface Operand {
  shape: number[];
  values: number[] | null;
  dtype: DType;
  /** A Python number (a weak scalar in PyTorch's promotion). */
  scalar: boolean;
}

function operand(v: Value | undefined): Operand | null {
  if (!v) return null;
  if (isConstant(v)) return { shape: v.shape as number[], values: v.data.values, dtype: v.data.dtype, scalar: false };
  if (v.t === 'bool') return { shape: [], values: [v.v ? 1 : 0], dtype: 'bool', scalar: true };
  if (v.t === 'num') return { shape: [], values: [v.v], dtype: isPyFloat(v) ? 'float64' : 'int64', scalar: true };
  return null;
}

function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The flat index in a broadcast operand of each output element. */
function indexer(shape: readonly number[], out: readonly number[]): (i: number) => number {
  const n = out.length;
  const strides: number[] = new Array<number>(n).fill(0);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    const axis = n - shape.length + k;
    strides[axis] = shape[k] === 1 ? 0 : s;
    s *= shape[k]!;
  }
  return (i) => {
    let at = 0;
    for (let axis = n - 1; axis >= 0; axis--) {
      const d = out[axis]!;
      at += (i % d) * strides[axis]!;
      i = Math.floor(i / d);
    }
    return at;
  };
}

function elementwise(a: Operand, b: Operand, dtype: DType, f: (x: number, y: number) => number): Value {
  const shape = broadcast(a.shape, b.shape);
  if (!shape) return UNKNOWN;
  const n = count(shape);
  if (!a.values || !b.values || n > MAX_VALUES) return constTensor(shape, dtype, null);
  // PyTorch computes in the result's dtype: operands are converted to it first
  const ca = cast(dtype);
  const [ia, ib] = [indexer(a.shape, shape), indexer(b.shape, shape)];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(f(ca(a.values[ia(i)]!), ca(b.values[ib(i)]!)));
  return constTensor(shape, dtype, out.some((x) => Number.isNaN(x)) ? null : out);
}

/** Python's round(): halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

const BINARY: Record<string, { f: (x: number, y: number) => number; float?: true }> = {
  '+': { f: (x, y) => x + y },
  '-': { f: (x, y) => x - y },
  '*': { f: (x, y) => x * y },
  '/': { f: (x, y) => x / y, float: true },
  '//': { f: (x, y) => Math.floor(x / y) },
  '%': { f: (x, y) => x - Math.floor(x / y) * y },
  '**': { f: (x, y) => x ** y },
};

/** `a op b` where neither side flows through a model and one is a constant tensor; undefined otherwise. */
export function constantBinary(op: string, l: Value, r: Value): Value | undefined {
  const a = operand(l);
  const b = operand(r);
  if (!a || !b || (a.scalar && b.scalar)) return undefined;
  const spec = BINARY[op];
  if (!spec) return UNKNOWN;
  let dtype = promote(a, b);
  if (spec.float && !isFloat(dtype)) dtype = 'float32';
  // an integer divided by zero is an error in PyTorch, not a value
  if (!isFloat(dtype) && (op === '//' || op === '%') && b.values?.includes(0)) return UNKNOWN;
  // an integer raised to a negative integer is an error in PyTorch too
  if (!isFloat(dtype) && op === '**' && b.values?.some((v) => v < 0)) return UNKNOWN;
  return elementwise(a, b, dtype, spec.f);
}

function unary(x: Operand, dtype: DType, f: (v: number) => number): Value {
  if (!x.values) return constTensor(x.shape, dtype, null);
  const c = cast(dtype);
  const out = x.values.map((v) => f(c(v)));
  return constTensor(x.shape, dtype, out.some((v) => Number.isNaN(v)) ? null : out);
}

const FLOAT_UNARY: Record<string, (v: number) => number> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  exp: Math.exp,
  sqrt: Math.sqrt,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};
const SAME_UNARY: Record<string, (v: number) => number> = {
  abs: Math.abs,
  neg: (v) => -v,
  negative: (v) => -v,
  round: roundHalfEven,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
};
const CONVERSIONS: Record<string, DType> = {
  int: 'int32',
  long: 'int64',
  float: 'float32',
  double: 'float64',
  bool: 'bool',
};
const ARITHMETIC: Record<string, string> = {
  add: '+',
  sub: '-',
  subtract: '-',
  mul: '*',
  multiply: '*',
  div: '/',
  divide: '/',
  true_divide: '/',
  floor_divide: '//',
  remainder: '%',
  pow: '**',
};

/** Nested Python lists → shape and flat values (None: not a rectangular list of numbers). */
function fromNested(v: Value): { shape: number[]; values: number[]; dtype: DType } | null {
  const n = asNumber(v);
  if (n !== null)
    return { shape: [], values: [n], dtype: v.t === 'bool' ? 'bool' : isPyFloat(v) ? 'float32' : 'int64' };
  if (isConstant(v) && v.data.values) return { shape: v.shape as number[], values: v.data.values, dtype: v.data.dtype };
  if (v.t !== 'list' && v.t !== 'tuple') return null;
  const items = v.items;
  if (items.length === 0) return { shape: [0], values: [], dtype: 'float32' };
  const parts = items.map(fromNested);
  if (parts.some((p) => !p)) return null;
  const first = parts[0]!;
  if (parts.some((p) => p!.shape.join() !== first.shape.join())) return null;
  const values = parts.flatMap((p) => p!.values);
  if (values.length > MAX_VALUES) return null;
  const dtype = parts.reduce<DType>((d, p) => (rank(p!.dtype) > rank(d) ? p!.dtype : d), first.dtype);
  return { shape: [items.length, ...first.shape], values, dtype };
}

function dtypeArg(v: Value | undefined): DType | null {
  if (!v || v.t !== 'qual') return null;
  const name = v.path.split('.').pop()!;
  const map: Record<string, DType> = {
    float32: 'float32',
    float: 'float32',
    float64: 'float64',
    double: 'float64',
    int32: 'int32',
    int: 'int32',
    int64: 'int64',
    long: 'int64',
    bool: 'bool',
  };
  return map[name] ?? null;
}

/** view/reshape sizes: ints (one may be -1), separately or as one tuple/list. */
function shapeOrMinusOne(a: Value[]): number[] | null {
  const src = a.length === 1 && (a[0]!.t === 'tuple' || a[0]!.t === 'list') ? a[0]!.items : a;
  const out: number[] = [];
  for (const v of src) {
    const n = asNumber(v);
    if (n === null || !Number.isInteger(n) || n < -1) return null;
    out.push(n);
  }
  return out;
}

function shapeArgs(a: Value[]): number[] | null {
  const src = a.length === 1 && (a[0]!.t === 'tuple' || a[0]!.t === 'list') ? a[0]!.items : a;
  const out: number[] = [];
  for (const v of src) {
    const n = asNumber(v);
    if (n === null || !Number.isInteger(n) || n < 0) return null;
    out.push(n);
  }
  return out;
}

/**
 * torch.<fn>(…) when its tensors are constants (or it makes one): the value, or undefined when
 * this is not such a call (a tensor of the model is involved, or fn is not one of these).
 */
export function constantTorchCall(_ip: Interpreter, fn: string, args: CallArgs): Value | undefined {
  const a = args.positional;
  if (
    a.some((v) => v.t === 'tensor' && !v.data) ||
    [...args.keywords.values()].some((v) => v.t === 'tensor' && !v.data)
  )
    return undefined;
  const dtypeKw = dtypeArg(args.keywords.get('dtype'));
  switch (fn) {
    case 'tensor':
    case 'as_tensor': {
      if (!a[0]) return undefined;
      const got = fromNested(a[0]);
      if (!got) return UNKNOWN;
      return constTensor(got.shape, dtypeKw ?? got.dtype, got.values);
    }
    case 'arange': {
      const nums = a.map(asNumber);
      if (nums.length === 0 || nums.some((n) => n === null)) return UNKNOWN;
      const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      if (step === 0) return UNKNOWN;
      const n = Math.max(0, Math.ceil((end - start) / step));
      const float = a.some(isPyFloat);
      const values = n <= MAX_VALUES ? Array.from({ length: n }, (_, i) => start + i * step) : null;
      return constTensor([n], dtypeKw ?? (float ? 'float32' : 'int64'), values);
    }
    case 'ones':
    case 'zeros':
    case 'full': {
      const shape = shapeArgs(fn === 'full' ? a.slice(0, 1) : a);
      if (!shape) return undefined;
      const fillV = fn === 'full' ? bind(['size', 'fill_value'], args).values.get('fill_value') : undefined;
      const fill = fn === 'full' ? asNumber(fillV) : fn === 'ones' ? 1 : 0;
      const n = count(shape);
      const dtype =
        dtypeKw ??
        (fillV?.t === 'bool' ? 'bool' : fillV && fillV.t === 'num' && !isPyFloat(fillV) ? 'int64' : 'float32');
      return constTensor(shape, dtype, fill !== null && n <= MAX_VALUES ? new Array<number>(n).fill(fill) : null);
    }
    case 'linspace': {
      const b = bind(['start', 'end', 'steps'], args).values;
      const [s, e, n] = [asNumber(b.get('start')), asNumber(b.get('end')), asNumber(b.get('steps'))];
      if (s === null || e === null || n === null || !Number.isInteger(n) || n < 0) return UNKNOWN;
      const dtype = dtypeKw ?? 'float32';
      const c = cast(dtype);
      const step = n > 1 ? c((e - s) / (n - 1)) : 0;
      // PyTorch fills the second half from the end, so the last value is exactly `end`
      const half = Math.floor(n / 2);
      const values =
        n <= MAX_VALUES
          ? Array.from({ length: n }, (_, i) => (i < half ? c(s + c(step * i)) : c(e - c(step * (n - 1 - i)))))
          : null;
      return constTensor([n], dtype, values);
    }
  }
  const x = operand(a[0] ?? args.keywords.get('input'));
  if (!x || x.scalar) {
    // torch.pow(2.0, t): a number raised to a tensor
    if (fn === 'pow' && x?.scalar && isConstant(a[1])) return constantBinary('**', a[0]!, a[1]!);
    return undefined;
  }
  return constantOp(fn, x, a.slice(1), args);
}

/** `t.<name>(…)` on a constant tensor; undefined when the method is not one of these. */
export function constantMethod(t: TensorValue & { data: TensorData }, name: string, args: CallArgs): Value | undefined {
  const x = operand(t)!;
  switch (name) {
    case 'tolist':
    case 'item': {
      if (!x.values) return UNKNOWN;
      if (name === 'item') return x.values.length === 1 ? num(x.values[0]!) : UNKNOWN;
      return nest(x.shape, x.values);
    }
    case 'numel':
      return num(count(x.shape));
    case 'dim':
      return num(x.shape.length);
    case 'to':
    case 'type': {
      const d = dtypeArg(args.positional[0] ?? args.keywords.get('dtype'));
      return d ? unary(x, d, (v) => v) : t;
    }
  }
  const conv = CONVERSIONS[name];
  if (conv) return unary(x, conv, (v) => v);
  return constantOp(name, x, args.positional, args);
}

function nest(shape: readonly number[], values: readonly number[]): Value {
  if (shape.length === 0) return num(values[0]!);
  const [n, ...rest] = shape;
  const size = count(rest);
  const items: Value[] = [];
  for (let i = 0; i < n!; i++) items.push(nest(rest, values.slice(i * size, (i + 1) * size)));
  return { t: 'list', items };
}

/** An op of a constant tensor `x` with the other arguments `rest`, as a function or a method. */
function constantOp(fn: string, x: Operand, rest: Value[], args: CallArgs): Value | undefined {
  const arith = ARITHMETIC[fn];
  if (arith) {
    const other = rest[0] ?? args.keywords.get('other') ?? args.keywords.get('exponent');
    if (!other) return UNKNOWN;
    const mode = args.keywords.get('rounding_mode');
    const self = constTensor(x.shape, x.dtype, x.values);
    if (mode && mode.t === 'str' && arith === '/') {
      const q = constantBinary('/', self, other);
      if (!isConstant(q)) return q;
      const f = mode.v === 'floor' ? Math.floor : mode.v === 'trunc' ? Math.trunc : null;
      if (!f) return UNKNOWN;
      // rounded as computed, then held in the operands' dtype
      const dtype = promote(x, operand(other)!);
      return constTensor(q.shape as number[], dtype, q.data.values ? q.data.values.map(f) : null);
    }
    return constantBinary(arith, self, other) ?? UNKNOWN;
  }
  const floatFn = FLOAT_UNARY[fn];
  if (floatFn) return unary(x, isFloat(x.dtype) ? x.dtype : 'float32', floatFn);
  const sameFn = SAME_UNARY[fn];
  if (sameFn) {
    const decimals = asNumber(args.keywords.get('decimals') ?? { t: 'num', v: 0 });
    if (fn === 'round' && decimals !== 0) return UNKNOWN;
    return unary(x, x.dtype, sameFn);
  }
  switch (fn) {
    case 'diff': {
      // along the last axis, once (n=1): each value minus the one before it
      const n = asNumber(args.keywords.get('n') ?? rest[0] ?? num(1));
      if (x.shape.length !== 1 || n !== 1 || args.keywords.has('dim') || args.keywords.has('prepend')) return UNKNOWN;
      const len = Math.max(x.shape[0]! - 1, 0);
      const values = x.values ? x.values.slice(1).map((v, i) => v - x.values![i]!) : null;
      return constTensor([len], x.dtype, values);
    }
    case 'unique': {
      // sorted (the default), flattened; return_inverse/return_counts/dim are not read
      if (args.keywords.has('return_inverse') || args.keywords.has('dim')) return UNKNOWN;
      if (!x.values) return UNKNOWN;
      const values = [...new Set(x.values)].sort((p, q) => p - q);
      const unique = constTensor([values.length], x.dtype, values);
      const counts = args.keywords.get('return_counts');
      if (!counts || counts.t === 'none' || (counts.t === 'bool' && !counts.v)) return unique;
      if (counts.t !== 'bool') return UNKNOWN;
      // (values, counts): how often each value occurs, int64
      const n = values.map((v) => x.values!.filter((w) => w === v).length);
      return { t: 'tuple', items: [unique, constTensor([n.length], 'int64', n)] };
    }
    case 'sum':
    case 'prod':
    case 'max':
    case 'min':
    case 'mean': {
      // the whole tensor (no dim): a 0-d tensor
      if (rest.length > 0 || args.keywords.has('dim')) return UNKNOWN;
      const dtype =
        fn === 'mean'
          ? isFloat(x.dtype)
            ? x.dtype
            : null
          : fn === 'sum' || fn === 'prod'
            ? isFloat(x.dtype)
              ? x.dtype
              : 'int64'
            : x.dtype;
      if (!dtype) return UNKNOWN;
      if (!x.values || (x.values.length === 0 && (fn === 'max' || fn === 'min')))
        return x.values ? UNKNOWN : constTensor([], dtype, null);
      const c = cast(dtype);
      const vs = x.values.map(c);
      const total =
        fn === 'sum' || fn === 'mean'
          ? vs.reduce((p, q) => c(p + q), 0)
          : fn === 'prod'
            ? vs.reduce((p, q) => c(p * q), 1)
            : fn === 'max'
              ? Math.max(...vs)
              : Math.min(...vs);
      return constTensor([], dtype, [fn === 'mean' ? total / vs.length : total]);
    }
    case 'split': {
      // t.split(size) / t.split([sizes]) along dim 0 of a 1-D tensor: a tuple of pieces
      const spec = rest[0] ?? args.keywords.get('split_size_or_sections') ?? args.keywords.get('split_size');
      if (!x.values || x.shape.length !== 1 || !spec || args.keywords.has('dim') || rest.length > 1) return UNKNOWN;
      const n = x.shape[0]!;
      const listed = spec.t === 'list' || spec.t === 'tuple' ? spec.items.map((v) => asNumber(v)) : null;
      const size = listed ? null : asNumber(spec);
      let sizes: number[];
      if (listed) {
        if (listed.some((v) => v === null || v < 0) || listed.reduce((p, q) => p! + q!, 0) !== n) return UNKNOWN;
        sizes = listed as number[];
      } else {
        if (size === null || size <= 0) return UNKNOWN;
        sizes = Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
      }
      const pieces: Value[] = [];
      let at = 0;
      for (const len of sizes) {
        pieces.push(constTensor([len], x.dtype, x.values.slice(at, at + len)));
        at += len;
      }
      return { t: 'tuple', items: pieces };
    }
    case 'cumsum': {
      if (x.shape.length !== 1) return UNKNOWN;
      const dtype = isFloat(x.dtype) ? x.dtype : 'int64';
      const c = cast(dtype);
      let s = 0;
      return constTensor(x.shape, dtype, x.values ? x.values.map((v) => (s = c(s + v))) : null);
    }
    case 'size': {
      if (rest.length === 0) return { t: 'tuple', items: x.shape.map(num) };
      const i = asNumber(rest[0]);
      if (i === null) return UNKNOWN;
      const d = x.shape[i < 0 ? i + x.shape.length : i];
      return d === undefined ? UNKNOWN : num(d);
    }
    case 'flatten':
    case 'ravel':
      return rest.length === 0 ? constTensor([count(x.shape)], x.dtype, x.values) : UNKNOWN;
    case 'view':
    case 'reshape': {
      // the same values in row-major order; one -1 takes what is left
      const target = shapeOrMinusOne(rest);
      if (!target) return UNKNOWN;
      const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const free = target.filter((d) => d === -1).length;
      const n = count(x.shape);
      if (free > 1 || (free === 1 ? known === 0 || n % known !== 0 : known !== n)) return UNKNOWN;
      return constTensor(
        target.map((d) => (d === -1 ? n / known : d)),
        x.dtype,
        x.values,
      );
    }
    case 'unsqueeze': {
      const d = asNumber(rest[0] ?? args.keywords.get('dim'));
      const r = x.shape.length + 1;
      if (d === null || !Number.isInteger(d) || d < -r || d >= r) return UNKNOWN;
      const at = d < 0 ? d + r : d;
      return constTensor([...x.shape.slice(0, at), 1, ...x.shape.slice(at)], x.dtype, x.values);
    }
    case 'clone':
    case 'detach':
    case 'contiguous':
    case 'cpu':
      return constTensor(x.shape, x.dtype, x.values);
    default:
      return undefined;
  }
}
