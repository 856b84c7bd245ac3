/**
 * Arithmetic on tensors, computed as written: Python operators between tensors (`x * s`, `a + b`,
 * `a / b`: element-wise with PyTorch's broadcasting, model/layers/elementwise.ts) and with numbers
 * (`x * 0.5 + 1`, `x / 255`, `1 - x`, `x ** 2`: same shape), and their torch spellings
 * (torch.add, torch.mul, torch.div, torch.maximum, …).
 */
import type { LayerCfg } from '../../model/ir';
import type { BinaryCfg, ScalarCfg } from '../../model/layers/elementwise';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { UNKNOWN, num, type TensorValue, type Value } from '../interp/values';
import { bind, type CallArgs } from './args';
import { applyFunctional } from './apply';
import { constantBinary, isConstant } from './tensorValues';

/** Python operators on tensors, computed as written: element-wise, broadcasting as PyTorch does. */
const BINARY_OPERATORS: Record<string, { type: string; op: BinaryCfg['op'] }> = {
  '+': { type: 'add', op: 'add' },
  '-': { type: 'sub', op: 'sub' },
  '*': { type: 'mul', op: 'mul' },
  '/': { type: 'div', op: 'div' },
};
const SCALAR_OPERATORS: Record<string, ScalarCfg['op']> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '**': 'pow',
};

export function applyTensorBinary(ip: Interpreter, op: string, l: Value, r: Value, range: Range): Value {
  // numbers computed before any layer (torch.arange(d) * w_a + w_0): values, not a node
  const computed = constantBinary(op, l, r);
  if (computed !== undefined) return computed;
  if (l.t === 'tensor' && r.t === 'tensor') {
    const b = BINARY_OPERATORS[op];
    const cfg: LayerCfg = b
      ? { kind: 'binary', op: b.op }
      : { kind: 'unknown', reason: `the operator ${op} between tensors is not modelled` };
    // a parameter or a tensor of numbers with a model tensor: one input, the other held by the node
    const k = isConstant(l) ? l : isConstant(r) ? r : null;
    if (k && b) {
      const x = (k === l ? r : l) as TensorValue;
      const constant = { shape: k.shape as number[], values: k.data.values, first: k === l };
      return applyFunctional(ip, x.fw, b.type, { kind: 'binary', op: b.op, constant }, [x], range);
    }
    return applyFunctional(ip, l.fw, b?.type ?? op, cfg, [l, r], range);
  }
  // a tensor with a number: same shape; a value that is not known is kept as such (it stops runs, not shapes)
  const t = (l.t === 'tensor' ? l : r) as TensorValue;
  // a tensor of numbers with a value not known (a model tensor whose trace was lost): not known either
  if (isConstant(t)) return UNKNOWN;
  const other = l.t === 'tensor' ? r : l;
  const s = SCALAR_OPERATORS[op];
  const value = other.t === 'num' ? other.v : other.t === 'bool' ? Number(other.v) : null;
  const cfg: LayerCfg = s
    ? { kind: 'scalar', op: s, value, scalarFirst: t === r }
    : { kind: 'unknown', reason: `the operator ${op} on a tensor is not modelled` };
  return applyFunctional(ip, t.fw, s ? `${s}_scalar` : op, cfg, [t], range);
}

/** torch.add(x, y), torch.mul(x, 0.5), …: the operator they spell (add/sub with alpha too); rounding_mode is not modelled. */
export const TORCH_ARITHMETIC: Record<string, string> = {
  add: '+',
  sub: '-',
  subtract: '-',
  mul: '*',
  multiply: '*',
  div: '/',
  divide: '/',
  true_divide: '/',
  maximum: 'max',
  minimum: 'min',
  // torch.rsub(x, y, alpha=a): y − a·x
  rsub: 'r-',
};

/** keras.ops arithmetic (numpy's broadcasting, as PyTorch's): the operator each function spells. */
const KERAS_OPS: Record<string, string> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  true_divide: '/',
  power: '**',
  maximum: 'max',
  minimum: 'min',
};

/** keras.ops.subtract(a, b), keras.ops.multiply(x, 0.5), keras.ops.negative(x), …; undefined for other functions. */
export function kerasOpsArithmetic(ip: Interpreter, fn: string, args: CallArgs, range: Range): Value | undefined {
  if (fn === 'negative') {
    const x = bind(['x'], args).values.get('x');
    return x?.t === 'tensor' ? applyTensorBinary(ip, '*', x, num(-1), range) : undefined;
  }
  const op = KERAS_OPS[fn];
  if (!op) return undefined;
  const b = bind(['x1', 'x2'], args).values;
  const l = b.get('x1');
  const r = b.get('x2');
  if (!l || !r || (l.t !== 'tensor' && r.t !== 'tensor')) return undefined;
  if (op !== 'max' && op !== 'min') return applyTensorBinary(ip, op, l, r, range);
  const t = (l.t === 'tensor' ? l : r) as TensorValue;
  const cfg: LayerCfg =
    l.t === 'tensor' && r.t === 'tensor' && !isConstant(l) && !isConstant(r)
      ? { kind: 'binary', op: op === 'max' ? 'maximum' : 'minimum' }
      : { kind: 'unknown', reason: `keras.ops.${fn} with a number or a tensor of numbers is not modelled` };
  return applyFunctional(
    ip,
    t.fw,
    `keras.ops.${fn}`,
    cfg,
    cfg.kind === 'binary' ? [l as TensorValue, r as TensorValue] : [t],
    range,
  );
}

