/**
 * Notebook cells as command targets. A cell's document has its own URI (scheme
 * `vscode-notebook-cell`); what belongs to the whole notebook — the input shapes set with "Set
 * Input Shape", the folder exports are proposed in — is kept under the notebook's URI, the one
 * the analysis reads them from (analysisService.optionsFor).
 */
import * as vscode from 'vscode';

export const CELL_SCHEME = 'vscode-notebook-cell';

/** The notebook a cell document belongs to, if it is a cell of an open notebook. */
export function notebookOf(uri: vscode.Uri): vscode.NotebookDocument | undefined {
  if (uri.scheme !== CELL_SCHEME) return undefined;
  const key = uri.toString();
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
}

/** The URI that owns a document's settings: the notebook's for a cell, else the document's own. */
export function ownerUri(uri: vscode.Uri): vscode.Uri;
export function ownerUri(uri: vscode.Uri | null): vscode.Uri | null;
export function ownerUri(uri: vscode.Uri | null): vscode.Uri | null {
  if (!uri) return null;
  return notebookOf(uri)?.uri ?? uri;
}

/**
 * The Python code to act on: the active text editor (a cell's editor while a cell is being
 * edited) or, when a notebook has the focus without a cell editor, its selected code cell (at
 * the cell's start).
 */
export function activePythonCode(
  isPython: (doc: vscode.TextDocument) => boolean,
  arg?: unknown,
): { document: vscode.TextDocument; offset: number } | undefined {
  const e = vscode.window.activeTextEditor;
  // from a cell's own menu (notebook/cell/title) the command gets that cell
  const cell = asCell(arg);
  if (cell && isPython(cell.document)) {
    const offset = e && e.document === cell.document ? e.document.offsetAt(e.selection.active) : 0;
    return { document: cell.document, offset };
  }
  if (e && isPython(e.document)) return { document: e.document, offset: e.document.offsetAt(e.selection.active) };
  const nb = vscode.window.activeNotebookEditor;
  if (!nb) return undefined;
  const index = nb.selection.start;
  const selected = nb.notebook.cellCount > index ? nb.notebook.cellAt(index) : undefined;
  if (selected && selected.kind === vscode.NotebookCellKind.Code && isPython(selected.document))
    return { document: selected.document, offset: 0 };
  return undefined;
}

function asCell(arg: unknown): vscode.NotebookCell | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const c = arg as Partial<vscode.NotebookCell>;
  return c.document && c.notebook && typeof c.index === 'number' ? (c as vscode.NotebookCell) : undefined;
}
