/**
 * Entry point of the web worker extension host (vscode.dev, github.dev, browser-hosted VS Code;
 * dist/web/extension.js, `browser`). Hovers, inline shapes, diagnostics, the panel and model files
 * work as on the desktop; imports of other files are not followed there (no disk to read while
 * an analysis runs), which the output channel says once.
 */
import type * as vscode from 'vscode';
import { webPlatform } from '../platform/web';
import { activateWith } from './extension';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, webPlatform);
}

export function deactivate(): void {}
