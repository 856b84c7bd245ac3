/**
 * Tensor values sent once per webview. A layer view carries up to four tensors of tens of
 * megabytes at 224² (its input, output, output before the activation, the other pooling), and
 * a message of that size takes seconds to reach a webview; yet moving the cursor back to a layer,
 * or on to the next one (whose input is the output just shown), sends values the webview
 * already has. Tensors with a key (what determines their values: activationCache.ts) are kept
 * by the webview, least recently used dropped past a byte budget; the host keeps the same
 * account per webview and sends a kept tensor as a reference (`ref`, no values). A ReLU layer's
 * output sent for the first time goes without its values when they are exactly its
 * pre-activation through ReLU (`derived`): the webview computes them as the engine does.
 *
 * The engine can leave values out too: a request names the keys the webview drawing first keeps
 * (the worker's copies and the move between threads are then saved), and its view comes with
 * those tensors as references. The host checks them against its account when it sends; a
 * webview that no longer keeps one (another surface, a reload) is sent the state with values.
 *
 * Both sides stay in step without talking: they see the same states in the same order and
 * visit each state's tensors in the same order (`tensorsOf`), adding or touching entries of the
 * same sizes, so their least-recently-used orders are the same. Should they ever differ (a state
 * dropped as malformed, a webview reloaded), the webview finds a reference it cannot resolve,
 * asks for the state again ('resend'), and both start from empty.
 */
import { Lru } from './lru';
import type { LayerView, PanelState, TensorView } from './protocol';

type Slot = 'input' | 'output' | 'preActivation' | 'otherPool';

/**
 * The tensors of a view in the order both sides visit them: input, other inputs, pre-activation,
 * output (which may be derived from the pre-activation just resolved), other pooling.
 */
function tensorsOf(v: LayerView): [TensorView, (t: TensorView) => void, Slot | null][] {
  const out: [TensorView, (t: TensorView) => void, Slot | null][] = [];
  const slot = (name: Slot): void => {
    const t = v[name];
    if (t) out.push([t, (x) => (v[name] = x), name]);
  };
  slot('input');
  v.inputs.forEach((t, i) => out.push([t, (x) => (v.inputs[i] = x), null]));
  slot('preActivation');
  slot('output');
  slot('otherPool');
  return out;
}

/** Whether a view has tensors without their values (references to what a webview keeps). */
export function hasReferences(v: LayerView): boolean {
  return tensorsOf(v).some(([t]) => t.ref === true);
}

/** ReLU as the engine computes it: v > 0 ? v : 0 (NaN and −0 give 0). */
function relu(pre: Float32Array): Float32Array {
  const out = new Float32Array(pre.length);
  for (let i = 0; i < pre.length; i++) {
    const x = pre[i]!;
    out[i] = x > 0 ? x : 0;
  }
  return out;
}

/** Whether `out` is exactly ReLU of `pre`, value for value. */
function isReluOf(out: Float32Array, pre: Float32Array): boolean {
  if (out.length !== pre.length) return false;
  for (let i = 0; i < out.length; i++) {
    const x = pre[i]!;
    if (!Object.is(out[i], x > 0 ? x : 0)) return false;
  }
  return true;
}

/** A copy of the state whose view (and its list of inputs) can be changed without touching the original. */
function copyView(state: PanelState): { state: PanelState; view: LayerView | null } {
  if (state.kind !== 'model' || !state.layer) return { state, view: null };
  const view: LayerView = { ...state.layer, inputs: [...state.layer.inputs] };
  return { state: { ...state, layer: view }, view };
}

const bytesOf = (t: TensorView): number => t.shape[0] * t.shape[1] * t.shape[2] * 4;

/** The host's account of what one webview keeps. */
export class SentTensors {
  private readonly lru: Lru<true>;

  constructor(maxBytes: number) {
    this.lru = new Lru(maxBytes);
  }

  /**
   * The state to send: tensors this webview keeps become references; the others are sent and
   * counted as kept. A state may come with references already (values the engine did not send
   * because this webview was known to keep them: `keys`); null when one of them is no longer
   * kept here, the account unchanged: this webview needs the state with its values.
   */
  encode(state: PanelState): PanelState | null {
    const { state: out, view } = copyView(state);
    if (!view) return state;
    const pre = state.kind === 'model' ? state.layer?.preActivation : null;
    const before = this.lru.snapshot();
    for (const [t, set, slot] of tensorsOf(view)) {
      if (t.key === undefined || t.derived) continue;
      if (this.lru.touch(t.key)) {
        if (!t.ref) set({ ...t, data: new Float32Array(0), ref: true });
        continue;
      }
      if (t.ref) {
        this.lru.restore(before);
        return null;
      }
      this.lru.add(t.key, bytesOf(t), true);
      // a ReLU's output is its input with the negatives zeroed: the webview computes it
      if (slot === 'output' && view.activation === 'relu' && pre && !pre.derived && isReluOf(t.data, pre.data))
        set({ ...t, data: new Float32Array(0), derived: 'relu' });
    }
    return out;
  }

  /** The webview starts empty (it was created or reloaded, or asked for everything again). */
  clear(): void {
    this.lru.clear();
  }

  /** The keys of the tensors this webview keeps. */
  keys(): string[] {
    return this.lru.keys();
  }
}

/** The webview's tensors, kept by key. */
export class KeptTensors {
  private readonly lru: Lru<Float32Array>;

  constructor(maxBytes: number) {
    this.lru = new Lru(maxBytes);
  }

  /**
   * The state with every reference replaced by the values kept under its key, keeping the values
   * it brings; null when a reference is not held (then everything kept is dropped: the host is
   * asked to send the state again in full).
   */
  resolve(state: PanelState): PanelState | null {
    const { state: out, view } = copyView(state);
    if (!view) return state;
    for (const [t, set, slot] of tensorsOf(view)) {
      if (t.derived) {
        const pre = view.preActivation;
        const n = t.shape[0] * t.shape[1] * t.shape[2];
        if (slot !== 'output' || !pre || pre.ref || pre.data.length !== n) {
          this.lru.clear();
          return null;
        }
        const { derived: _derived, ...rest } = t;
        const data = relu(pre.data);
        set({ ...rest, data });
        if (t.key !== undefined) this.lru.add(t.key, bytesOf(t), data);
        continue;
      }
      if (t.key === undefined) continue;
      if (t.ref) {
        const data = this.lru.touch(t.key);
        if (!data || data.length !== t.shape[0] * t.shape[1] * t.shape[2]) {
          this.lru.clear();
          return null;
        }
        const { ref: _ref, ...rest } = t;
        set({ ...rest, data });
      } else this.lru.add(t.key, bytesOf(t), t.data);
    }
    return out;
  }

  clear(): void {
    this.lru.clear();
  }

  get bytes(): number {
    return this.lru.bytes;
  }
}
