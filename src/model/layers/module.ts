/**
 * A module of the model's own code (a torch.nn.Module subclass) whose forward is followed op by
 * op — torchvision's Permute, StochasticDepth and LayerNorm2d (an nn.LayerNorm with its own
 * forward), a block holding an nn.Parameter. It gets one row at the output of its forward, as
 * PyTorch's forward hooks see it, with its own parameters: those it registers (nn.Parameter
 * attributes, register_buffer) and those of the torch layer it derives from. Its computation is
 * the operations traced before the row, so the row itself runs as the identity on their result.
 * Keras layers of the model's own code get the same row (frameworks/kerasCustom.ts): a
 * keras.layers.Layer subclass, its call() followed, with the weights its build() made with
 * add_weight(), and a Lambda layer, its function followed, without weights.
 */
import { MUL, NO_EQUIVALENT, result, type LayerFamily, type ParamSpec } from './family';

/** A tensor the module registers itself: an nn.Parameter (trainable unless requires_grad=False) or a buffer. */
export type OwnTensor = { name: string; shape: number[]; trainable: boolean; buffer: boolean };

export type ModuleCfg = {
  kind: 'module';
  /** Its own tensors, in registration order; null when one's shape is not known. */
  tensors: OwnTensor[] | null;
  /** Parameters and buffers of the torch layer it derives from (counted apart: no names of ours). */
  base: { params: number | null; buffers: number | null } | null;
};

const elements = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function counts(c: ModuleCfg): { params: number | null; trainable: number | null; buffers: number | null } {
  if (!c.tensors) return { params: null, trainable: null, buffers: null };
  let params = 0;
  let trainable = 0;
  let buffers = 0;
  for (const t of c.tensors) {
    const n = elements(t.shape);
    if (t.buffer) buffers += n;
    else {
      params += n;
      if (t.trainable) trainable += n;
    }
  }
  const bp = c.base ? c.base.params : 0;
  const bb = c.base ? c.base.buffers : 0;
  return {
    params: bp === null ? null : params + bp,
    trainable: bp === null ? null : trainable + bp,
    buffers: bb === null ? null : buffers + bb,
  };
}

function formula(c: ModuleCfg): string | null {
  if (!c.tensors || (c.base && c.base.params === null)) return null;
  const parts = c.tensors.filter((t) => !t.buffer).map((t) => `${t.shape.join(MUL) || '1'} (${t.name})`);
  if (c.base && c.base.params) parts.unshift(String(c.base.params));
  return parts.join(' + ') || '0';
}

export const moduleFamily: LayerFamily<ModuleCfg> = {
  kinds: ['module'],
  infer: (inp, c) => {
    const n = counts(c);
    return result({ out: inp.shapes[0]!, ...n, formula: formula(c), flops: 0, rf: inp.rf });
  },
  paramsWithoutInput: (c) => counts(c).params,
  trainableWithoutInput: (c) => counts(c).trainable,
  buffersWithoutInput: (c) => counts(c).buffers,
  // its computation runs in the operations before it, which hold what they use: none of its own to load
  params: (): ParamSpec[] | null => null,
  run: (_ctx, _c, [x]) => x!,
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = ModuleCfg;
export const families = [moduleFamily];
