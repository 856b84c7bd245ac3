/**
 * The one link to the extension host: typed postMessage (each message checked with the same
 * validator the host uses, so a bug here shows up as a logged error, not a silent drop there)
 * and the debounced persistence of the panel's state.
 */
import { isWebviewToHost, type WebviewToHost } from '../src/shared/protocol';
import { save } from './persist';
import { store } from './store';

interface VsCodeApi {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(msg: WebviewToHost): void {
  if (!isWebviewToHost(msg)) {
    api.postMessage({
      type: 'log',
      level: 'error',
      message: `webview built an invalid '${(msg as { type: string }).type}' message`,
    });
    return;
  }
  api.postMessage(msg);
}

export function savedState(): unknown {
  return api.getState();
}

let timer: ReturnType<typeof setTimeout> | null = null;

let savedFor: unknown = undefined;

/**
 * Saves the panel soon: a burst of states (stamp steps, fast layer changes) is saved once. A new
 * layer is saved after the panel has rested a second — encoding its values takes the time of a
 * render, which would otherwise delay the next layer when the cursor keeps moving; a choice on the
 * layer shown (the values already encoded) is saved within 200 ms.
 */
export function persistSoon(): void {
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(
    () => {
      timer = null;
      savedFor = store.state;
      api.setState(save(store.state, store.settings, store.samples, store.ui));
    },
    store.state === savedFor ? 200 : 1000,
  );
}
