/**
 * The panel's activations, kept between requests in the worker that computes them, so that moving
 * the cursor to a layer already computed costs only its view, moving forward computes only the
 * layers not yet computed, and an edit recomputes only the layers downstream of it.
 *
 * Each layer's output is keyed by what determines it: the layer itself (type, configuration, name,
 * input shapes), the keys of the outputs it reads (the model input's: a hash of its values), and
 * the key of its parameters (which weights: a file's identity, the seed, presets on that layer).
 * A layer whose key is unchanged has the same output, whatever else changed in the model.
 * Memory is bounded: least recently used outputs are dropped past `maxBytes`.
 */
import type { Tensor } from '../engine';
import type { LayerNode, ModelGraph } from '../model/ir';

export class ActivationCache {
  /** In least- to most-recently-used order (a Map keeps insertion order). */
  private readonly map = new Map<string, Tensor>();
  private used = 0;

  constructor(public maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): Tensor | undefined {
    const t = this.map.get(key);
    if (t) {
      this.map.delete(key);
      this.map.set(key, t);
    }
    return t;
  }

  set(key: string, t: Tensor): void {
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.used -= old.data.byteLength;
    }
    if (t.data.byteLength > this.maxBytes) return;
    this.map.set(key, t);
    this.used += t.data.byteLength;
    this.trim();
  }

  /** Drops least recently used outputs until the cache fits `maxBytes` (after it was lowered). */
  trim(): void {
    for (const [k, t] of this.map) {
      if (this.used <= this.maxBytes) break;
      this.map.delete(k);
      this.used -= t.data.byteLength;
    }
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }
}

/** A 53-bit hash of a string (cyrb53), as 14 hex digits. */
export function hashText(s: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return hashMix(h1, h2);
}

function hashMix(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** A hash of a tensor's shape and the bits of its values. */
export function hashTensor(t: Tensor): string {
  const d = t.data;
  const words = new Uint32Array(d.buffer, d.byteOffset, d.length);
  let h1 = 0xdeadbeef ^ t.shape.length;
  let h2 = 0x41c6ce57;
  for (const n of t.shape) {
    h1 = Math.imul(h1 ^ n, 2654435761);
    h2 = Math.imul(h2 ^ n, 1597334677);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  return hashMix(h1, h2);
}

/** What of a layer determines its output besides its inputs and parameters. */
function layerSignature(node: LayerNode): string {
  return JSON.stringify([node.spec.framework, node.spec.type, node.name, node.spec.cfg, node.inputShapes]);
}

/**
 * The keys of the outputs of layers 0..upTo: each from the layer's signature, its inputs' keys
 * (`inputKey` for the model input) and `paramsKey(node)` (which weights it runs with).
 */
export function activationKeys(
  graph: ModelGraph,
  upTo: number,
  inputKey: string,
  paramsKey: (node: LayerNode) => string,
): string[] {
  const keys: string[] = [];
  for (let j = 0; j <= upTo; j++) {
    const node = graph.layers[j]!;
    const ins = node.inputs.map((i) => (i < 0 ? inputKey : (keys[i] ?? '?'))).join(',');
    keys.push(hashText(`${layerSignature(node)}|${ins}|${paramsKey(node)}`));
  }
  return keys;
}
