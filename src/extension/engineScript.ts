/**
 * The engine worker bundle of this platform (dist/worker.js, or dist/web/worker.js in a browser)
 * as the platform's worker factory takes it: path, URL, and its bytes read through the workspace
 * file system (what a browser-hosted VS Code serves a remote extension's files through).
 */
import * as vscode from 'vscode';
import type { Platform, ScriptLocation } from '../platform/types';

export function engineScript(extensionUri: vscode.Uri, platform: Platform): ScriptLocation {
  const uri = vscode.Uri.joinPath(extensionUri, ...platform.workerScript);
  return {
    fsPath: uri.fsPath,
    url: uri.toString(),
    read: async () => vscode.workspace.fs.readFile(uri),
  };
}
