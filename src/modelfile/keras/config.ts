/**
 * A Keras model config (Keras 3 `config.json`, or the `model_config` attribute of a legacy .h5)
 * written as the Python source that builds the same model, for the analyzer to read: every layer
 * signature, auto name, nesting rule, functional wiring and shape rule the analyzer has then
 * applies unchanged, and the user sees the model as code.
 *
 * - Sequential → `keras.Sequential([keras.Input(shape=…), layers.Conv2D(…), …], name=…)`, the input
 *   from the InputLayer entry (Keras 3: `batch_shape`) or the first layer's `batch_input_shape`
 *   (tf.keras 2).
 * - Functional → one statement per layer call, `conv2d = layers.Conv2D(…)(input_layer)`, in an
 *   order where every input is written before it is used, then `keras.Model(inputs=…, outputs=…)`.
 *   Call history is read from Keras 3 nodes (`{"args": [{"class_name": "__keras_tensor__",
 *   "config": {"keras_history": [layer, node, tensor]}}]}`) and tf.keras 2 nodes
 *   (`[["layer", node, tensor, {kwargs}], …]`). A layer called more than once (shared) is made
 *   once and called per node.
 * - A model used as a layer is written first, as its own variable, and used by name.
 * Every layer gets `name="<the file's name>"`, so graph names are the file's names (and weights
 * match by name). Only the arguments the analyzer's builder for the class reads are written, in
 * keyword form; config entries that are objects (initializers, regularizers, dtype policies) are
 * left out. A class ConvLens does not model (a custom layer, Lambda, whose function is stored
 * as bytecode) stops the model there: what comes before it is written, and `stop` says why.
 */
import { canonicalKerasClass, isKerasAugmentation, kerasLayerParams } from '../../analysis/kerasSignatures';
import { fmtInt, inputFail } from '../../io/errors';

export const MAX_CONFIG_LAYERS = 10_000;
const MAX_MODEL_NESTING = 16;

export interface KerasStop {
  /** The layer's name in the file. */
  layer: string;
  /** Its class as the file names it (`Lambda`, `Custom>MyLayer`). */
  className: string;
  why: string;
}

export interface KerasSource {
  source: string;
  /** The variable that holds the top model (the analyzer names the model after it). */
  modelVar: string;
  /** The model's name in the file. */
  modelName: string;
  /** The first layer the model stops at, when one is not supported. */
  stop: KerasStop | null;
  /** Source ranges written for each layer, for locating the analyzer's diagnostics. */
  spans: { from: number; to: number; layer: string }[];
}

export interface KerasSourceOptions {
  /** Replaces an input shape whose sizes the file leaves open (None), when the rank agrees. */
  inputShape?: number[] | null;
  /** Where the config came from: '.keras config.json' or the legacy .h5. */
  origin?: string;
}

type Json = unknown;
type Obj = Record<string, Json>;

function obj(v: Json): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

const PY_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield keras layers match case'
  ).split(' '),
);

/** A Python string literal for any string: quotes, backslashes and control characters escaped. */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** JSON → a Python literal; null for what has none (objects: initializers, policies…). */
export function pyLiteral(v: Json, depth = 0): string | null {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v) && depth < 8) {
    const items = v.map((x) => pyLiteral(x, depth + 1));
    if (items.some((x) => x === null)) return null;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return null;
}

/** The shape of an InputLayer without the batch dimension, from any of the ways Keras wrote it. */
function inputShapeOf(cfg: Obj): Json[] | null {
  const batched = cfg.batch_shape ?? cfg.batch_input_shape;
  if (Array.isArray(batched) && batched.length >= 1) return batched.slice(1);
  if (Array.isArray(cfg.shape)) return cfg.shape;
  if (Array.isArray(cfg.input_shape)) return cfg.input_shape;
  return null;
}

interface History {
  layer: string;
  node: number;
  tensor: number;
}

