/**
 * Tensor values sent once per webview (src/shared/viewCache.ts): the host's account and the
 * webview's kept values stay in step over any sequence of states, so that every reference the
 * host sends resolves to exactly the values it stands for; what the webview cannot resolve
 * makes it ask for everything again, and nothing is sent twice while it is kept.
 */
import { describe, expect, it } from 'vitest';
import type { LayerView, ModelState, PanelState, TensorView } from '../../../src/shared/protocol';
import { isHostToWebview } from '../../../src/shared/protocol';
import { KeptTensors, SentTensors } from '../../../src/shared/viewCache';
import { activation } from '../../../src/engine/activations';
import { tensor } from '../../../src/engine/tensor';
import { rng } from '../helpers/random';

/** A tensor for key k: its values are a function of k alone (as a real activation's are). */
function tensorFor(k: number, keyed = true): TensorView {
  const c = 1 + (k % 3);
  const h = 4 + (k % 5);
  const w = 3 + (k % 4);
  const data = new Float32Array(c * h * w).map((_, i) => k * 1000 + i);
  return {
    shape: [c, h, w],
    data,
    min: k * 1000,
    max: k * 1000 + data.length - 1,
    totalChannels: c,
    ...(keyed ? { key: `t${k}` } : {}),
  };
}

function stateOf(
  input: number,
  output: number,
  pre: number | null,
  other: number | null,
  extra: number[] = [],
): ModelState {
  const inp = tensorFor(input);
  const layer = {
    index: 0,
    name: 'l',
    type: 'Conv2D',
    framework: 'keras',
    kind: 'conv',
    input: inp,
    output: tensorFor(output),
    preActivation: pre === null ? null : tensorFor(pre),
    activation: null,
    kernels: null,
    geometry: null,
    poolMode: null,
    otherPool: other === null ? null : tensorFor(other),
    flattenOrder: null,
    probabilities: false,
    weights: { kind: 'random', seed: 0 },
    weightStats: [],
    equivalent: null,
    preprocessing: [],
    // the first input is the same object as `input`, as the host builds it
    inputs: [inp, ...extra.map((k) => tensorFor(k))],
    totalInputs: 1 + extra.length,
    explain: null,
  } as LayerView;
  return {
    kind: 'model',
    modelName: 'm',
    framework: 'keras',
    layers: [],
    selected: 0,
    layer,
    inputName: 'x',
    busy: false,
    message: null,
  };
}

const tensorsIn = (s: PanelState): TensorView[] =>
  s.kind === 'model' && s.layer
    ? [s.layer.input, ...s.layer.inputs, s.layer.output, s.layer.preActivation, s.layer.otherPool].filter(
        (t): t is TensorView => t !== null,
      )
    : [];

const sentFloats = (s: PanelState): number => tensorsIn(s).reduce((n, t) => n + t.data.length, 0);

