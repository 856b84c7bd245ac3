/**
 * The panel's memory across hide/show (vscode.setState / getState). VS Code stores the state as
 * JSON, where a Float32Array would turn into an object of numbered keys: tensors are stored as
 * base64 of their bytes instead, and a layer too large for the budget is left out (the host sends
 * a fresh state after `ready` anyway). Restored data goes through the same validator as messages.
 */
import { isHostToWebview, type HostToWebview, type PanelSettings, type PanelState } from '../src/shared/protocol';
import type { Ui } from './store';

/**
 * Floats kept in the saved state at most (2.7 MB as base64): a 224² layer is left out (the host
 * sends its state again after `ready`), so saving stays far quicker than a render.
 */
const BUDGET = 500_000;

interface Saved {
  v: 1;
  state: unknown;
  settings: PanelSettings;
  samples: { id: string; label: string }[];
  ui: Ui;
}

function toBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Float32Array | null {
  try {
    const bin = atob(s);
    if (bin.length % 4 !== 0) return null;
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  } catch {
    return null;
  }
}

function encode(v: unknown): unknown {
  if (v instanceof Float32Array) return { f32: toBase64(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o['f32'] === 'string') return fromBase64(o['f32']);
    return Object.fromEntries(keys.map((k) => [k, decode(o[k])]));
  }
  return v;
}

function floats(v: unknown): number {
  if (v instanceof Float32Array) return v.length;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + floats(x), 0);
  if (typeof v === 'object' && v !== null) return Object.values(v).reduce((n: number, x) => n + floats(x), 0);
  return 0;
}

/** The last state encoded: choices (stamp moves, toggles) are saved often, the state is not. */
let last: { state: PanelState | null; encoded: unknown } | null = null;

function encodeState(state: PanelState | null): unknown {
  if (last?.state === state) return last.encoded;
  const fits = floats(state) <= BUDGET;
  const encoded = encode(fits || state?.kind !== 'model' ? state : { ...state, layer: null, busy: true });
  last = { state, encoded };
  return encoded;
}

export function save(state: PanelState | null, settings: PanelSettings, samples: Saved['samples'], ui: Ui): Saved {
  return { v: 1, state: encodeState(state), settings, samples, ui };
}

export interface Restored {
  state: PanelState | null;
  settings: PanelSettings | null;
  samples: Saved['samples'];
  ui: Partial<Ui>;
}

/** What getState() gave back, checked like a message from the host; anything odd is ignored. */
export function restore(saved: unknown): Restored {
  const none: Restored = { state: null, settings: null, samples: [], ui: {} };
  if (typeof saved !== 'object' || saved === null || (saved as Saved).v !== 1) return none;
  const s = saved as Saved;
  const stateMsg = { type: 'state', runId: 0, state: decode(s.state) };
  const settingsMsg = { type: 'settings', settings: s.settings };
  const samplesMsg = { type: 'samples', samples: s.samples };
  const ok = (m: unknown): m is HostToWebview => isHostToWebview(m);
  return {
    state: ok(stateMsg) && stateMsg.type === 'state' ? stateMsg.state : null,
    settings: ok(settingsMsg) && settingsMsg.type === 'settings' ? settingsMsg.settings : null,
    samples: ok(samplesMsg) && samplesMsg.type === 'samples' ? samplesMsg.samples : [],
    ui: sanitizeUi(s.ui),
  };
}

function sanitizeUi(u: unknown): Partial<Ui> {
  if (typeof u !== 'object' || u === null) return {};
  const o = u as Record<string, unknown>;
  const out: Partial<Ui> = {};
  if (typeof o['showPre'] === 'boolean') out.showPre = o['showPre'];
  if (typeof o['quiz'] === 'boolean') out.quiz = o['quiz'];
  if (o['normalization'] === 'per-map' || o['normalization'] === 'per-layer') out.normalization = o['normalization'];
  for (const k of ['channel', 'filter'] as const)
    if (Number.isInteger(o[k]) && (o[k] as number) >= 0) out[k] = o[k] as number;
  return out;
}
