/**
 * Entry point of the Node extension host (desktop VS Code, remotes; dist/extension.js, `main`).
 */
import type * as vscode from 'vscode';
import { nodePlatform } from '../platform/node';
import { activateWith } from './extension';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, nodePlatform);
}

export function deactivate(): void {}