describe('tensor values sent once per webview', () => {
  it('over a long random walk every reference resolves to the values it stands for, with a small budget', () => {
    const r = rng(11);
    // a budget of a few tensors, so that both sides drop entries all the time
    const budget = 2_000;
    const host = new SentTensors(budget);
    const webview = new KeptTensors(budget);
    let refs = 0;
    let sent = 0;
    let total = 0;
    for (let step = 0; step < 400; step++) {
      const pick = () => Math.floor(r() * 12);
      const original = stateOf(
        pick(),
        pick(),
        r() < 0.5 ? pick() : null,
        r() < 0.3 ? pick() : null,
        r() < 0.2 ? [pick()] : [],
      );
      const message = { type: 'state' as const, runId: step, state: host.encode(original)! };
      // what the webview receives is a structured clone, and passes the protocol's check
      const received = structuredClone(message);
      expect(isHostToWebview(received)).toBe(true);
      refs += tensorsIn(received.state).filter((t) => t.ref).length;
      sent += sentFloats(received.state);
      total += sentFloats(original);
      const shown = webview.resolve(received.state);
      expect(shown).not.toBeNull();
      const got = tensorsIn(shown!);
      const want = tensorsIn(original);
      expect(got.map((t) => t.key)).toEqual(want.map((t) => t.key));
      for (const [i, t] of got.entries()) {
        expect(t.ref).toBeUndefined();
        expect(t.shape).toEqual(want[i]!.shape);
        expect(Array.from(t.data)).toEqual(Array.from(want[i]!.data));
      }
    }
    // references were used, and values were sent less than shown
    expect(refs).toBeGreaterThan(100);
    expect(sent).toBeLessThan(total * 0.8);
    expect(webview.bytes).toBeLessThanOrEqual(budget);
  });

  it('a tensor kept is not sent again; the same tensor twice in one view is sent once', () => {
    const host = new SentTensors(1 << 20);
    const first = host.encode(stateOf(1, 2, null, null))!;
    // `input` and `inputs[0]` are one tensor: values once, then a reference
    const l1 = (first as ModelState).layer!;
    expect([l1.input.ref, l1.inputs[0]!.ref, l1.output.ref]).toEqual([undefined, true, undefined]);
    const second = (host.encode(stateOf(2, 3, null, null))! as ModelState).layer!;
    // the next layer: its input is the output just sent
    expect([second.input.ref, second.input.data.length, second.output.ref]).toEqual([true, 0, undefined]);
  });

  it('encoding leaves the state it was given untouched (the host keeps showing and exporting it)', () => {
    const host = new SentTensors(1 << 20);
    const s = stateOf(1, 2, 3, null);
    host.encode(s)!;
    const again = stateOf(1, 2, 3, null);
    host.encode(again)!;
    expect(tensorsIn(again).every((t) => t.ref === undefined && t.data.length > 0)).toBe(true);
    expect(Array.from(again.layer!.output.data)).toEqual(Array.from(tensorFor(2).data));
  });

  it('a reference the webview does not hold asks for everything again; both then start from empty', () => {
    const host = new SentTensors(1 << 20);
    let webview = new KeptTensors(1 << 20);
    expect(webview.resolve(structuredClone(host.encode(stateOf(1, 2, null, null))!))).not.toBeNull();
    // the webview was created again (VS Code re-creates a hidden panel) but the host was not told
    webview = new KeptTensors(1 << 20);
    expect(webview.resolve(structuredClone(host.encode(stateOf(2, 3, null, null))!))).toBeNull();
    // on 'resend' the host forgets what it sent; the state goes whole and resolves
    host.clear();
    const again = webview.resolve(structuredClone(host.encode(stateOf(2, 3, null, null))!));
    expect(again).not.toBeNull();
    expect(Array.from((again as ModelState).layer!.input.data)).toEqual(Array.from(tensorFor(2).data));
  });

  it('a reference whose kept values do not fit its shape is not used', () => {
    const host = new SentTensors(1 << 20);
    const webview = new KeptTensors(1 << 20);
    webview.resolve(structuredClone(host.encode(stateOf(1, 2, null, null))!));
    const s = structuredClone(host.encode(stateOf(2, 4, null, null))!) as ModelState;
    s.layer!.input = { ...s.layer!.input, shape: [9, 9, 9] };
    expect(webview.resolve(s)).toBeNull();
  });

  it('tensors without a key, busy states and empty states pass as they are', () => {
    const host = new SentTensors(1 << 20);
    const webview = new KeptTensors(1 << 20);
    const s = stateOf(1, 2, null, null);
    s.layer!.output = tensorFor(2, false);
    for (let i = 0; i < 2; i++) {
      const out = host.encode(s)! as ModelState;
      expect(out.layer!.output.ref).toBeUndefined();
      expect(out.layer!.output.data.length).toBe(tensorFor(2).data.length);
      webview.resolve(structuredClone(out));
    }
    const busy: PanelState = { ...s, layer: null, busy: true };
    expect(host.encode(busy)!).toBe(busy);
    expect(webview.resolve(busy)).toBe(busy);
    const empty: PanelState = { kind: 'empty', title: 't', hint: 'h' };
    expect(host.encode(empty)!).toBe(empty);
  });

  it('the protocol refuses a reference without a key, or one that brings values', () => {
    const s = structuredClone(new SentTensors(1 << 20).encode(stateOf(1, 1, null, null))) as ModelState;
    const ok = { type: 'state', runId: 1, state: s };
    expect(isHostToWebview(ok)).toBe(true);
    const noKey = structuredClone(ok);
    delete (noKey.state.layer!.inputs[0] as { key?: string }).key;
    expect(isHostToWebview(noKey)).toBe(false);
    const withValues = structuredClone(ok);
    withValues.state.layer!.inputs[0] = { ...withValues.state.layer!.inputs[0]!, data: tensorFor(1).data };
    expect(isHostToWebview(withValues)).toBe(false);
  });

  it("a ReLU's output goes without its values and is computed on arrival, exactly as the engine's ReLU", () => {
    const host = new SentTensors(1 << 20);
    const webview = new KeptTensors(1 << 20);
    const s = stateOf(1, 2, 3, null);
    // a pre-activation with negatives, zeros of both signs and NaN; the output as E.activation(pre, 'relu') gives it
    const pre = Float32Array.from({ length: s.layer!.output.data.length }, (_, i) =>
      i % 7 === 0 ? NaN : i % 5 === 0 ? -0 : (i % 3) - 1.25,
    );
    const out = activation(tensor([pre.length], pre), 'relu').data;
    s.layer!.activation = 'relu';
    s.layer!.preActivation = { ...s.layer!.output, key: 'pre', data: pre };
    s.layer!.output = { ...s.layer!.output, data: out };
    const sent = structuredClone(host.encode(s)!) as ModelState;
    expect(isHostToWebview({ type: 'state', runId: 1, state: sent })).toBe(true);
    expect([sent.layer!.output.derived, sent.layer!.output.data.length]).toEqual(['relu', 0]);
    const got = webview.resolve(sent) as ModelState;
    expect(got.layer!.output.derived).toBeUndefined();
    expect(Array.from(got.layer!.output.data, (v) => (Object.is(v, -0) ? 'neg0' : v))).toEqual(
      Array.from(out, (v) => (Object.is(v, -0) ? 'neg0' : v)),
    );
    // kept under its key like any other: the next time it is a reference
    const again = structuredClone(host.encode(s)!) as ModelState;
    expect(again.layer!.output.ref).toBe(true);
    expect(Array.from((webview.resolve(again) as ModelState).layer!.output.data)).toEqual(Array.from(out));
  });

  it('an output that is not ReLU of its pre-activation (another activation, one value off) is sent whole', () => {
    for (const [fn, nudge] of [
      ['relu', 1e-3],
      ['sigmoid', 0],
    ] as const) {
      const host = new SentTensors(1 << 20);
      const s = stateOf(1, 2, 3, null);
      const pre = Float32Array.from({ length: s.layer!.output.data.length }, (_, i) => i - 5);
      const out = activation(tensor([pre.length], pre), 'relu').data.slice();
      out[7] = out[7]! + nudge;
      s.layer!.activation = fn;
      s.layer!.preActivation = { ...s.layer!.output, key: 'pre', data: pre };
      s.layer!.output = { ...s.layer!.output, data: out };
      const sent = host.encode(s)! as ModelState;
      expect(sent.layer!.output.derived).toBeUndefined();
      expect(sent.layer!.output.data.length).toBe(out.length);
    }
  });

  it('states whose engine left out what the webview was known to keep: each resolves, or is refilled without touching the account', () => {
    const r = rng(29);
    const budget = 2_000;
    const host = new SentTensors(budget);
    const webview = new KeptTensors(budget);
    // what the host said was kept when each request left (a few states back: requests and
    // states race, so some of those keys are gone by the time the state is encoded)
    const said: string[][] = [];
    let leftOut = 0;
    let refilled = 0;
    for (let step = 0; step < 400; step++) {
      const pick = () => Math.floor(r() * 12);
      const full = stateOf(pick(), pick(), r() < 0.5 ? pick() : null, r() < 0.3 ? pick() : null);
      said.push(host.keys());
      const held = new Set(said[Math.max(0, said.length - 1 - Math.floor(r() * 3))]);
      // the engine's view: tensors under a held key come as references without values
      const fromEngine = structuredClone(full) as ModelState;
      const l = fromEngine.layer!;
      const strip = (t: TensorView): TensorView =>
        t.key !== undefined && held.has(t.key) ? (leftOut++, { ...t, data: new Float32Array(0), ref: true }) : t;
      l.input = strip(l.input);
      l.inputs = [l.input, ...l.inputs.slice(1).map(strip)];
      l.output = strip(l.output);
      if (l.preActivation) l.preActivation = strip(l.preActivation);
      if (l.otherPool) l.otherPool = strip(l.otherPool);
      const keysBefore = host.keys();
      let state = host.encode(fromEngine);
      if (state === null) {
        // nothing was counted: the account is as it was, and the state with its values goes
        expect(host.keys()).toEqual(keysBefore);
        refilled++;
        state = host.encode(full)!;
      }
      const received = structuredClone({ type: 'state' as const, runId: step, state });
      expect(isHostToWebview(received)).toBe(true);
      const shown = webview.resolve(received.state);
      expect(shown).not.toBeNull();
      const got = tensorsIn(shown!);
      const want = tensorsIn(full);
      expect(got.map((t) => t.key)).toEqual(want.map((t) => t.key));
      for (const [i, t] of got.entries()) expect(Array.from(t.data)).toEqual(Array.from(want[i]!.data));
    }
    // both paths were taken many times
    expect(leftOut).toBeGreaterThan(100);
    expect(refilled).toBeGreaterThan(10);
    expect(refilled).toBeLessThan(300);
  });

  it('a reference to values no longer kept is refused before anything is counted', () => {
    const host = new SentTensors(1 << 20);
    host.encode(stateOf(1, 2, null, null));
    expect(host.keys().sort()).toEqual(['t1', 't2']);
    const s = stateOf(3, 4, null, null);
    // its input (new, to be counted first) and an output the engine left out, which this webview lacks
    s.layer!.output = { ...s.layer!.output, data: new Float32Array(0), ref: true };
    expect(host.encode(s)).toBeNull();
    expect(host.keys().sort()).toEqual(['t1', 't2']);
    // a reference it keeps stays a reference, and counts as used
    const kept = stateOf(5, 1, null, null);
    kept.layer!.output = { ...kept.layer!.output, data: new Float32Array(0), ref: true };
    const sent = host.encode(kept)! as ModelState;
    expect([sent.layer!.input.ref, sent.layer!.output.ref]).toEqual([undefined, true]);
    expect(host.keys()).toEqual(['t2', 't5', 't1']);
  });
});
