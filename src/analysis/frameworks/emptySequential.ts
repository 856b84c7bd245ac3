/**
 * An empty nn.Sequential() (`self.shortcut = nn.Sequential()`, a residual shortcut that does
 * nothing) is a module without submodules: PyTorch's forward hooks list it at its output, as the
 * identity, under its own path (`layer1.0.shortcut`). Its row, one per container.
 */
import type { LayerSpec } from '../../model/ir';
import type { ContainerValue } from '../interp/values';

const specs = new WeakMap<ContainerValue, LayerSpec>();

/** The row of an empty PyTorch nn.Sequential; null for any other container. */
export function emptySequentialSpec(c: ContainerValue): LayerSpec | null {
  if (c.fw !== 'pytorch' || c.kind !== 'torch-seq' || c.children.length > 0) return null;
  let spec = specs.get(c);
  if (!spec) {
    // containers and layers draw their ids from one counter: the container's is free for its row
    spec = {
      id: c.id,
      framework: 'pytorch',
      type: 'Sequential',
      cfg: { kind: 'identity' },
      name: null,
      range: c.range,
      functional: false,
    };
    specs.set(c, spec);
  }
  return spec;
}
