/** "Show Model Summary": a read-only text document with the Keras-style table of every model. */
import * as vscode from 'vscode';
import { forEditor } from '../model/diagnostics';
import { summaryText } from '../present/summary';
import type { AnalysisService } from './analysisService';
import { locale } from './analysisService';

export const SUMMARY_SCHEME = 'convlens-summary';

export class SummaryDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly analysis: AnalysisService) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const source = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.query);
    if (!source) return vscode.l10n.t('The source file is no longer open.');
    const name = vscode.workspace.asRelativePath(source.uri);
    const result = this.analysis.analyze(source);
    const worded = { ...result, diagnostics: result.diagnostics.map(forEditor) };
    return summaryText(name, source.getText(), worded, locale()) + '\n';
  }

  update(source: vscode.Uri): void {
    for (const d of vscode.workspace.textDocuments)
      if (d.uri.scheme === SUMMARY_SCHEME && d.uri.query === source.toString()) this.changed.fire(d.uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