/** x.__add__(y), x.__rsub__(y), x.__neg__(), …: the operator the method implements. */
const DUNDER: Record<string, { op: string; reflected: boolean }> = {
  __add__: { op: '+', reflected: false },
  __radd__: { op: '+', reflected: true },
  __sub__: { op: '-', reflected: false },
  __rsub__: { op: '-', reflected: true },
  __mul__: { op: '*', reflected: false },
  __rmul__: { op: '*', reflected: true },
  __truediv__: { op: '/', reflected: false },
  __rtruediv__: { op: '/', reflected: true },
  __pow__: { op: '**', reflected: false },
};

export function dunderArithmetic(
  ip: Interpreter,
  t: TensorValue,
  name: string,
  args: CallArgs,
  range: Range,
): Value | undefined {
  if (name === '__neg__' && args.positional.length === 0) return applyTensorBinary(ip, '*', t, num(-1), range);
  const d = DUNDER[name];
  const other = args.positional[0];
  if (!d || !other || args.positional.length !== 1) return undefined;
  return d.reflected ? applyTensorBinary(ip, d.op, other, t, range) : applyTensorBinary(ip, d.op, t, other, range);
}

export function torchArithmetic(ip: Interpreter, fn: string, op: string, args: CallArgs, range: Range): Value {
  const b = bind(['input', 'other'], args).values;
  // torch.rsub(input, other): other − input, alpha scaling input
  const reversed = op === 'r-';
  if (reversed) op = '-';
  const l = reversed ? b.get('other') : b.get('input');
  const r = reversed ? b.get('input') : b.get('other');
  if (!l || !r || (l.t !== 'tensor' && r.t !== 'tensor')) return UNKNOWN;
  const t = (l.t === 'tensor' ? l : r) as TensorValue;
  // torch.add(x, y, alpha=a) is x + a·y, torch.sub(x, y, alpha=a) x − a·y
  const alpha = b.get('alpha');
  if (alpha !== undefined && (op === '+' || op === '-')) {
    const a = alpha.t === 'num' ? alpha.v : alpha.t === 'bool' ? Number(alpha.v) : null;
    const unknown = (reason: string): Value =>
      applyFunctional(ip, t.fw, `torch.${fn}`, { kind: 'unknown', reason }, [t], range);
    if (a === null) return unknown('its alpha could not be read');
    if (a === 1) return applyTensorBinary(ip, op, l, r, range);
    if (l.t === 'tensor' && (r.t === 'num' || r.t === 'bool'))
      return applyTensorBinary(ip, op, l, num(Number(r.t === 'num' ? r.v : r.v) * a), range);
    if (l.t !== 'tensor' || r.t !== 'tensor' || isConstant(l) || isConstant(r))
      return unknown('alpha with a tensor of numbers is not modelled');
    return applyFunctional(
      ip,
      t.fw,
      `torch.${fn}`,
      { kind: 'binary', op: op === '+' ? 'add' : 'sub', alpha: a },
      [l, r],
      range,
    );
  }
  if (alpha !== undefined || b.has('rounding_mode') || ((op === 'max' || op === 'min') && r.t !== 'tensor'))
    return applyFunctional(
      ip,
      t.fw,
      `torch.${fn}`,
      { kind: 'unknown', reason: 'its arguments are not modelled' },
      [t],
      range,
    );
  if (op === 'max' || op === 'min') {
    const binary = op === 'max' ? 'maximum' : 'minimum';
    const k = isConstant(l) ? l : isConstant(r) ? r : null;
    if (k && !(isConstant(l) && isConstant(r))) {
      const x = (k === l ? r : l) as TensorValue;
      const constant = { shape: k.shape as number[], values: k.data.values, first: k === l };
      return applyFunctional(ip, x.fw, `torch.${fn}`, { kind: 'binary', op: binary, constant }, [x], range);
    }
    return applyFunctional(
      ip,
      t.fw,
      `torch.${fn}`,
      { kind: 'binary', op: binary },
      [l as TensorValue, r as TensorValue],
      range,
    );
  }
  return applyTensorBinary(ip, op, l, r, range);
}
