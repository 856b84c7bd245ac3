/**
 * ConvLens settings (`convlens.*`), read through one function that turns any bad value into a
 * safe default — settings come from users' JSON files and must never break the extension.
 */
import type { WorkspaceConfiguration } from 'vscode';
import type { Locale } from '../model/diagnostics';

/** `convlens.language`: ConvLens's own texts in VS Code's display language, or always in one. */
export type LanguageSetting = 'auto' | 'en' | 'ko';
export const LANGUAGES: readonly LanguageSetting[] = ['auto', 'en', 'ko'];

export interface Settings {
  /** Input shape without the batch dimension, used when a PyTorch file gives none. */
  defaultInputShape: number[] | null;
  inlineShapes: boolean;
  colormap: 'viridis' | 'gray' | 'magma';
  normalization: 'per-map' | 'per-layer';
  /** Element cap of one tensor in the engine. */
  maxElements: number;
  /** Worker threads for tensor work (0: run in the extension host). */
  workerThreads: number;
  /** Memory the panel's worker may keep activations in, MiB (0: keep none). */
  activationCacheMb: number;
  /** The Python environment whose packages imports are read from: interpreter, folder or site-packages. */
  pythonPath: string | null;
  /** The language of hovers, diagnostics, the panel and the summary; 'auto': VS Code's. */
  language: LanguageSetting;
}

export const DEFAULTS: Settings = {
  defaultInputShape: null,
  inlineShapes: true,
  colormap: 'viridis',
  normalization: 'per-map',
  maxElements: 1 << 27,
  workerThreads: 1,
  activationCacheMb: 512,
  pythonPath: null,
  language: 'auto',
};

/** Longest path accepted in a setting. */
const MAX_PATH_LENGTH = 4096;

const MIN_ELEMENTS = 1 << 16;
const MAX_ELEMENTS = 1 << 28;

function oneOf<T extends string>(v: unknown, allowed: readonly T[], dflt: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : dflt;
}

function intIn(v: unknown, min: number, max: number, dflt: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : dflt;
}

/** "1, 28, 28", "(3, 224, 224)", "28x28x1" or [1, 28, 28]; anything else → null. */
export function parseShapeSetting(v: unknown): number[] | null {
  let parts: unknown[];
  if (Array.isArray(v)) parts = v;
  else if (typeof v === 'string' && v.trim() !== '')
    parts = v
      .replace(/[()[\]]/g, ' ')
      .split(/[\s,x×]+/)
      .filter(Boolean)
      .map(Number);
  else return null;
  if (parts.length < 1 || parts.length > 4) return null;
  return parts.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 16384)
    ? (parts as number[])
    : null;
}

/** A non-empty path of sane length, trimmed; anything else → null. */
function pathSetting(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t && t.length <= MAX_PATH_LENGTH && !t.includes('\0') ? t : null;
}

/** Settings from raw values (any types); every field falls back to its default. */
export function settingsFrom(raw: Record<string, unknown>): Settings {
  return {
    defaultInputShape: parseShapeSetting(raw['defaultInputShape']),
    inlineShapes: typeof raw['inlineShapes'] === 'boolean' ? raw['inlineShapes'] : DEFAULTS.inlineShapes,
    colormap: oneOf(raw['colormap'], ['viridis', 'gray', 'magma'] as const, DEFAULTS.colormap),
    normalization: oneOf(raw['normalization'], ['per-map', 'per-layer'] as const, DEFAULTS.normalization),
    maxElements: intIn(raw['maxElements'], MIN_ELEMENTS, MAX_ELEMENTS, DEFAULTS.maxElements),
    workerThreads: intIn(raw['workerThreads'], 0, 8, DEFAULTS.workerThreads),
    activationCacheMb: intIn(raw['activationCacheMb'], 0, 8192, DEFAULTS.activationCacheMb),
    pythonPath: pathSetting(raw['pythonPath']),
    language: oneOf(raw['language'], LANGUAGES, DEFAULTS.language),
  };
}

export const SETTING_KEYS = [
  'defaultInputShape',
  'inlineShapes',
  'colormap',
  'normalization',
  'maxElements',
  'workerThreads',
  'activationCacheMb',
  'pythonPath',
  'language',
] as const;

export function readSettings(config: Pick<WorkspaceConfiguration, 'get'>): Settings {
  const raw: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) raw[k] = config.get(k);
  return settingsFrom(raw);
}

/**
 * The locale of ConvLens's texts: the `convlens.language` setting (any value read raw; a bad one
 * counts as 'auto'), else VS Code's display language (`vscode.env.language`: 'ko', 'en-us', …).
 */
export function chooseLocale(language: unknown, displayLanguage: string): Locale {
  const chosen = oneOf(language, LANGUAGES, 'auto');
  if (chosen !== 'auto') return chosen;
  return displayLanguage.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
