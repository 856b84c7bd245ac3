/**
 * Operations on symbolic tensors: tensor methods (view, reshape, flatten, size, shape), and the
 * functional API (F.relu, F.max_pool2d, torch.flatten, torch.cat, keras activations on tensors).
 * Arithmetic is in tensorArithmetic.ts; permute/transpose/squeeze/reductions/chunk/split in
 * tensorAxes.ts.
 */
import { isKnown, type Dim } from '../../shared/dims';
import type { LayerCfg } from '../../model/ir';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { UNKNOWN, asInt, asString, iterItems, num, type TensorValue, type Value } from '../interp/values';
import { bind, intOr, numOr, type CallArgs } from './args';
import { applyFunctional } from './apply';
import { AXIS_OPS, axisOp, torchAxisOp } from './tensorAxes';
import { TORCH_ARITHMETIC, dunderArithmetic, torchArithmetic } from './tensorArithmetic';
import { TORCH_ACTIVATION_FUNCTIONS, adaptiveCfg, poolCfg, upsampleCfg } from './torch';
import { functionalUnmodelled } from './unmodelled';
import { weightFunctionCfg } from './torchFunctional';
import { torchLayerFunctionCfg } from './torchLayers';
import { constantMethod, isConstant } from './tensorValues';

function dimValue(d: Dim | undefined): Value {
  return d !== undefined && isKnown(d) ? num(d) : UNKNOWN;
}

/** x.view(...) / x.reshape(...) with ints, -1, x.size(0) or a tuple. */
function reshapeTarget(args: Value[]): number[] | null {
  const flat = args.length === 1 && (args[0]!.t === 'tuple' || args[0]!.t === 'list') ? iterItems(args[0]!)! : args;
  const out: number[] = [];
  for (const v of flat) {
    const n = asInt(v);
    if (n === null) {
      // x.size(0) of a symbolic batch: the batch itself
      if (v.t === 'unknown' && out.length === 0) {
        out.push(-2);
        continue;
      }
      return null;
    }
    out.push(n);
  }
  return out;
}

/** -2 in the target stands for x.size(0): the batch as the model receives it. */
function viewCfg(target: number[] | null): LayerCfg {
  if (!target) return { kind: 'unknown', reason: 'its target shape could not be read' };
  return { kind: 'reshape', target, includesBatch: true };
}

export function tensorMethod(
  ip: Interpreter,
  t: TensorValue,
  name: string,
  args: CallArgs,
  range: Range,
): Value | undefined {
  const a = args.positional;
  if (isConstant(t)) {
    const v = constantMethod(t, name, args);
    if (v !== undefined) return v;
  }
  const power = powerForm(ip, name, t, range, name);
  if (power) return power;
  const dunder = dunderArithmetic(ip, t, name, args, range);
  if (dunder) return dunder;
  // x.mul(y), x.add_(y): the arithmetic of torch.mul(x, y) (in place or not, the same shape)
  const arith = TORCH_ARITHMETIC[name.replace(/_$/, '')];
  if (arith && a.length >= 1)
    return torchArithmetic(
      ip,
      name.replace(/_$/, ''),
      arith,
      { ...args, positional: [t, ...a], posRanges: [range, ...args.posRanges] },
      range,
    );
  switch (name) {
    case 'size': {
      if (a.length === 0) return { t: 'tuple', items: (t.shape ?? []).map(dimValue) };
      const i = asInt(a[0]);
      if (i === null || !t.shape) return UNKNOWN;
      return dimValue(t.shape[i < 0 ? i + t.shape.length : i]);
    }
    case 'dim':
      return t.shape ? num(t.shape.length) : UNKNOWN;
    case 'view':
    case 'reshape':
      return applyFunctional(ip, t.fw, name, viewCfg(reshapeTarget(a)), [t], range);
    case 'flatten': {
      const b = bind(['start_dim', 'end_dim'], args);
      return applyFunctional(
        ip,
        t.fw,
        'flatten',
        {
          kind: 'flatten',
          startDim: intOr(b.values.get('start_dim'), 0) ?? 0,
          endDim: intOr(b.values.get('end_dim'), -1) ?? -1,
        },
        [t],
        range,
      );
    }
    case 'contiguous':
    case 'float':
    case 'double':
    case 'half':
    case 'to':
    case 'cpu':
    case 'cuda':
    case 'detach':
    case 'clone':
      return t;
    default: {
      const fn = TORCH_ACTIVATION_FUNCTIONS[name];
      if (fn) {
        const dim =
          fn === 'softmax' || fn === 'log_softmax' ? intOr(bind(['dim'], args).values.get('dim'), null) : null;
        return applyFunctional(
          ip,
          t.fw,
          name,
          { kind: 'activation', fn, ...(dim !== null ? { axis: dim } : {}) },
          [t],
          range,
        );
      }
      if (AXIS_OPS.has(name)) return axisOp(ip, t, name, name, args, range);
      if (['expand', 'repeat', 'narrow'].includes(name)) {
        return applyFunctional(
          ip,
          t.fw,
          name,
          { kind: 'unknown', reason: `tensor.${name}() is not modelled` },
          [t],
          range,
        );
      }
      return undefined;
    }
  }
}

