/** Notebook cells: ranges moved into the cell's own coordinates, earlier cells negative. */
import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => ({}));

describe('shiftResult', () => {
  it('moves every range of models, layers, arguments, diagnostics and fixes', async () => {
    const { shiftResult } = await import('../../../src/extension/analysisService');
    const { analyze } = await import('../../../src/analysis/analyze');
    const cell1 = 'import torch, torch.nn as nn\n';
    const cell2 = 'm = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Conv2d(8, 4, 3))\nm(torch.zeros(1, 3, 10, 10))';
    const full = `${cell1}\n${cell2}`;
    const base = cell1.length + 1;
    const r = shiftResult(analyze(full), base);
    const layer = r.models[0]!.layers[1]!;
    expect(cell2.slice(layer.spec.range.from, layer.spec.range.to)).toBe('nn.Conv2d(8, 4, 3)');
    expect(cell2.slice(layer.argRanges['in_channels']!.from, layer.argRanges['in_channels']!.to)).toBe('8');
    const d = r.diagnostics.find((x) => x.code === 'channel-mismatch')!;
    expect(cell2.slice(d.range.from, d.range.to)).toBe('8');
    expect(d.fix!.edits[0]!.range).toEqual(d.range);
  });
});
