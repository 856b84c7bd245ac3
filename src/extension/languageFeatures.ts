/**
 * Hovers, inline shapes (inlay hints), diagnostics with quick fixes, and the status bar item.
 * All read the per-version analysis; none waits on tensor work.
 */
import * as vscode from 'vscode';
import { diagnosticMessage, forEditor, type Diagnostic } from '../model/diagnostics';
import { hoverMarkdown, layerAt } from '../present/hover';
import { clipText, hoverRange } from '../present/notation';
import { builtLayersMarkdown } from '../present/builtLayers';
import { inlineHints } from '../present/inlineHints';
import { AnalysisService, isPython, locale } from './analysisService';
import type { Settings } from './settings';

const SELECTOR: vscode.DocumentSelector = [{ language: 'python' }];
/** Characters of an error shown in the status bar (the whole message is its tooltip). */
const STATUS_CHARS = 60;

function severity(s: Diagnostic['severity']): vscode.DiagnosticSeverity {
  return s === 'error'
    ? vscode.DiagnosticSeverity.Error
    : s === 'warning'
      ? vscode.DiagnosticSeverity.Warning
      : vscode.DiagnosticSeverity.Information;
}

export class LanguageFeatures implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly collection = vscode.languages.createDiagnosticCollection('convlens');
  private readonly status = vscode.window.createStatusBarItem('convlens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly hintsChanged = new vscode.EventEmitter<void>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Called with the layer under a hover, so an open panel can preview it. */
  onHoverLayer: ((doc: vscode.TextDocument, offset: number) => void) | null = null;
  /** A layer whose output the panel hides until its shape is predicted: its hover (its hint shows "?"); null when not hidden. */
  hiddenOutput: ((docUri: string, layerName: string) => string | null) | null = null;

  constructor(
    private readonly analysis: AnalysisService,
    private readonly settings: () => Settings,
  ) {
    this.status.name = 'ConvLens';
    this.status.command = 'convlens.showSummary';
    this.disposables.push(
      this.collection,
      this.status,
      this.hintsChanged,
      vscode.languages.registerHoverProvider(SELECTOR, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerInlayHintsProvider(SELECTOR, {
        onDidChangeInlayHints: this.hintsChanged.event,
        provideInlayHints: (d, r) => this.hints(d, r),
      }),
      vscode.languages.registerCodeActionsProvider(
        SELECTOR,
        { provideCodeActions: (d, r, c) => this.quickFixes(d, r, c) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.schedule(e.document, 250);
        // later cells of a notebook see this cell's code
        if (e.document.uri.scheme === 'vscode-notebook-cell') {
          const nb = vscode.workspace.notebookDocuments.find((n) =>
            n.getCells().some((c) => c.document === e.document),
          );
          for (const c of nb?.getCells() ?? []) if (c.document !== e.document) this.schedule(c.document, 400);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.analysis.forget(d);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    this.updateStatus();
  }

  /** Inline shapes were toggled or input shapes changed: recompute what is shown. */
  refresh(): void {
    this.hintsChanged.fire();
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isPython(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.publish(doc);
      }, delay),
    );
  }

  private publish(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const result = this.analysis.analyze(doc);
    const loc = locale();
    // a notebook cell's result holds the whole notebook: only what lies in this cell is shown here
    const end = doc.getText().length;
    this.collection.set(
      doc.uri,
      result.diagnostics
        .filter((d) => (d.range.from >= 0 && d.range.from <= end) || d.code === 'file-capped')
        .map((d) => {
          const v = new vscode.Diagnostic(
            this.analysis.range(doc, d.range),
            diagnosticMessage(forEditor(d), loc),
            severity(d.severity),
          );
          v.source = 'ConvLens';
          v.code = d.code;
          return v;
        }),
    );
    if (vscode.window.activeTextEditor?.document === doc) this.updateStatus();
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | null {
    const result = this.analysis.analyze(doc);
    const offset = doc.offsetAt(pos);
    const hit = layerAt(result, offset);
    if (!hit) return null;
    const r = hoverRange(hit, offset);
    const hidden = this.hiddenOutput?.(doc.uri.toString(), hit.layer.name);
    if (hidden) return new vscode.Hover(new vscode.MarkdownString(hidden), this.analysis.range(doc, r));
    const here = result.diagnostics.filter((d) => d.range.from >= r.from && d.range.to <= r.to).map(forEditor);
    this.onHoverLayer?.(doc, offset);
    const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), offset]));
    const md = new vscode.MarkdownString(
      hit.built
        ? builtLayersMarkdown(hit.built, hit.model.framework, locale())
        : hoverMarkdown(hit, locale(), here, `command:convlens.visualizeLayer?${args}`),
      true,
    );
    md.isTrusted = { enabledCommands: ['convlens.visualizeLayer'] };
    return new vscode.Hover(md, this.analysis.range(doc, r));
  }

  private hints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!this.settings().inlineShapes) return [];
    const result = this.analysis.analyze(doc);
    // offsets outside the document are other cells of its notebook: no line here
    const end = doc.getText().length;
    return inlineHints(result, (o) => (o < 0 || o > end ? -1 : doc.positionAt(o).line), locale())
      .filter((h) => h.line >= 0 && h.line >= range.start.line && h.line <= range.end.line)
      .map((h) => {
        // a layer whose output the panel's exercise hides: '?' until answered
        const hidden = h.layers.some((n) => this.hiddenOutput?.(doc.uri.toString(), n) != null);
        const hint = new vscode.InlayHint(
          doc.lineAt(h.line).range.end,
          hidden ? ' → ?' : h.label,
          vscode.InlayHintKind.Type,
        );
        hint.paddingLeft = true;
        hint.tooltip = h.tooltip;
        return hint;
      });
  }

  private quickFixes(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    ctx: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = ctx.diagnostics.filter((d) => d.source === 'ConvLens');
    if (ours.length === 0) return [];
    const result = this.analysis.analyze(doc);
    const loc = locale();
    const actions: vscode.CodeAction[] = [];
    for (const d of result.diagnostics) {
      if (!d.fix || d.range.from < 0) continue;
      const vr = this.analysis.range(doc, d.range);
      const match = ours.find((o) => o.code === d.code && o.range.isEqual(vr));
      if (!match || !vr.intersection(range)) continue;
      const action = new vscode.CodeAction(d.fix.title[loc], vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of d.fix.edits) edit.replace(doc.uri, this.analysis.range(doc, e.range), e.newText);
      action.edit = edit;
      action.diagnostics = [match];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  private updateStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!isPython(doc)) {
      this.status.hide();
      return;
    }
    const result = this.analysis.analyze(doc);
    if (result.models.length === 0) {
      this.status.hide();
      return;
    }
    const error = result.diagnostics.find((d) => d.severity === 'error');
    const ko = locale() === 'ko';
    const summaryTip = ko ? 'ConvLens: 모델 요약 보기' : 'ConvLens: show the model summary';
    if (error) {
      const message = diagnosticMessage(forEditor(error), locale());
      this.status.text = `$(error) ${clipText(message, STATUS_CHARS)}`;
      this.status.tooltip = `${message}\n\n${summaryTip}`;
    } else {
      const layers = result.models.reduce((a, m) => a + m.layers.filter((l) => !l.spec.functional).length, 0);
      const params = result.models.reduce((a, m) => a + (m.totalParams ?? 0), 0);
      this.status.text = ko
        ? `$(layers) 층 ${layers}개 · 파라미터 ${params.toLocaleString('en-US')}`
        : `$(layers) ${layers} layers · ${params.toLocaleString('en-US')} params`;
      this.status.tooltip = summaryTip;
    }
    this.status.show();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