/** Keras 3 `__keras_tensor__` or tf.keras 2 `["name", node, tensor, {…}]` → its history. */
function historyOf(v: Json): History | null {
  const o = obj(v);
  if (o) {
    const h = obj(o.config)?.keras_history;
    if (o.class_name === '__keras_tensor__' && Array.isArray(h)) return historyOf(h);
    return null;
  }
  if (Array.isArray(v) && typeof v[0] === 'string') {
    const node = v[1] ?? 0;
    const tensor = v[2] ?? 0;
    if (Number.isInteger(node) && Number.isInteger(tensor))
      return { layer: v[0], node: node as number, tensor: tensor as number };
  }
  return null;
}

/**
 * The inputs of one call of a layer: one tensor, or a list (merge layers). null when the node
 * passes tensors some other way (extra positional tensors, tensors in keyword arguments).
 */
function nodeInputs(node: Json): { tensors: History[]; list: boolean } | null {
  const o = obj(node);
  if (o) {
    const args = Array.isArray(o.args) ? o.args : [];
    if (args.length !== 1) return null;
    const first = args[0];
    if (Array.isArray(first) && !(typeof first[0] === 'string')) {
      const hs = first.map(historyOf);
      return hs.every((h) => h !== null) ? { tensors: hs as History[], list: true } : null;
    }
    const h = historyOf(first);
    return h ? { tensors: [h], list: false } : null;
  }
  if (Array.isArray(node)) {
    const hs = node.map(historyOf);
    if (hs.length === 0 || hs.some((h) => h === null)) return null;
    return { tensors: hs as History[], list: hs.length > 1 };
  }
  return null;
}

