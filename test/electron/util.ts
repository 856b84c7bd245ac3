/** Helpers of the in-host tests: workspace files, polling, hover and inlay-hint text, ConvLens tabs. */
import * as vscode from 'vscode';

export const MODE = (process.env['CONVLENS_TEST_MODE'] || 'en') as 'en' | 'ko' | 'restricted';

export function workspaceUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: launch VS Code on the fixture workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openEditor(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(name));
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

export function positionOf(doc: vscode.TextDocument, needle: string, after?: string): vscode.Position {
  const text = doc.getText();
  const start = after === undefined ? 0 : text.indexOf(after);
  const i = start < 0 ? -1 : text.indexOf(needle, start);
  if (i < 0) throw new Error(`"${needle}" is not in ${doc.uri.path}`);
  return doc.positionAt(i);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      );
    await sleep(intervalMs);
  }
}

/** Markdown as read: bold and code marks removed. */
export function plain(md: string): string {
  return md.replace(/\*\*/g, '').replace(/`/g, '');
}

function hoverContents(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** The hover text at a position (all providers), polled until `ready` accepts it. */
export async function hoverText(
  uri: vscode.Uri,
  pos: vscode.Position,
  ready: (t: string) => boolean = (t) => t.includes('→'),
  timeoutMs = 20_000,
): Promise<string> {
  return waitFor(
    `a hover at ${uri.path}:${pos.line + 1}:${pos.character + 1}`,
    async () => {
      const hovers =
        (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
      const t = plain(hovers.map(hoverContents).join('\n'));
      return ready(t) ? t : null;
    },
    timeoutMs,
    150,
  );
}

export async function inlayHints(uri: vscode.Uri, range: vscode.Range): Promise<{ line: number; label: string }[]> {
  const hints =
    (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, range)) ?? [];
  return hints.map((h) => ({
    line: h.position.line,
    label: typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''),
  }));
}

/** Tabs of the ConvLens explorer panel (a webview panel of type convlens.explorer). */
export function explorerTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('convlens.explorer'));
}

export async function closeExplorerTabs(): Promise<void> {
  const tabs = explorerTabs();
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
