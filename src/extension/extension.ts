/** Extension entry point: registers commands and the panel serializer; nothing heavy loads here. */
import * as vscode from 'vscode';
import { COMMANDS, type CommandContext, type CommandId } from './commands';
import { EXPLORER_VIEW_TYPE, ExplorerPanel } from './explorerPanel';

export function activate(context: vscode.ExtensionContext): void {
  const ctx: CommandContext = { extensionUri: context.extensionUri };
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => COMMANDS[id](ctx)));
  }
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(EXPLORER_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => ExplorerPanel.revive(panel, context.extensionUri),
    }),
  );
}

export function deactivate(): void {}