/** `["a", 0, 0]` or `[["a", 0, 0], ["b", 0, 0]]` → histories. */
function endpoints(v: Json): History[] | null {
  if (!Array.isArray(v)) return null;
  if (typeof v[0] === 'string') {
    const h = historyOf(v);
    return h ? [h] : null;
  }
  const hs = v.map(historyOf);
  return hs.every((h) => h !== null) ? (hs as History[]) : null;
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

function isModelEntry(entry: Obj): boolean {
  return typeof entry.class_name === 'string' && MODEL_CLASSES.has(entry.class_name) && !!obj(entry.config);
}

/** The class as the file names it, the registered name of a custom class when there is one. */
function displayClass(entry: Obj): string {
  const reg = entry.registered_name;
  return typeof reg === 'string' && reg !== '' ? reg : typeof entry.class_name === 'string' ? entry.class_name : '?';
}

function layerName(entry: Obj): string {
  const n = obj(entry.config)?.name ?? entry.name;
  return typeof n === 'string' ? n : '';
}

const CONV = /^(Conv|DepthwiseConv|SeparableConv)\dD(Transpose)?$/;

/** Arguments equal to the Keras default are left out, so the code reads as people write it. */
function isDefault(cls: string, p: string, v: Json): boolean {
  const ones = Array.isArray(v) && v.length > 0 && v.every((x) => x === 1);
  switch (p) {
    case 'data_format':
      return v === 'channels_last' || v === null;
    case 'dilation_rate':
      return ones || v === 1;
    case 'strides':
      return CONV.test(cls) && (ones || v === 1);
    case 'groups':
    case 'depth_multiplier':
      return v === 1;
    case 'use_bias':
    case 'center':
    case 'scale':
      return v === true;
    case 'activation':
      return v === 'linear' || v === null;
    case 'keepdims':
      return v === false;
    case 'padding':
      return v === 'valid';
    case 'output_padding':
      return v === null;
    case 'axis':
      return (cls === 'Concatenate' || cls === 'BatchNormalization' || cls === 'Softmax') && v === -1;
    case 'momentum':
      return cls === 'BatchNormalization' && v === 0.99;
    case 'epsilon':
      return cls === 'BatchNormalization' && v === 0.001;
    default:
      return false;
  }
}

type Ctor = { expr: string } | { why: string };

/** `layers.Conv2D(filters=32, …, name="conv2d")`, or why the class is not written. */
function layerConstructor(entry: Obj): Ctor {
  const className = typeof entry.class_name === 'string' ? entry.class_name : '';
  const cfg = obj(entry.config) ?? {};
  const module = entry.module;
  const reg = entry.registered_name;
  const custom =
    (typeof module === 'string' && module !== 'keras' && !module.startsWith('keras.')) ||
    (typeof reg === 'string' && reg !== '' && reg !== className);
  if (className === 'Lambda') return { why: 'its Python function is stored as bytecode, which ConvLens does not run' };
  if (custom)
    return {
      why: `it is a custom layer class of the model's own code${typeof module === 'string' ? ` (module ${module})` : ''}, whose call() is not stored in the file`,
    };
  if (cfg.data_format === 'channels_first')
    return { why: "data_format='channels_first' is not modelled (ConvLens reads Keras models as channels_last)" };
  const canonical = canonicalKerasClass(className);
  const params = kerasLayerParams(canonical);
  const args: string[] = [];
  if (params) {
    for (const p of params) {
      let v = cfg[p];
      // tf.keras 2 LeakyReLU(alpha=…) is Keras 3 negative_slope
      if (v === undefined && canonical === 'LeakyReLU' && p === 'negative_slope') v = cfg.alpha;
      if (canonical === 'LeakyReLU' && p === 'alpha') continue;
      if (v === undefined) continue;
      if (isDefault(canonical, p, v)) continue;
      const lit = pyLiteral(v);
      if (lit === null) {
        if (p === 'activation') return { why: 'its activation is a custom function, which ConvLens does not run' };
        continue;
      }
      args.push(`${p}=${lit}`);
    }
  } else if (!isKerasAugmentation(canonical)) {
    return { why: `ConvLens does not model ${canonical} layers yet` };
  }
  args.push(`name=${pyString(layerName(entry))}`);
  return { expr: `layers.${canonical}(${args.join(', ')})` };
}

/** Where the model stops, said in the code. */
function stopComment(layer: string, cls: string, why: string): string {
  return `# ${layer} (${cls}) is not read: ${why}`.replace(/[\r\n\u2028\u2029]/g, ' ');
}

class Writer {
  lines: string[] = [];
  length = 0;
  spans: { from: number; to: number; layer: string }[] = [];
  stop: KerasStop | null = null;
  layerCount = 0;
  private readonly used = new Set<string>();

  constructor(
    readonly file: string,
    readonly inputShape: number[] | null,
  ) {}

  line(text: string, layer?: string): void {
    if (layer !== undefined) this.spans.push({ from: this.length, to: this.length + text.length, layer });
    this.lines.push(text);
    this.length += text.length + 1;
  }

  ident(name: string): string {
    let base = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);
    if (base === '' || /^[0-9]/.test(base)) base = `_${base}`;
    if (PY_KEYWORDS.has(base)) base = `${base}_`;
    let id = base;
    for (let k = 2; this.used.has(id); k++) id = `${base}_${k}`;
    this.used.add(id);
    return id;
  }

  count(): void {
    if (++this.layerCount > MAX_CONFIG_LAYERS)
      inputFail('too-large', `${this.file}: the model config has over ${fmtInt(MAX_CONFIG_LAYERS)} layers`);
  }

  setStop(layer: string, className: string, why: string): void {
    this.stop ??= { layer, className, why };
  }

  /** `keras.Input(shape=(28, 28, 1), name="input_layer")`. */
  input(cfg: Obj, name: string, top: boolean): string {
    let shape = inputShapeOf(cfg);
    if (!shape) inputFail('corrupt', `${this.file}: input layer '${name}' has no shape in the model config`);
    const open = shape.some((d) => d === null);
    if (top && open && this.inputShape && this.inputShape.length === shape.length) shape = this.inputShape;
    if (!shape.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0)))
      inputFail('corrupt', `${this.file}: input layer '${name}' has shape ${JSON.stringify(shape)}`);
    return `keras.Input(shape=${pyLiteral(shape)}, name=${pyString(name)})`;
  }

  /**
   * Writes a model; returns its variable, and whether it was cut short (a layer of it is not
   * supported): its users stop after it.
   */
  model(entry: Obj, depth: number, top: boolean): { v: string; cut: boolean } {
    if (depth > MAX_MODEL_NESTING)
      inputFail('too-large', `${this.file}: models nested more than ${MAX_MODEL_NESTING} deep`);
    const cfg = obj(entry.config)!;
    const name = typeof cfg.name === 'string' ? cfg.name : 'model';
    if (!Array.isArray(cfg.layers))
      inputFail('corrupt', `${this.file}: model '${name}' has no layer list in its config`);
    return entry.class_name === 'Sequential'
      ? this.sequential(cfg, name, depth, top)
      : this.functional(cfg, name, depth);
  }

  private sequential(cfg: Obj, name: string, depth: number, top: boolean): { v: string; cut: boolean } {
    const items: { text: string; layer: string }[] = [];
    let cut = false;
    const entries = (cfg.layers as Json[]).map(obj);
    entries.forEach((e, i) => {
      if (!e) inputFail('corrupt', `${this.file}: layer ${i + 1} of model '${name}' is not an object`);
    });
    let hasInput = false;
    let first = true;
    for (const e of entries as Obj[]) {
      this.count();
      const lname = layerName(e);
      if (e.class_name === 'InputLayer') {
        if (!hasInput) items.push({ text: `${this.input(obj(e.config) ?? {}, lname, top)},`, layer: lname });
        hasInput = true;
        continue;
      }
      if (first && !hasInput && !isModelEntry(e)) {
        // tf.keras 2: the first layer carries batch_input_shape; Keras 3 without InputLayer: build_input_shape
        const shape = obj(e.config)?.batch_input_shape ?? cfg.build_input_shape;
        if (Array.isArray(shape)) {
          items.push({ text: `${this.input({ batch_shape: shape }, `${lname}_input`, top)},`, layer: lname });
          hasInput = true;
        }
      }
      first = false;
      if (isModelEntry(e)) {
        const inner = this.model(e, depth + 1, false);
        items.push({ text: `${inner.v},`, layer: lname });
        if (inner.cut) {
          cut = true;
          break;
        }
        continue;
      }
      const ctor = layerConstructor(e);
      if ('why' in ctor) {
        this.setStop(lname, displayClass(e), ctor.why);
        items.push({ text: stopComment(lname, displayClass(e), ctor.why), layer: lname });
        cut = true;
        break;
      }
      items.push({ text: `${ctor.expr},`, layer: lname });
    }
    const v = this.ident(name);
    this.line(`${v} = keras.Sequential(`);
    this.line('    [');
    for (const it of items) this.line(`        ${it.text}`, it.layer);
    this.line('    ],');
    this.line(`    name=${pyString(name)},`);
    this.line(')');
    return { v, cut };
  }

  private functional(cfg: Obj, name: string, depth: number): { v: string; cut: boolean } {
    const entries: Obj[] = [];
    const byName = new Map<string, number>();
    for (const [i, item] of (cfg.layers as Json[]).entries()) {
      const e = obj(item);
      if (!e) inputFail('corrupt', `${this.file}: layer ${i + 1} of model '${name}' is not an object`);
      this.count();
      const lname = layerName(e);
      if (byName.has(lname))
        inputFail('corrupt', `${this.file}: model '${name}' lists two layers named ${pyString(lname)}`);
      byName.set(lname, entries.length);
      entries.push(e);
    }
    const inputs = endpoints(cfg.input_layers);
    const outputs = endpoints(cfg.output_layers);
    if (!inputs || !outputs || inputs.length === 0 || outputs.length === 0)
      inputFail('corrupt', `${this.file}: functional model '${name}' does not list its inputs and outputs`);

    // every call (layer, node) with its inputs; Kahn's order, ties broken by config order
    interface Call {
      layer: number;
      node: number;
      inputs: History[];
      list: boolean;
      waiting: number;
      bad: boolean;
    }
    const calls: Call[] = [];
    const callIndex = new Map<string, number>();
    const key = (layer: number, node: number) => `${layer}:${node}`;
    entries.forEach((e, li) => {
      if (e.class_name === 'InputLayer') {
        callIndex.set(key(li, 0), calls.length);
        calls.push({ layer: li, node: 0, inputs: [], list: false, waiting: 0, bad: false });
        return;
      }
      const nodes = Array.isArray(e.inbound_nodes) ? e.inbound_nodes : [];
      nodes.forEach((n, ni) => {
        const got = nodeInputs(n);
        callIndex.set(key(li, ni), calls.length);
        calls.push({
          layer: li,
          node: ni,
          inputs: got?.tensors ?? [],
          list: got?.list ?? false,
          waiting: 0,
          bad: !got,
        });
      });
    });
    const users = new Map<number, number[]>();
    const producer = (h: History): number | undefined => {
      const li = byName.get(h.layer);
      return li === undefined ? undefined : callIndex.get(key(li, h.node));
    };
    calls.forEach((c, ci) => {
      for (const h of c.inputs) {
        const p = producer(h);
        if (p === undefined || h.tensor !== 0) {
          c.bad = true;
          continue;
        }
        c.waiting++;
        const list = users.get(p);
        if (list) list.push(ci);
        else users.set(p, [ci]);
      }
    });
    const heap: number[] = [];
    const push = (ci: number) => {
      heap.push(ci);
      for (let i = heap.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (heap[p]! <= heap[i]!) break;
        [heap[p], heap[i]] = [heap[i]!, heap[p]!];
        i = p;
      }
    };
    const pop = (): number => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && heap[l]! < heap[m]!) m = l;
          if (r < heap.length && heap[r]! < heap[m]!) m = r;
          if (m === i) break;
          [heap[m], heap[i]] = [heap[i]!, heap[m]!];
          i = m;
        }
      }
      return top;
    };
    calls.forEach((c, ci) => {
      if (c.waiting === 0) push(ci);
    });

    // 'ok': its tensor exists; 'last': it exists but its users stop (a nested model cut short); 'dead'
    const state = new Array<'ok' | 'last' | 'dead' | undefined>(calls.length);
    const tensorVar = new Array<string | undefined>(calls.length);
    const layerVar = new Map<number, string>();
    const multi = (li: number) => Array.isArray(entries[li]!.inbound_nodes) && entries[li]!.inbound_nodes.length > 1;
    const keep: number[] = []; // tensors the model must output so that everything before a stop is shown
    let cut = false;
    while (heap.length > 0) {
      const ci = pop();
      const c = calls[ci]!;
      const e = entries[c.layer]!;
      const lname = layerName(e);
      for (const u of users.get(ci) ?? []) if (--calls[u]!.waiting === 0) push(u);
      const ins = c.inputs.flatMap((h) => producer(h) ?? []);
      if (c.bad) {
        this.setStop(lname, displayClass(e), 'its call passes tensors in a way ConvLens does not read');
        state[ci] = 'dead';
      } else if (ins.some((p) => state[p] !== 'ok')) {
        state[ci] = 'dead';
      }
      if (state[ci] === 'dead') {
        for (const p of ins) if (state[p] === 'ok' || state[p] === 'last') keep.push(p);
        cut = true;
        continue;
      }
      const arg = c.list ? `[${ins.map((p) => tensorVar[p]).join(', ')}]` : (tensorVar[ins[0]!] ?? '');
      if (e.class_name === 'InputLayer') {
        const v = this.ident(lname);
        this.line(`${v} = ${this.input(obj(e.config) ?? {}, lname, depth === 0)}`, lname);
        tensorVar[ci] = v;
        state[ci] = 'ok';
        continue;
      }
      if (isModelEntry(e)) {
        let mv = layerVar.get(c.layer);
        let innerCut = false;
        if (mv === undefined) {
          const inner = this.model(e, depth + 1, false);
          mv = inner.v;
          innerCut = inner.cut;
          layerVar.set(c.layer, mv);
        }
        const v = this.ident(c.node === 0 ? `${lname}_out` : `${lname}_out_${c.node}`);
        this.line(`${v} = ${mv}(${arg})`, lname);
        tensorVar[ci] = v;
        state[ci] = innerCut ? 'last' : 'ok';
        if (innerCut) {
          keep.push(ci);
          cut = true;
        }
        continue;
      }
      const ctor = layerConstructor(e);
      if ('why' in ctor) {
        this.setStop(lname, displayClass(e), ctor.why);
        this.line(stopComment(lname, displayClass(e), ctor.why), lname);
        state[ci] = 'dead';
        for (const p of ins) keep.push(p);
        cut = true;
        continue;
      }
      const v = this.ident(c.node === 0 ? lname : `${lname}_${c.node}`);
      if (multi(c.layer)) {
        let lv = layerVar.get(c.layer);
        if (lv === undefined) {
          lv = this.ident(`${lname}_layer`);
          layerVar.set(c.layer, lv);
          this.line(`${lv} = ${ctor.expr}`, lname);
        }
        this.line(`${v} = ${lv}(${arg})`, lname);
      } else this.line(`${v} = ${ctor.expr}(${arg})`, lname);
      tensorVar[ci] = v;
      state[ci] = 'ok';
    }
    const ends = (hs: History[], what: string): number[] =>
      hs.map((h) => {
        const p = producer(h);
        if (p === undefined)
          inputFail(
            'corrupt',
            `${this.file}: model '${name}' lists ${what} ${pyString(h.layer)}, which it does not have`,
          );
        return p;
      });
    const inCalls = ends(inputs, 'input');
    const outCalls = ends(outputs, 'output');
    const unmade = calls.findIndex((_, i) => state[i] === undefined);
    if (unmade >= 0) {
      // a cycle, or a call whose input is never made
      const ci = unmade;
      this.setStop(
        layerName(entries[calls[ci]!.layer]!),
        displayClass(entries[calls[ci]!.layer]!),
        'its inputs form a cycle',
      );
      cut = true;
    }
    const outs = [...new Set([...outCalls.filter((p) => state[p] === 'ok' || state[p] === 'last'), ...keep])];
    const list = (cs: number[]) =>
      cs.length === 1 ? (tensorVar[cs[0]!] ?? 'None') : `[${cs.map((p) => tensorVar[p] ?? 'None').join(', ')}]`;
    const v = this.ident(name);
    this.line(
      `${v} = keras.Model(inputs=${list(inCalls)}, outputs=${outs.length ? list(outs) : list(inCalls)}, name=${pyString(name)})`,
    );
    return { v, cut };
  }
}

