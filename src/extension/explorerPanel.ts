/**
 * The explorer panel: one owner for the webview panel, its disposables and its messages.
 * Strict CSP (default-src 'none', scripts only by nonce), resources only from dist/ and media/.
 * The webview says `ready` before the host sends state.
 */
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type PanelState } from '../protocol';

export const EXPLORER_VIEW_TYPE = 'convlens.explorer';

export class ExplorerPanel implements vscode.Disposable {
  private static current: ExplorerPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private runId = 0;
  private state: PanelState;

  static show(extensionUri: vscode.Uri, column = vscode.ViewColumn.Beside): ExplorerPanel {
    if (ExplorerPanel.current) {
      ExplorerPanel.current.panel.reveal(column, true);
      return ExplorerPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(EXPLORER_VIEW_TYPE, vscode.l10n.t('ConvLens Explorer'), { viewColumn: column, preserveFocus: true }, ExplorerPanel.options(extensionUri));
    ExplorerPanel.current = new ExplorerPanel(panel, extensionUri);
    return ExplorerPanel.current;
  }

  /** Restores a panel VS Code kept across a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
    panel.webview.options = ExplorerPanel.options(extensionUri);
    ExplorerPanel.current?.dispose();
    ExplorerPanel.current = new ExplorerPanel(panel, extensionUri);
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.state = {
      kind: 'empty',
      title: vscode.l10n.t('No layer selected'),
      hint: vscode.l10n.t('Put the cursor on a Conv2D, pooling or Dense layer in a Keras or PyTorch file to see what it does to an image.'),
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)),
    );
  }

  setState(state: PanelState): void {
    this.state = state;
    this.post();
  }

  private post(): void {
    if (!this.ready) return;
    const msg: HostToWebview = { type: 'state', runId: ++this.runId, state: this.state };
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(msg: unknown): void {
    if (!isWebviewToHost(msg)) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        void this.panel.webview.postMessage({ type: 'locale', locale: vscode.env.language } satisfies HostToWebview);
        this.post();
        break;
      case 'log':
        if (msg.level === 'error') console.error(`[ConvLens webview] ${msg.message}`);
        break;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data: blob:`,
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>ConvLens</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (ExplorerPanel.current === this) ExplorerPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

function escapeAttr(s: string): string {
  return s.replace(/[^A-Za-z0-9-]/g, '');
}
