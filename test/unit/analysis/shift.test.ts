/** Notebook cells: ranges moved into the cell's own coordinates, earlier cells negative. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { shiftResult } from '../../../src/analysis/shift';

type R = { from: number; to: number };

/** Every {from, to} in a value, with the path it was found at (layers sharing a spec repeat it). */
function ranges(v: unknown, path = '', out: [string, R][] = []): [string, R][] {
  if (Array.isArray(v)) v.forEach((x, i) => ranges(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o['from'] === 'number' && typeof o['to'] === 'number')
      out.push([path, { from: o['from'], to: o['to'] }]);
    for (const [k, x] of Object.entries(o)) ranges(x, `${path}.${k}`, out);
  }
  return out;
}

const CELL1 = 'import torch, torch.nn as nn\n';
const CELL2 = 'm = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Conv2d(8, 4, 3))\nm(torch.zeros(1, 3, 10, 10))';

describe('shiftResult', () => {
  it('moves every range of models, layers, arguments, diagnostics and fixes', () => {
    const full = `${CELL1}\n${CELL2}`;
    const base = CELL1.length + 1;
    const r = shiftResult(analyze(full), base);
    const layer = r.models[0]!.layers[1]!;
    expect(CELL2.slice(layer.spec.range.from, layer.spec.range.to)).toBe('nn.Conv2d(8, 4, 3)');
    expect(CELL2.slice(layer.argRanges['in_channels']!.from, layer.argRanges['in_channels']!.to)).toBe('8');
    const d = r.diagnostics.find((x) => x.code === 'channel-mismatch')!;
    expect(CELL2.slice(d.range.from, d.range.to)).toBe('8');
    expect(d.fix!.edits[0]!.range).toEqual(d.range);
  });

  it('every range of the result, wherever it is, is the original moved by −base; the original is untouched', () => {
    const src = `${CELL1}\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n        self.pool = nn.MaxPool2d(2)\n        self.fc = nn.Linear(100, 10)\n\n    def forward(self, x):\n        x = self.pool(F.relu(self.conv(x)))\n        x = self.pool(x)\n        return self.fc(x.flatten(1))\n\nNet()(torch.zeros(1, 3, 12, 12))\n`;
    const original = analyze(src);
    const before = JSON.stringify(original);
    const base = 17;
    const shifted = shiftResult(original, base);
    expect(JSON.stringify(original)).toBe(before);
    const a = ranges(original);
    const b = ranges(shifted);
    // the model's, every layer's spec, call and argument ranges, the diagnostics' and their fixes'
    expect(a.length).toBeGreaterThan(20);
    expect(a.some(([p]) => /\.fix\.edits\[0\]\.range$/.test(p))).toBe(true);
    expect(b.map(([p]) => p)).toEqual(a.map(([p]) => p));
    b.forEach(([p, r], i) => expect(r, p).toEqual({ from: a[i]![1].from - base, to: a[i]![1].to - base }));
    // a spec used by two calls (self.pool) is still one object
    const net = shifted.models[0]!;
    const pools = net.layers.filter((l) => l.spec.type === 'MaxPool2d');
    expect(pools.length).toBe(2);
    expect(pools[0]!.spec).toBe(pools[1]!.spec);
  });

  it('base 0 gives the result itself', () => {
    const r = analyze(CELL2);
    expect(shiftResult(r, 0)).toBe(r);
  });
});
