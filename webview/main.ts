/**
 * The explorer panel's script. It sees only protocol.ts from the host, sets text with
 * textContent, and validates every message before acting on it.
 */
import { isHostToWebview, PROTOCOL_VERSION, type HostToWebview, type PanelState, type WebviewToHost } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let lastRun = -1;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function render(state: PanelState): void {
  const root = document.getElementById('root');
  if (!root) return;
  root.replaceChildren();
  const box = el('section', 'empty');
  box.append(el('h1', 'empty-title', state.title), el('p', 'empty-hint', state.hint));
  root.append(box);
}

function onMessage(msg: HostToWebview): void {
  switch (msg.type) {
    case 'state':
      if (msg.runId < lastRun) return; // a newer state is already shown
      lastRun = msg.runId;
      vscode.setState({ runId: msg.runId, state: msg.state });
      render(msg.state);
      break;
    case 'locale':
      document.documentElement.lang = msg.locale;
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebview(event.data)) onMessage(event.data);
});

const saved = vscode.getState();
if (typeof saved === 'object' && saved !== null && 'state' in saved) {
  const msg = { type: 'state', runId: 0, state: (saved as { state: unknown }).state };
  if (isHostToWebview(msg)) onMessage(msg);
}
vscode.postMessage({ type: 'ready', protocol: PROTOCOL_VERSION });
