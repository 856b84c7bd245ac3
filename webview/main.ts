/**
 * The explorer panel's entry point. It sees only src/shared from the host (the protocol, the window formula), validates every
 * message (anything failing isHostToWebview is dropped), drops states older than the last one
 * shown (run id), restores the last state VS Code kept for it, and says `ready` before the host
 * sends anything.
 */
import { isHostToWebview, PROTOCOL_VERSION, VIEW_CACHE_BYTES, type HostToWebview } from '../src/shared/protocol';
import { KeptTensors } from '../src/shared/viewCache';
import { persistSoon, post, savedState } from './host';
import { setLocale } from './i18n';
import { themeChanged } from './mapview';
import { restore } from './persist';
import { render, setNotice } from './render';
import { acceptState, clampChoices, keyOf, store } from './store';
import { installDropZone } from './views/dropzone';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('main'));

let queued = false;
/** Tensor values received, kept for states that refer to them (src/shared/viewCache.ts). */
const kept = new KeptTensors(VIEW_CACHE_BYTES);

/** Re-renders once per frame at most (a burst of messages draws once). */
function rerender(): void {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    renderNow();
  });
}

function renderNow(): void {
  try {
    render(root, rerender);
  } catch (e) {
    post({
      type: 'log',
      level: 'error',
      message: `render failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`.slice(0, 10_000),
    });
  }
}

function onMessage(msg: HostToWebview): void {
  switch (msg.type) {
    case 'state': {
      // when the last state arrived (one mark: the performance timeline keeps what it is given)
      performance.clearMarks('convlens:state');
      performance.mark('convlens:state');
      // every state, even one not shown, goes through the kept tensors: the host counts it
      const state = kept.resolve(msg.state);
      if (!state) {
        post({ type: 'resend' });
        return;
      }
      if (msg.runId < store.runId) return; // a newer state is already shown
      store.runId = msg.runId;
      setNotice(null);
      acceptState(state);
      break;
    }
    case 'settings':
      store.settings = msg.settings;
      store.ui.normalization = msg.settings.normalization;
      setLocale(msg.settings.locale);
      break;
    case 'samples':
      store.samples = msg.samples;
      break;
  }
  persistSoon();
  renderNow();
  // (the host holds this state for the other surfaces until the first one has drawn it)
  if (msg.type === 'state' && msg.runId === store.runId) post({ type: 'shown', runId: msg.runId });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebview(event.data)) onMessage(event.data);
});

// VS Code switches themes by changing body classes and the --vscode-* variables
new MutationObserver(() => {
  themeChanged();
  rerender();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// the stage sizes its maps to the panel's width
let resizeTimer: ReturnType<typeof setTimeout> | null = null;
window.addEventListener('resize', () => {
  if (resizeTimer !== null) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(rerender, 150);
});

setLocale(document.documentElement.lang.toLowerCase().startsWith('ko') ? 'ko' : 'en');
const saved = restore(savedState());
if (saved.settings) {
  store.settings = saved.settings;
  setLocale(saved.settings.locale);
}
store.samples = saved.samples;
Object.assign(store.ui, { normalization: store.settings.normalization }, saved.ui);
if (saved.state) {
  // shown at once, but with run id −1 kept: the host's run ids start again after a reload
  store.state = saved.state;
  store.layerKey = keyOf(saved.state);
  clampChoices();
}
installDropZone((message) => {
  setNotice(message);
  rerender();
});
renderNow();
post({ type: 'ready', protocol: PROTOCOL_VERSION });
