/** A notebook is analyzed once per state, not once per cell's prefix; results of gone cells are dropped. */
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../../../src/analysis/analyze';
import { NotebookAnalyses, type NotebookCell } from '../../../src/analysis/notebook';

const CELL = (i: number): string => `c${i} = nn.Conv2d(3, 8, 3)\n`;

function counting(): { nb: NotebookAnalyses; calls: number; chars: number } {
  const out = {
    calls: 0,
    chars: 0,
    nb: null as unknown as NotebookAnalyses,
  };
  out.nb = new NotebookAnalyses((_key, _stamp, text): AnalysisResult => {
    out.calls++;
    out.chars += text.length;
    return analyze(text);
  });
  return out;
}

describe('notebook analyses', () => {
  it('every cell of a 400-cell notebook costs one analysis of the notebook’s text (a prefix per cell before)', () => {
    const cells: NotebookCell[] = [
      { id: 'a', text: 'import torch.nn as nn', version: 1 },
      ...Array.from({ length: 399 }, (_, i) => ({ id: String(i), text: CELL(i), version: 1 })),
    ];
    const total = cells.reduce((a, c) => a + c.text.length + 1, 0);
    const c = counting();
    for (let i = 0; i < cells.length; i++) c.nb.cell('nb', cells, i);
    expect(c.calls).toBe(1);
    expect(c.chars).toBeLessThanOrEqual(total);
  });

  it('a cell gets the notebook’s result in its own coordinates', () => {
    const cells: NotebookCell[] = [
      { id: 'a', text: 'import torch, torch.nn as nn', version: 1 },
      {
        id: 'b',
        text: 'm = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Conv2d(8, 4, 3))\nm(torch.zeros(1, 3, 10, 10))',
        version: 1,
      },
    ];
    const c = counting();
    const r = c.nb.cell('nb', cells, 1);
    const d = r.diagnostics.find((x) => x.code === 'channel-mismatch')!;
    expect(cells[1]!.text.slice(d.range.from, d.range.to)).toBe('8');
    expect(c.nb.cell('nb', cells, 1)).toBe(r);
    // the first cell's own result has the model past its end
    expect(c.nb.cell('nb', cells, 0).models[0]!.range.from).toBeGreaterThan(cells[0]!.text.length);
  });

  it('an edited, added or removed cell analyzes again and drops the results of the old state; closing drops all', () => {
    const cells: NotebookCell[] = Array.from({ length: 10 }, (_, i) => ({ id: String(i), text: CELL(i), version: 1 }));
    const c = counting();
    for (let i = 0; i < 10; i++) c.nb.cell('nb', cells, i);
    expect(c.nb.heldCells).toBe(10);
    const fewer = cells.slice(0, 5);
    c.nb.cell('nb', fewer, 4);
    expect(c.calls).toBe(2);
    expect(c.nb.heldCells).toBe(1);
    const edited = fewer.map((x, i) => (i === 2 ? { ...x, text: `${x.text}x = 1\n`, version: 2 } : x));
    c.nb.cell('nb', edited, 0);
    expect(c.calls).toBe(3);
    c.nb.forget('nb');
    expect(c.nb.heldCells).toBe(0);
  });
});
