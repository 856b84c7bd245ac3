/**
 * A Jupyter notebook (.ipynb) as the CLI reads it: its code cells, analyzed together as after
 * Run All (the editor's rule, src/analysis/notebook.ts), with IPython magics (`%time`, `%%bash`,
 * `!pip …`) blanked so that they read as empty lines. Locations name the cell: `nb.ipynb:cell3:2:5`
 * is line 2, column 5 of the notebook's third cell (counting every cell, markdown too, from 1).
 */
import type { AnalysisResult } from '../analysis/analyze';
import { NotebookAnalyses, type NotebookCell } from '../analysis/notebook';
import { FileError } from './files';

import type { CellStart } from '../present/summary';

export type { CellStart };

export interface NotebookSource {
  /** The code cells joined by newlines: what is analyzed. */
  text: string;
  cells: CellStart[];
}

function blankMagics(text: string): string {
  return text.replace(
    /^([ \t]*)([%!][^\n]*)/gm,
    (_, indent: string, magic: string) => indent + ' '.repeat(magic.length),
  );
}

/** The code cells of a notebook's JSON; a file that is not one is a one-line FileError. */
export function notebookCells(json: string, path: string): { cells: NotebookCell[]; numbers: number[] } {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch (e) {
    throw new FileError(`cannot read '${path}': not a Jupyter notebook (${(e as Error).message.split('\n')[0]})`);
  }
  const raw = (nb as { cells?: unknown }).cells;
  if (!Array.isArray(raw)) throw new FileError(`cannot read '${path}': not a Jupyter notebook (no "cells" list)`);
  const cells: NotebookCell[] = [];
  const numbers: number[] = [];
  raw.forEach((c: unknown, i) => {
    const cell = c as { cell_type?: unknown; source?: unknown };
    if (cell?.cell_type !== 'code') return;
    const src = Array.isArray(cell.source)
      ? cell.source.filter((s): s is string => typeof s === 'string').join('')
      : typeof cell.source === 'string'
        ? cell.source
        : '';
    cells.push({ id: String(i), version: 0, text: blankMagics(src.replace(/\r\n?/g, '\n')) });
    numbers.push(i + 1);
  });
  return { cells, numbers };
}

/** Analyzes a notebook's code cells together; `analyze` is the file analysis (with its resolver). */
export function analyzeNotebook(
  json: string,
  path: string,
  analyze: (text: string) => AnalysisResult,
): { source: NotebookSource; result: AnalysisResult } {
  const { cells, numbers } = notebookCells(json, path);
  let text = '';
  let whole: AnalysisResult = { models: [], diagnostics: [], capped: null };
  if (cells.length > 0) {
    // the editor's notebook analysis: one analysis of the joined cells (its rule for the text)
    const analyses = new NotebookAnalyses((_key, _stamp, t) => {
      text = t;
      whole = analyze(t);
      return whole;
    });
    analyses.cell(path, cells, 0);
  }
  const starts: CellStart[] = [];
  let at = 0;
  cells.forEach((c, i) => {
    starts.push({ start: at, cell: numbers[i]! });
    at += c.text.length + 1;
  });
  return { source: { text, cells: starts }, result: whole };
}