/**
 * The model config → Python source. Throws InputError (messages start with `file`) when the
 * config is not a model; a layer that cannot be written is `stop`, not an error.
 */
export function kerasConfigSource(config: Json, file: string, options: KerasSourceOptions = {}): KerasSource {
  const root = obj(config);
  const className = typeof root?.class_name === 'string' ? root.class_name : null;
  if (!root || !className)
    inputFail('corrupt', `${file}: the model config has no class_name; it does not describe a Keras model`);
  const cfg = obj(root.config);
  if (!MODEL_CLASSES.has(className) || !cfg || !Array.isArray(cfg.layers)) {
    if (cfg && !Array.isArray(cfg.layers) && root.registered_name !== undefined && !MODEL_CLASSES.has(className))
      inputFail(
        'unsupported',
        `${file}: the model is a subclassed model (${displayClass(root)}): its layers are made by Python code that is not stored in the file; open the Python source that builds it`,
      );
    inputFail(
      'unsupported',
      `${file}: the config describes a ${displayClass(root)}, not a Sequential or functional model; open the Python source that builds it`,
    );
  }
  const w = new Writer(file, options.inputShape ?? null);
  w.line(
    `# The model in ${file.replace(/[\r\n\u2028\u2029]/g, ' ')}${options.origin ? ` (${options.origin})` : ''}, as Keras code`,
  );
  w.line('import keras');
  w.line('from keras import layers');
  w.line('');
  const { v } = w.model(root, 0, true);
  return {
    source: `${w.lines.join('\n')}\n`,
    modelVar: v,
    modelName: typeof cfg.name === 'string' ? cfg.name : v,
    stop: w.stop,
    spans: w.spans,
  };
}
