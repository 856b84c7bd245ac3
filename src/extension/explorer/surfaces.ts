/**
 * The webviews the explorer is shown on: the side view in the ConvLens activity-bar container
 * and the panel beside the code. A Surface owns one webview — its options (scripts, local
 * resource roots), its HTML, the ready handshake, its subscriptions (disposed with the webview).
 * Surfaces keeps the open ones, creates, reveals or adopts the panel, and posts a message to
 * every surface whose webview is ready.
 */
import * as vscode from 'vscode';
import { isWebviewToHost, VIEW_CACHE_BYTES, type HostToWebview, type WebviewToHost } from '../../shared/protocol';
import { SentTensors } from '../../shared/viewCache';
import { locale } from '../analysisService';
import { webviewHtml } from '../webviewHtml';

/** The panel's webview type (also registered for restoring panels in extension.ts). */
const PANEL_TYPE = 'convlens.explorer';

/** A message from a webview other than the handshake and the transport's own. */
export type SurfaceMessage = Exclude<WebviewToHost, { type: 'ready' } | { type: 'resend' } | { type: 'shown' }>;

/**
 * With the panel shown, the other surfaces (the side view) are sent a state once the panel has
 * drawn it and the cursor has rested FOLLOW_REST_MS (no newer state), or after FOLLOW_WAIT_MS at
 * the latest: stepping through layers, the side view catches up where the cursor rests, and its
 * values and render do not hold up the panel's next layer.
 */
const FOLLOW_REST_MS = 1000;
const FOLLOW_WAIT_MS = 3000;

export interface SurfaceHooks {
  /** What a surface is sent once its webview is ready, in order (settings, samples, state). */
  greeting(): HostToWebview[];
  onMessage(msg: SurfaceMessage): Promise<void>;
  /** The last open surface closed. */
  closed?(): void;
  /**
   * A state refers to tensor values a surface does not keep (they were left out of the view
   * because another surface, or this one earlier, kept them): `post` is given that state again
   * with its values, for this surface alone.
   */
  valuesMissing?(post: (msg: HostToWebview) => void): void;
}

class Surface implements vscode.Disposable {
  private ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The tensor values this webview keeps (shared/viewCache.ts): they are not sent again. */
  private readonly sent = new SentTensors(VIEW_CACHE_BYTES);

  constructor(
    readonly webview: vscode.Webview,
    extensionUri: vscode.Uri,
    private readonly hooks: SurfaceHooks,
    onDidDispose: vscode.Event<void>,
    onGone: (s: Surface) => void,
    /** The webview drew the state of a run. */
    private readonly onShown: (runId: number) => void = () => undefined,
    /** Whether VS Code shows the webview now (a hidden one is created again when shown). */
    private readonly visible: () => boolean = () => true,
  ) {
    webview.options = { enableScripts: true, localResourceRoots: roots(extensionUri) };
    webview.html = webviewHtml(webview, extensionUri, locale());
    this.subscriptions.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      onDidDispose(() => {
        this.dispose();
        onGone(this);
      }),
    );
  }

  private receive(raw: unknown): void {
    if (!isWebviewToHost(raw)) return;
    if (raw.type === 'ready') {
      // a new webview (or one VS Code re-created after it was hidden) holds no tensors
      this.sent.clear();
      this.ready = true;
      for (const msg of this.hooks.greeting()) this.post(msg);
      return;
    }
    if (raw.type === 'shown') {
      this.onShown(raw.runId);
      return;
    }
    if (raw.type === 'resend') {
      this.sent.clear();
      for (const msg of this.hooks.greeting()) if (msg.type === 'state') this.post(msg);
      return;
    }
    void this.hooks.onMessage(raw);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The keys of the tensors this webview keeps. */
  keptKeys(): string[] {
    return this.sent.keys();
  }

  /** Sends a message if the webview is ready for it (before the handshake nothing is sent). */
  post(msg: HostToWebview): void {
    if (!this.ready) return;
    if (msg.type !== 'state') {
      void this.webview.postMessage(msg);
      return;
    }
    const state = this.sent.encode(msg.state);
    if (!state) {
      // a hidden webview is created again when shown, and then asks for the state ('ready')
      if (this.visible()) this.hooks.valuesMissing?.((m) => this.post(m));
      else this.sent.clear();
      return;
    }
    // a state that did not arrive leaves the webview without values counted as sent: start again
    void this.webview.postMessage({ ...msg, state }).then(
      (delivered) => delivered || this.sent.clear(),
      () => this.sent.clear(),
    );
  }

  dispose(): void {
    while (this.subscriptions.length) this.subscriptions.pop()?.dispose();
  }
}

