/**
 * isinstance(x, T) for a PyTorch layer or container the framework layer built (`nn.Identity()`,
 * `nn.Sequential(...)`): HRNet's `t(x) if not isinstance(t, nn.Identity) else x`. The layer is an
 * instance of its own class, of nn.Module, and of the few public torch.nn classes its class
 * derives from (ReLU6 from Hardtanh, the Lazy layers from the layer they become); of no class of
 * the analyzed code. Null when not known (a Keras layer, a type that is not a torch.nn class).
 */
import type { Value } from './values';

const CONTAINER_CLASS = { 'torch-seq': 'Sequential', 'torch-list': 'ModuleList', 'torch-dict': 'ModuleDict' };

/** Public torch.nn base classes of public torch.nn layers, other than nn.Module. */
const BASES: Record<string, string[]> = { ReLU6: ['Hardtanh'] };

function classesOf(x: Value): string[] | null {
  if (x.t === 'layer' && x.spec.framework === 'pytorch' && !x.spec.functional) {
    const own = x.spec.type;
    const lazy = own.startsWith('Lazy') ? [own.slice(4)] : [];
    return [own, ...lazy, ...(BASES[own] ?? []), 'Module'];
  }
  if (x.t === 'container' && x.kind !== 'keras-seq') return [CONTAINER_CLASS[x.kind], 'Module'];
  return null;
}

export function frameworkIsInstance(x: Value, t: Value): boolean | null {
  const classes = classesOf(x);
  if (!classes) return null;
  // a class of the analyzed (or a library's) Python code is never a base of a torch.nn class
  if (t.t === 'class') return false;
  if (t.t !== 'qual' || !t.path.startsWith('torch.nn.')) return null;
  const name = t.path.slice(t.path.lastIndexOf('.') + 1);
  if (classes.includes(name)) return true;
  // a private base (_ConvNd, _BatchNorm) or a mixin is not modelled
  return /^[A-Z]/.test(name) ? false : null;
}
