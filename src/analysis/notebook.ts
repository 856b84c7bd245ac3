/**
 * A notebook's analysis: its code cells are analyzed together, once per state of the notebook (as
 * after Run All), and each cell gets that result in its own coordinates (an earlier cell's ranges
 * negative, a later cell's past its end). Opening a notebook of N cells costs one analysis of its
 * text, not one of every cell's prefix (quadratic in cells); what a cell no longer in the notebook
 * or a closed notebook held is dropped. Pure: no editor types.
 */
import type { AnalysisResult } from './analyze';
import { shiftResult } from './shift';

export interface NotebookCell {
  /** The cell's identity in its notebook (its document's), kept when cells around it move. */
  id: string;
  /** The cell document's version. */
  version: number;
  /** Read only when the notebook's state changed. */
  readonly text: string;
}

interface Entry {
  /** The notebook's state: every code cell's identity and version, in order, and the options. */
  stamp: string;
  /** Where each code cell starts in the notebook's text. */
  bases: number[];
  whole: AnalysisResult;
  /** Each cell's result in its own coordinates, made on first use. */
  cells: Map<number, AnalysisResult>;
}

export class NotebookAnalyses {
  private readonly notebooks = new Map<string, Entry>();

  /**
   * `analyze(key, stamp, text)` analyzes the notebook's text (its code cells joined by newlines);
   * it is called again only when a cell is added, removed, moved or edited.
   */
  constructor(private readonly analyze: (key: string, stamp: string, text: string) => AnalysisResult) {}

  /**
   * The result of code cell `index` of the notebook `key`, whose code cells are `cells`; `options`
   * names the analysis options (a change analyzes again).
   */
  cell(key: string, cells: readonly NotebookCell[], index: number, options = ''): AnalysisResult {
    const stamp = `${options}|${cells.map((c) => `${c.id}:${c.version}`).join(',')}`;
    let entry = this.notebooks.get(key);
    if (!entry || entry.stamp !== stamp) {
      const bases: number[] = [];
      let at = 0;
      for (const c of cells) {
        bases.push(at);
        at += c.text.length + 1;
      }
      // the entry of the notebook's last state goes, with its cells' results
      entry = { stamp, bases, whole: this.analyze(key, stamp, cells.map((c) => c.text).join('\n')), cells: new Map() };
      this.notebooks.set(key, entry);
    }
    let result = entry.cells.get(index);
    if (!result) {
      result = shiftResult(entry.whole, entry.bases[index] ?? 0);
      entry.cells.set(index, result);
    }
    return result;
  }

  /** The notebook was closed (or the environments changed): its results are dropped. */
  forget(key: string): void {
    this.notebooks.delete(key);
  }

  clear(): void {
    this.notebooks.clear();
  }

  /** Cell results held, over every notebook (for tests). */
  get heldCells(): number {
    let n = 0;
    for (const e of this.notebooks.values()) n += e.cells.size;
    return n;
  }
}
