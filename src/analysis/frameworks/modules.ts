/**
 * PyTorch modules of the model's own code, beyond the children they register: subclasses of a
 * torch layer (torchvision's `LayerNorm2d(nn.LayerNorm)`: super().__init__(…) builds that layer,
 * whose attributes — normalized_shape, weight, eps, … — the subclass reads, and which runs when
 * the subclass has no forward of its own), tensors a module registers itself (nn.Parameter
 * attributes, register_parameter, register_buffer), and the row a module without submodules gets
 * at the output of its forward, as PyTorch's forward hooks list it (model/layers/module.ts).
 */
import { conventions } from '../../model/conventions';
import type { LayerSpec } from '../../model/ir';
import { buffersWithoutInput, paramsWithoutInput } from '../../model/layers';
import type { OwnTensor } from '../../model/layers/module';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import {
  NONE,
  UNKNOWN,
  float,
  num,
  type CallArgs,
  type ClassValue,
  type InstanceValue,
  type LayerValue,
  type Value,
} from '../interp/values';
import { applyLayer } from './apply';
import { TORCH_MODULES } from './torch';

/** The torch layer a module class derives from ('LayerNorm' for LayerNorm2d), through its bases. */
export function torchLayerBase(cls: ClassValue, normalize: (p: string) => string, depth = 0): string | null {
  if (depth > 20) return null;
  for (const b of cls.bases) {
    if (b.t === 'qual') {
      const p = normalize(b.path);
      const name = p.startsWith('torch.nn.') ? p.slice('torch.nn.'.length) : null;
      if (name && !name.includes('.') && name in TORCH_MODULES) return name;
    } else if (b.t === 'class') {
      const found = torchLayerBase(b, normalize, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A method of a torch layer base reached through super() (or not defined by the subclass):
 * __init__ builds the layer with the arguments given; forward applies it. Undefined otherwise.
 */
export function layerBaseMethod(
  ip: Interpreter,
  self: InstanceValue,
  owner: ClassValue,
  name: string,
  args: CallArgs,
  range: Range,
  normalize: (p: string) => string,
  build: (cls: string, args: CallArgs) => LayerValue,
): Value | undefined {
  if (name === '__init__') {
    const base = torchLayerBase(owner, normalize);
    if (!base) return undefined;
    const layer = build(base, args);
    // PyTorch names the module by its own class
    self.base = { ...layer, spec: { ...layer.spec, type: self.cls.def.name } };
    return NONE;
  }
  if (name === 'forward' && self.base) return ip.call(self.base, args, range);
  return undefined;
}

/** A module with no submodules: PyTorch's forward hooks list it as a leaf. */
function isLeaf(inst: InstanceValue): boolean {
  return !inst.containerKind && inst.children.length === 0;
}

function hasOwnForward(ip: Interpreter, inst: InstanceValue): boolean {
  return ip.findMember(inst.cls, 'forward')?.value.t === 'func';
}

/**
 * The module's own row: the torch layer it derives from when it keeps that layer's forward, else
 * (a module without submodules, or one holding tensors of its own) a 'module' row with its own
 * parameters. Null for other modules (their parameters are their children's).
 */
export function moduleSpec(ip: Interpreter, inst: InstanceValue): LayerSpec | null {
  if (inst.spec) return inst.spec;
  if (inst.cls.framework !== 'pytorch') return null;
  if (inst.base && !hasOwnForward(ip, inst)) return (inst.spec = inst.base.spec);
  if (!isLeaf(inst) && !inst.own?.size && !inst.base) return null;
  const conv = conventions('pytorch');
  const tensors: OwnTensor[] | null = [];
  for (const [name, { tensor, buffer }] of inst.own ?? []) {
    const shape = tensor.shape;
    if (!shape || !shape.every((d): d is number => typeof d === 'number')) return null;
    // buffers count when they hold floating-point values (an integer counter does not)
    if (buffer && tensor.data && tensor.data.dtype !== 'float32' && tensor.data.dtype !== 'float64') continue;
    tensors.push({ name, shape: [...shape], trainable: tensor.param?.trainable ?? false, buffer });
  }
  const base = inst.base
    ? { params: paramsWithoutInput(inst.base.spec.cfg, conv), buffers: buffersWithoutInput(inst.base.spec.cfg, conv) }
    : null;
  inst.spec = {
    // instances and layers draw their ids from one counter: the instance's is free for its row
    id: inst.id,
    framework: 'pytorch',
    type: inst.cls.def.name,
    cfg: { kind: 'module', tensors, base },
    name: null,
    range: inst.range,
    functional: false,
    ...(inst.file ? { file: inst.file } : {}),
  };
  return inst.spec;
}

/** After a module's forward ran in a trace: a module without submodules gets its row at the output. */
export function afterForward(ip: Interpreter, inst: InstanceValue, out: Value, range: Range): Value {
  if (ip.tracing === 0 || inst === ip.tracedRoot || !isLeaf(inst)) return out;
  // a forward returning several tensors (`return x[:, :c], x[:, c:]`): the row stands at the
  // first, as a forward hook's output reads
  const first = out.t === 'tuple' || out.t === 'list' ? out.items[0] : out;
  if (first?.t !== 'tensor' || first.data) return out;
  const spec = moduleSpec(ip, inst);
  if (!spec || spec.cfg.kind !== 'module') return out;
  const row = applyLayer(ip, { t: 'layer', spec, argRanges: {} }, [first], range);
  return out.t === 'tuple' || out.t === 'list' ? { t: out.t, items: [row, ...out.items.slice(1)] } : row;
}

/** register_parameter(name, p) / register_buffer(name, t, persistent=True) on a module. */
export function registerTensor(inst: InstanceValue, method: string, args: CallArgs): Value | undefined {
  if (method !== 'register_parameter' && method !== 'register_buffer') return undefined;
  const [name, t] = args.positional;
  if (name?.t !== 'str') return NONE;
  inst.attrs.set(name.v, t ?? NONE);
  const own = (inst.own ??= new Map());
  if (t?.t === 'tensor') own.set(name.v, { tensor: t, buffer: method === 'register_buffer' });
  else own.delete(name.v);
  return NONE;
}

function tupleOf(xs: readonly number[]): Value {
  return { t: 'tuple', items: xs.map(num) };
}

/** Attributes a torch layer has after construction (m.kernel_size, m.normalized_shape, m.weight, …). */
export function torchLayerAttr(layer: LayerValue, name: string): Value | undefined {
  const c = layer.spec.cfg;
  const param = (has: boolean): Value => (has ? { t: 'param', layer, name } : NONE);
  switch (c.kind) {
    case 'conv': {
      const k = c.c;
      switch (name) {
        case 'in_channels':
          return k.inChannels === null ? UNKNOWN : num(k.inChannels);
        case 'out_channels':
          return k.filters === null ? UNKNOWN : num(k.filters);
        case 'kernel_size':
          return tupleOf(k.kernel);
        case 'stride':
          return tupleOf(k.strides);
        case 'dilation':
          return tupleOf(k.dilation);
        case 'groups':
          return num(k.groups);
        case 'padding':
          return typeof k.padding === 'string' ? { t: 'str', v: k.padding } : tupleOf(k.padding.map((p) => p[0]));
        case 'weight':
          return param(true);
        case 'bias':
          return param(k.useBias);
      }
      return undefined;
    }
    case 'dense':
      if (name === 'in_features') return c.inFeatures === null ? UNKNOWN : num(c.inFeatures);
      if (name === 'out_features') return c.units === null ? UNKNOWN : num(c.units);
      if (name === 'weight') return param(true);
      if (name === 'bias') return param(c.useBias);
      return undefined;
    case 'layerNorm':
      if (name === 'normalized_shape') return c.normalizedShape ? tupleOf(c.normalizedShape) : UNKNOWN;
      if (name === 'eps') return float(c.epsilon);
      if (name === 'elementwise_affine') return { t: 'bool', v: c.scale };
      if (name === 'weight') return param(c.scale);
      if (name === 'bias') return param(c.center);
      return undefined;
    case 'batchNorm':
      if (name === 'num_features') return c.numFeatures === null ? UNKNOWN : num(c.numFeatures);
      if (name === 'eps') return float(c.epsilon);
      if (name === 'affine') return { t: 'bool', v: c.scale };
      if (name === 'weight') return param(c.scale);
      if (name === 'bias') return param(c.center);
      return undefined;
    case 'groupNorm':
      if (name === 'num_groups') return num(c.groups);
      if (name === 'num_channels') return c.numChannels === null ? UNKNOWN : num(c.numChannels);
      if (name === 'eps') return float(c.epsilon);
      if (name === 'weight') return param(c.scale);
      if (name === 'bias') return param(c.center);
      return undefined;
    default:
      return name === 'weight' || name === 'bias' ? { t: 'param', layer, name } : undefined;
  }
}
