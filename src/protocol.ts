/**
 * Messages between the extension host and the explorer webview: one discriminated union per
 * direction, each with a runtime check. The webview bundle imports nothing else from the host.
 * Every message received is validated; anything malformed is dropped.
 */

export const PROTOCOL_VERSION = 1;

/** What the panel shows when there is nothing to render yet. */
export interface EmptyState {
  kind: 'empty';
  /** Localized headline and hint, chosen by the host. */
  title: string;
  hint: string;
}

export type PanelState = EmptyState;

export type HostToWebview =
  | { type: 'state'; runId: number; state: PanelState }
  | { type: 'locale'; locale: string };

export type WebviewToHost =
  | { type: 'ready'; protocol: number }
  | { type: 'log'; level: 'info' | 'error'; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_TEXT = 10_000;

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_TEXT;
}

function isPanelState(v: unknown): v is PanelState {
  return isRecord(v) && v['kind'] === 'empty' && isText(v['title']) && isText(v['hint']);
}

export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'state':
      return Number.isSafeInteger(v['runId']) && isPanelState(v['state']);
    case 'locale':
      return isText(v['locale']);
    default:
      return false;
  }
}

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
      return typeof v['protocol'] === 'number';
    case 'log':
      return (v['level'] === 'info' || v['level'] === 'error') && isText(v['message']);
    default:
      return false;
  }
}