export function tensorAttr(t: TensorValue, name: string): Value | undefined {
  if (name === 'shape') return { t: 'tuple', items: (t.shape ?? []).map(dimValue) };
  if (name === 'ndim') return t.shape ? num(t.shape.length) : UNKNOWN;
  if (name === 'T' || name === 'data') return { ...t };
  return undefined;
}

function firstTensor(v: Value | undefined): TensorValue | null {
  return v && v.t === 'tensor' ? v : null;
}

/** Element-wise functions that are a power or a product with a number: x ** p, e ** x, −x. */
const POWER_FORMS: Record<string, { op: 'pow' | 'mul'; value: number; scalarFirst: boolean }> = {
  sqrt: { op: 'pow', value: 0.5, scalarFirst: false },
  rsqrt: { op: 'pow', value: -0.5, scalarFirst: false },
  square: { op: 'pow', value: 2, scalarFirst: false },
  reciprocal: { op: 'pow', value: -1, scalarFirst: false },
  exp: { op: 'pow', value: Math.E, scalarFirst: true },
  neg: { op: 'mul', value: -1, scalarFirst: false },
  negative: { op: 'mul', value: -1, scalarFirst: false },
};

/** torch.sqrt(x), x.exp(), …: the shape is kept; computed as a power (or a product) with a number. */
export function powerForm(ip: Interpreter, fn: string, x: TensorValue, range: Range, label: string): Value | undefined {
  const f = POWER_FORMS[fn];
  if (!f) return undefined;
  return applyFunctional(
    ip,
    x.fw,
    label,
    { kind: 'scalar', op: f.op, value: f.value, scalarFirst: f.scalarFirst },
    [x],
    range,
  );
}

/**
 * F.affine_grid(theta, size, align_corners) and F.grid_sample(x, grid, mode, padding_mode,
 * align_corners): bilinear sampling with zeros outside is modelled; another mode stops the shapes
 * with its reason.
 */
function spatialTransform(ip: Interpreter, fn: string, x: TensorValue, args: CallArgs, range: Range): Value {
  if (fn === 'affine_grid') {
    const b = bind(['theta', 'size', 'align_corners'], args).values;
    const size = b.get('size');
    const items = size && (size.t === 'tuple' || size.t === 'list') ? size.items : null;
    const cfg: LayerCfg = items
      ? {
          kind: 'affineGrid',
          size: items.map((d) => asInt(d)),
          alignCorners: b.get('align_corners')?.t === 'bool' ? (b.get('align_corners') as { v: boolean }).v : false,
        }
      : { kind: 'unknown', reason: 'its size could not be read' };
    return applyFunctional(ip, 'pytorch', 'F.affine_grid', cfg, [x], range);
  }
  const b = bind(['input', 'grid', 'mode', 'padding_mode', 'align_corners'], args).values;
  const grid = firstTensor(b.get('grid'));
  if (!grid) return UNKNOWN;
  const mode = asString(b.get('mode')) ?? 'bilinear';
  const padding = asString(b.get('padding_mode')) ?? 'zeros';
  const align = b.get('align_corners');
  const cfg: LayerCfg =
    mode === 'bilinear' && padding === 'zeros'
      ? { kind: 'gridSample', alignCorners: align?.t === 'bool' ? align.v : false }
      : { kind: 'unknown', reason: `mode='${mode}' with padding_mode='${padding}' is not modelled` };
  return applyFunctional(ip, 'pytorch', 'F.grid_sample', cfg, [x, grid], range);
}

/** The arguments after `input` of the activation functions that take any (torch.nn.functional). */
const ACTIVATION_PARAMS: Record<string, string[]> = {
  leaky_relu: ['negative_slope', 'inplace'],
  elu: ['alpha', 'inplace'],
  // approximate is keyword-only
  gelu: [],
  softmax: ['dim'],
  log_softmax: ['dim'],
  softplus: ['beta', 'threshold'],
};

