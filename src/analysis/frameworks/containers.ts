/**
 * PyTorch containers beyond their constructors: the methods model code walks them with
 * (named_children, children, items, keys, values, append, add_module), and classes derived from
 * nn.Sequential / nn.ModuleList / nn.ModuleDict, which are containers too: `super().__init__(*mods)`
 * registers the children as "0", "1", … and a Sequential subclass without forward applies them in order.
 */
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { stopPoint } from '../interp/stops';
import {
  NONE,
  UNKNOWN,
  iterItems,
  str,
  type CallArgs,
  type ClassValue,
  type ContainerValue,
  type InstanceValue,
  type Value,
} from '../interp/values';

const BASES: Record<string, 'seq' | 'list' | 'dict'> = {
  'torch.nn.Sequential': 'seq',
  'torch.nn.ModuleList': 'list',
  'torch.nn.ModuleDict': 'dict',
};

/** The torch container a class derives from, if any (through its own bases, depth-first). */
export function torchContainerBase(
  cls: ClassValue,
  normalize: (path: string) => string,
  depth = 0,
): 'seq' | 'list' | 'dict' | null {
  if (depth > 20) return null;
  for (const b of cls.bases) {
    const k =
      b.t === 'qual' ? BASES[normalize(b.path)] : b.t === 'class' ? torchContainerBase(b, normalize, depth + 1) : null;
    if (k) return k;
  }
  return null;
}

export function isTorchContainerPath(path: string): boolean {
  return path in BASES;
}

function pairs(items: { name: string; value: Value }[]): Value {
  return { t: 'list', items: items.map((c) => ({ t: 'tuple', items: [str(c.name), c.value] })) };
}

function instanceChildren(inst: InstanceValue): { name: string; value: Value }[] {
  return inst.children.map((name) => ({ name, value: inst.attrs.get(name) ?? UNKNOWN }));
}

/** Methods that list a module's children, shared by containers and module instances. */
function listing(children: { name: string; value: Value }[], name: string): Value | undefined {
  switch (name) {
    case 'named_children':
    case 'items':
      return pairs(children);
    case 'children':
    case 'values':
      return { t: 'list', items: children.map((c) => c.value) };
    case 'keys':
      return { t: 'list', items: children.map((c) => str(c.name)) };
    default:
      return undefined;
  }
}

export function containerListing(self: ContainerValue, name: string): Value | undefined {
  return listing(self.children, name);
}

export function instanceMethod(ip: Interpreter, self: InstanceValue, name: string, args: CallArgs): Value | undefined {
  const a = args.positional;
  if (name === 'named_children' || name === 'children' || (self.containerKind && listing([], name)))
    return listing(instanceChildren(self), name);
  if (!self.containerKind) return undefined;
  switch (name) {
    case 'append':
      if (a[0]) ip.setInstanceAttr(self, String(self.children.length), a[0]);
      return self;
    case 'extend':
      for (const v of iterItems(a[0] ?? NONE) ?? []) ip.setInstanceAttr(self, String(self.children.length), v);
      return self;
    default:
      return undefined;
  }
}

/** Registers the children passed to a container base's __init__ on the derived instance. */
function initContainer(ip: Interpreter, self: InstanceValue, kind: 'seq' | 'list' | 'dict', args: CallArgs): void {
  self.containerKind = kind;
  const first = args.positional[0] ?? args.keywords.get('modules') ?? args.keywords.get('args');
  if (first?.t === 'dict') {
    first.keys.forEach((k, i) => ip.setInstanceAttr(self, k.t === 'str' ? k.v : String(i), first.vals[i]!));
    return;
  }
  const items = kind === 'seq' ? args.positional : iterItems(first ?? { t: 'list', items: [] });
  for (const v of items ?? []) ip.setInstanceAttr(self, String(self.children.length), v);
  if (!items || args.incomplete) {
    self.children.push(UNREAD_CHILD);
    self.attrs.set(UNREAD_CHILD, UNKNOWN);
  }
}

/** The name of the child standing for modules a container got through `*x` that could not be read. */
export const UNREAD_CHILD = '…';

/** The children in order, each applied to the previous one's output (nn.Sequential.forward); `range`: where each is called. */
export function applyInOrder(
  ip: Interpreter,
  children: { name: string; value: Value }[],
  x: Value,
  range: Range | ((child: Value) => Range),
): Value {
  let cur = x;
  for (const child of children) {
    const input = cur;
    const r = typeof range === 'function' ? range(child.value) : range;
    cur = ip.call(child.value, { positional: [cur], keywords: new Map(), posRanges: [r], kwRanges: new Map() }, r);
    // a child that could not be read ends the trace here, and says so
    if (cur.t === 'unknown' && input.t === 'tensor' && ip.tracing > 0 && !ip.stop)
      ip.stop = stopPoint(
        child.value,
        child.name === UNREAD_CHILD
          ? 'modules of the Sequential that could not be read'
          : `${child.name} (in the Sequential)`,
        ip.at(r),
      );
  }
  return cur;
}

/** A method of a torch container base reached through `super()` (or a class that defines none). */
export function superMethod(
  ip: Interpreter,
  self: InstanceValue,
  owner: ClassValue,
  name: string,
  args: CallArgs,
  range: Range,
  normalize: (path: string) => string,
): Value | undefined {
  const kind = torchContainerBase(owner, normalize);
  if (name === '__init__') {
    if (kind) initContainer(ip, self, kind, args);
    return NONE;
  }
  if (name === 'forward' && kind === 'seq') {
    const x = args.positional[0] ?? args.keywords.get('input') ?? UNKNOWN;
    return applyInOrder(ip, instanceChildren(self), x, range);
  }
  return undefined;
}
