/**
 * Command ids and their handlers: plain functions over a small context object. The ids listed
 * here and the ones contributed in package.json are checked to be the same by a unit test.
 */
import * as vscode from 'vscode';
import { ExplorerPanel } from './explorerPanel';

export interface CommandContext {
  extensionUri: vscode.Uri;
}

export const COMMANDS = {
  'convlens.openExplorer': (ctx: CommandContext): void => {
    ExplorerPanel.show(ctx.extensionUri);
  },
} satisfies Record<string, (ctx: CommandContext) => unknown>;

export type CommandId = keyof typeof COMMANDS;