/** torch.nn.functional.*, torch.* on tensors. Returns undefined when the path is not an op. */
export function torchFunction(ip: Interpreter, fn: string, args: CallArgs, range: Range): Value | undefined {
  const a = args.positional;
  const x = firstTensor(a[0] ?? args.keywords.get('input'));
  if (x && !isConstant(x) && POWER_FORMS[fn]) return powerForm(ip, fn, x, range, `torch.${fn}`);
  if (x && (fn === 'affine_grid' || fn === 'grid_sample')) return spatialTransform(ip, fn, x, args, range);
  const act = TORCH_ACTIVATION_FUNCTIONS[fn];
  if (act) {
    if (!x) return UNKNOWN;
    const soft = fn === 'softmax' || fn === 'log_softmax';
    const b = bind(['input', ...(ACTIVATION_PARAMS[fn] ?? [])], args);
    const dim = soft ? intOr(b.values.get('dim'), null) : null;
    return applyFunctional(
      ip,
      'pytorch',
      `F.${fn}`,
      {
        kind: 'activation',
        fn: act,
        ...(fn === 'leaky_relu' ? { alpha: numOr(b.values.get('negative_slope'), 0.01) } : {}),
        ...(fn === 'elu' ? { alpha: numOr(b.values.get('alpha'), 1) } : {}),
        ...(fn === 'gelu' && asString(b.values.get('approximate')) === 'tanh' ? { approximate: true } : {}),
        ...(fn === 'softplus'
          ? { beta: numOr(b.values.get('beta'), 1), threshold: numOr(b.values.get('threshold'), 20) }
          : {}),
        ...(dim !== null ? { axis: dim } : {}),
      },
      [x],
      range,
    );
  }
  const arith = TORCH_ARITHMETIC[fn];
  if (arith) return torchArithmetic(ip, fn, arith, args, range);
  if (AXIS_OPS.has(fn)) return torchAxisOp(ip, fn, args, range);
  if (!x && fn !== 'cat' && fn !== 'concat' && fn !== 'stack') return undefined;
  switch (fn) {
    case 'max_pool1d':
    case 'max_pool2d':
    case 'avg_pool1d':
    case 'avg_pool2d': {
      const mode = fn.startsWith('max') ? 'max' : 'avg';
      const rank = fn.endsWith('1d') ? 1 : 2;
      const params =
        mode === 'max'
          ? ['input', 'kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices']
          : fn === 'avg_pool2d'
            ? ['input', 'kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override']
            : ['input', 'kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'];
      const b = bind(params, args);
      return applyFunctional(
        ip,
        'pytorch',
        `F.${fn}`,
        poolCfg(rank, mode, b.values),
        [x!],
        range,
        functionalUnmodelled(fn, params, args, b),
      );
    }
    case 'adaptive_avg_pool1d':
    case 'adaptive_avg_pool2d':
    case 'adaptive_max_pool1d':
    case 'adaptive_max_pool2d': {
      const b = bind(['input', 'output_size'], args);
      return applyFunctional(
        ip,
        'pytorch',
        `F.${fn}`,
        adaptiveCfg(fn.endsWith('1d') ? 1 : 2, fn.includes('max') ? 'max' : 'avg', b.values.get('output_size')),
        [x!],
        range,
      );
    }
    case 'dropout':
    case 'dropout1d':
    case 'dropout2d':
    case 'alpha_dropout':
      return applyFunctional(
        ip,
        'pytorch',
        `F.${fn}`,
        { kind: 'dropout', rate: numOr(bind(['input', 'p'], args).values.get('p'), 0.5) },
        [x!],
        range,
      );
    case 'interpolate':
    case 'upsample': {
      const params = ['input', 'size', 'scale_factor', 'mode', 'align_corners'];
      // F.upsample (deprecated) stops at align_corners
      if (fn === 'interpolate') params.push('recompute_scale_factor', 'antialias');
      const b = bind(params, args);
      return applyFunctional(
        ip,
        'pytorch',
        `F.${fn}`,
        upsampleCfg(b.values),
        [x!],
        range,
        functionalUnmodelled(fn, params, args, b),
      );
    }
    case 'flatten': {
      const b = bind(['input', 'start_dim', 'end_dim'], args);
      return applyFunctional(
        ip,
        'pytorch',
        'torch.flatten',
        {
          kind: 'flatten',
          startDim: intOr(b.values.get('start_dim'), 0) ?? 0,
          endDim: intOr(b.values.get('end_dim'), -1) ?? -1,
        },
        [x!],
        range,
      );
    }
    case 'reshape':
      return tensorMethod(ip, x!, 'reshape', { ...args, positional: a.slice(1) }, range);
    case 'cat':
    case 'concat':
    case 'stack': {
      const b = bind(['tensors', 'dim'], args);
      const items = b.values.get('tensors') ? iterItems(b.values.get('tensors')!) : null;
      const ts = items?.filter((v): v is TensorValue => v.t === 'tensor') ?? [];
      if (!items || ts.length !== items.length || ts.length === 0) return UNKNOWN;
      return applyFunctional(
        ip,
        'pytorch',
        fn === 'stack' ? 'torch.stack' : 'torch.cat',
        { kind: 'merge', op: fn === 'stack' ? 'stack' : 'concat', axis: intOr(b.values.get('dim'), 0) ?? 0 },
        ts,
        range,
      );
    }
    default: {
      const cfg = weightFunctionCfg(fn, args) ?? torchLayerFunctionCfg(fn, args);
      return cfg ? applyFunctional(ip, 'pytorch', `F.${fn}`, cfg, [x!], range) : undefined;
    }
  }
}