function roots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export class Surfaces implements vscode.Disposable {
  private readonly open = new Set<Surface>();
  private panel: vscode.WebviewPanel | null = null;
  private panelSurface: Surface | null = null;
  /**
   * A state the other surfaces are sent once the panel has drawn it. With the panel and the side
   * view both shown, the panel draws first: their webviews can share one renderer (VS Code in a
   * browser serves them from one origin), where drawing both at once would delay the panel by the
   * side view's render. A newer state replaces one still held (each webview shows only the newest).
   */
  private held: {
    msg: HostToWebview & { type: 'state' };
    timer: ReturnType<typeof setTimeout>;
    rest?: ReturnType<typeof setTimeout>;
  } | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly hooks: SurfaceHooks,
  ) {}

  /** How many surfaces are open (the cursor is followed only when one is). */
  get size(): number {
    return this.open.size;
  }

  /** The side view, when VS Code shows it. */
  resolveView(view: vscode.WebviewView): void {
    this.attach(view.webview, view.onDidDispose, undefined, () => view.visible);
  }

  /** Reveals the panel beside the code, creating it the first time (the editor keeps focus). */
  showPanel(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_TYPE,
      vscode.l10n.t('ConvLens Explorer'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: roots(this.extensionUri) },
    );
    this.adoptPanel(panel);
  }

  /** A panel created here or restored by VS Code after a reload. */
  adoptPanel(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    const surface = this.attach(
      panel.webview,
      panel.onDidDispose,
      (runId) => this.panelShown(runId),
      () => panel.visible,
    );
    this.panelSurface = surface;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = null;
      if (this.panelSurface === surface) {
        this.panelSurface = null;
        this.release();
      }
    });
  }

  private attach(
    webview: vscode.Webview,
    onDidDispose: vscode.Event<void>,
    onShown?: (runId: number) => void,
    visible?: () => boolean,
  ): Surface {
    const surface = new Surface(
      webview,
      this.extensionUri,
      this.hooks,
      onDidDispose,
      (s) => {
        this.open.delete(s);
        if (this.open.size === 0) this.hooks.closed?.();
      },
      onShown,
      visible,
    );
    this.open.add(surface);
    return surface;
  }

  /**
   * Tensor keys whose values the next state can leave out: those the surface drawing it first
   * keeps — the shown panel, else every surface (none while one is still loading). A surface
   * that lacks some when the state reaches it is sent the state again with its values
   * (SurfaceHooks.valuesMissing): the side view, which follows at rest.
   */
  keptKeys(): string[] {
    const panel = this.panelSurface;
    if (panel?.isReady && this.panel?.visible) return panel.keptKeys();
    let common: Set<string> | null = null;
    for (const s of this.open) {
      if (!s.isReady) return [];
      const keys = s.keptKeys();
      common = common === null ? new Set(keys) : new Set(keys.filter((k) => common!.has(k)));
    }
    return common ? [...common] : [];
  }

  /** Sends a message to every ready surface (a state to the shown panel first: see `held`). */
  post(msg: HostToWebview): void {
    const panel = this.panelSurface;
    if (msg.type !== 'state' || !panel || !panel.isReady || !this.panel?.visible || this.open.size < 2) {
      if (msg.type === 'state') this.release(false);
      for (const s of this.open) s.post(msg);
      return;
    }
    panel.post(msg);
    // (the side view keeps its layer while the panel says it is computing the next one)
    if (msg.state.kind === 'model' && msg.state.busy) return;
    this.release(false);
    this.held = { msg, timer: setTimeout(() => this.release(), FOLLOW_WAIT_MS) };
  }

  private panelShown(runId: number): void {
    const held = this.held;
    if (!held || runId < held.msg.runId || held.rest) return;
    held.rest = setTimeout(() => this.held === held && this.release(), FOLLOW_REST_MS);
  }

  /** Sends the held state to the surfaces other than the panel (or drops it, when a newer state goes to all). */
  private release(send = true): void {
    const held = this.held;
    if (!held) return;
    clearTimeout(held.timer);
    clearTimeout(held.rest);
    this.held = null;
    if (send) for (const s of this.open) if (s !== this.panelSurface) s.post(held.msg);
  }

  dispose(): void {
    this.release(false);
    this.panel?.dispose();
    for (const s of this.open) s.dispose();
    this.open.clear();
  }
}
