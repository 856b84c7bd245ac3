/**
 * A webview's HTML — the explorer's (dist/webview.js) or the model file editor's
 * (dist/modelfile.js): strict CSP (default-src 'none', script by nonce), bundle and media only.
 */
import * as vscode from 'vscode';

function nonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/[^A-Za-z0-9]/g, '');
}

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  locale: string,
  bundle: 'webview.js' | 'modelfile.js' = 'webview.js',
): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', bundle));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const lang = locale.replace(/[^A-Za-z-]/g, '') || 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>ConvLens</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}
