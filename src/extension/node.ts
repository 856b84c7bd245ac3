/**
 * Entry point of the Node extension host (desktop VS Code, remotes; dist/extension.js, `main`).
 */
import type * as vscode from 'vscode';
import { nodePlatform } from '../platform/node';
import { useNodeZlib } from '../io/nodeZlib';
import { startAnalysisThread } from './analysisThread';
import { activateWith } from './extension';

export function activate(context: vscode.ExtensionContext): void {
  useNodeZlib();
  // the editor's analyses run in a thread that is killed and restarted past its deadline
  activateWith(context, nodePlatform, startAnalysisThread);
}

export function deactivate(): void {}
