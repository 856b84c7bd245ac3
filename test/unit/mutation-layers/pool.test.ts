/**
 * Pooling layers as a user sees them: the "leaves out the last rows" note, the equivalent layer in
 * the other framework, window reads, the panel's other pooling mode and global/adaptive shapes.
 * Sizes are worked by hand from the frameworks' formulas: PyTorch ⌊(in + 2p − d·(k − 1) − 1)/s⌋ + 1
 * (⌈ ⌉ with ceil_mode, the last window starting inside the input or the left padding); Keras
 * 'valid' ⌊(in − k)/s⌋ + 1, 'same' ⌈in/s⌉ with the extra pad after.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { LayerNode } from '../../../src/model/ir';
import { equivalentCode, panelSpec } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

function last(src: string): { node: LayerNode; notes: string[] } {
  const r = analyze(src);
  const node = r.models[0]!.layers.at(-1)!;
  const notes = r.diagnostics.filter((d) => d.code === 'pool-drops-border').map((d) => diagnosticMessage(d));
  return { node, notes };
}
const dims = (n: LayerNode) => n.outputShape!.slice(1);

describe('the cells a pooling window never reaches', () => {
  it('Keras MaxPooling2D(2) on 7×6: 3 windows cover rows 0–5, row 6 is left out', () => {
    const { node, notes } = last(keras('layers.MaxPooling2D(2)', '(7, 6, 3)'));
    expect(dims(node)).toEqual([3, 3, 3]);
    expect(notes).toEqual([
      "MaxPooling2D 'max_pooling2d': the 2×2 window with stride 2×2 leaves out the last 1 row of the 7×6 input",
    ]);
  });
  it('Keras MaxPooling2D(2) on 6×7: the last column', () => {
    expect(last(keras('layers.MaxPooling2D(2)', '(6, 7, 3)')).notes).toEqual([
      "MaxPooling2D 'max_pooling2d': the 2×2 window with stride 2×2 leaves out the last 1 column of the 6×7 input",
    ]);
  });
  it('PyTorch MaxPool2d(2, stride=3, padding=1) on 8×8: windows start at −1, 2, 5 and end at 6', () => {
    // out = ⌊(8 + 2 − 2)/3⌋ + 1 = 3; the last window covers cells 5, 6: cell 7 is left out
    const { node, notes } = last(torch('nn.MaxPool2d(2, stride=3, padding=1)', '1, 3, 8, 8'));
    expect(dims(node)).toEqual([3, 3, 3]);
    expect(notes).toEqual([
      "MaxPool2d '0': the 2×2 window with stride 3×3 leaves out the last 1 row and 1 column of the 8×8 input",
    ]);
  });
  it('PyTorch MaxPool2d(2, stride=2, dilation=2) on 8×9: taps 2 apart, windows at 0, 2, 4 (rows) and 0–6 (columns)', () => {
    // rows: ⌊(8 − 3)/2⌋ + 1 = 3, the last window reads rows 4 and 6, row 7 is left out
    // columns: ⌊(9 − 3)/2⌋ + 1 = 4, the last window reads columns 6 and 8: none left out
    const { node, notes } = last(torch('nn.MaxPool2d(2, stride=2, dilation=2)', '1, 3, 8, 9'));
    expect(dims(node)).toEqual([3, 3, 4]);
    expect(notes).toEqual(["MaxPool2d '0': the 2×2 window with stride 2×2 leaves out the last 1 row of the 8×9 input"]);
  });
  it('PyTorch MaxPool1d(3) on 8 steps: 2 windows, 2 steps left out', () => {
    const { node, notes } = last(torch('nn.MaxPool1d(3)', '1, 2, 8'));
    expect(dims(node)).toEqual([2, 2]);
    expect(notes).toEqual(["MaxPool1d '0': the 3 window with stride 3 leaves out the last 2 steps of the 8 input"]);
  });
  it("nothing is said with ceil_mode or 'same', nor when the windows reach the end", () => {
    // ceil_mode: ⌈(7 − 2)/2⌉ + 1 = 4 windows, the last one reads row 6
    expect(last(torch('nn.MaxPool2d(2, ceil_mode=True)', '1, 3, 7, 7')).notes).toEqual([]);
    expect(last(keras('layers.MaxPooling2D(2, padding="same")', '(7, 7, 3)')).notes).toEqual([]);
    expect(last(keras('layers.MaxPooling2D(2)', '(8, 8, 3)')).notes).toEqual([]);
  });
});

describe('pooling: window reads and parameters', () => {
  it('MaxPooling2D(2) on 8×8×3: 4·4·3 outputs × 4 reads = 192, no parameters', () => {
    const { node } = last(keras('layers.MaxPooling2D(2)', '(8, 8, 3)'));
    expect([node.flops, node.params, node.trainableParams, node.paramsFormula]).toEqual([192, 0, 0, '0']);
  });
  it('MaxPool2d((2, 3)) on 3×6×9: 3·3 outputs × 3 channels × 6 reads = 162', () => {
    expect(last(torch('nn.MaxPool2d((2, 3))', '1, 3, 6, 9')).node.flops).toBe(162);
  });
  it('PyTorch pooling pads over half the kernel are refused (PyTorch raises)', () => {
    const r = analyze(torch('nn.MaxPool2d(3, padding=2)', '1, 3, 8, 8'));
    const d = r.diagnostics.find((x) => x.code === 'pool-padding-too-large')!;
    expect(diagnosticMessage(d)).toBe(
      "MaxPool2d '0': padding 2 is more than half of kernel size 3; PyTorch raises here",
    );
    // k=(4, 2), padding=(2, 1): both exactly half — accepted, ⌊(8 + 4 − 4)/4⌋ + 1 = 3, ⌊(8 + 2 − 2)/2⌋ + 1 = 5
    const ok = last(torch('nn.MaxPool2d((4, 2), padding=(2, 1))', '1, 3, 8, 8'));
    expect(dims(ok.node)).toEqual([3, 3, 5]);
    const wide = analyze(torch('nn.MaxPool2d((4, 2), padding=(1, 2))', '1, 3, 8, 8'));
    expect(wide.diagnostics.map((x) => x.code)).toContain('pool-padding-too-large');
  });
});

describe('the equivalent pooling layer in the other framework', () => {
  it("Keras 'same' max pooling 3/2 on 7×7 pads 1 on each side: PyTorch padding=1 with ceil_mode gives the same 4×4", () => {
    // Keras: out ⌈7/2⌉ = 4, pad total (4 − 1)·2 + 3 − 7 = 2 → 1/1; PyTorch: ⌈(7 + 2 − 3)/2⌉ + 1 = 4
    expect(equivalentCode(last(keras('layers.MaxPooling2D(3, strides=2, padding="same")', '(7, 7, 3)')).node)).toBe(
      "# 'same' pooling pads 1/1/1/1; PyTorch pads symmetrically:\nnn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)",
    );
  });
  it("Keras 'same' average pooling divides by the real cells: count_include_pad=False", () => {
    expect(equivalentCode(last(keras('layers.AveragePooling2D(3, strides=2, padding="same")', '(7, 7, 3)')).node)).toBe(
      "# 'same' pooling pads 1/1/1/1; PyTorch pads symmetrically:\nnn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False, ceil_mode=True)",
    );
  });
  it("Keras 'same' that pads nothing, and 'valid', are the plain PyTorch layer", () => {
    // 8 = 4·2 exactly: no padding
    expect(equivalentCode(last(keras('layers.MaxPooling2D(2, padding="same")', '(8, 8, 3)')).node)).toBe(
      'nn.MaxPool2d(2)',
    );
    expect(equivalentCode(last(keras('layers.AveragePooling2D(2)', '(8, 8, 3)')).node)).toBe('nn.AvgPool2d(2)');
    expect(equivalentCode(last(keras('layers.MaxPooling2D((2, 3), strides=(2, 1))', '(7, 6, 3)')).node)).toBe(
      'nn.MaxPool2d((2, 3), stride=(2, 1))',
    );
  });
  it('PyTorch pads become a ZeroPadding2D in front; ceil_mode is pointed out', () => {
    expect(equivalentCode(last(torch('nn.AvgPool2d(3, stride=2, padding=1)', '1, 3, 8, 8')).node)).toBe(
      'layers.ZeroPadding2D(1), layers.AveragePooling2D(pool_size=3, strides=2)',
    );
    expect(equivalentCode(last(torch('nn.MaxPool2d(2)', '1, 3, 8, 8')).node)).toBe('layers.MaxPooling2D(pool_size=2)');
    expect(equivalentCode(last(torch('nn.MaxPool2d(3, stride=2, ceil_mode=True)', '1, 3, 8, 8')).node)).toBe(
      "layers.MaxPooling2D(pool_size=3, strides=2)  # ceil_mode=True: use padding='same' when it gives the same size",
    );
  });
  it('a dilated PyTorch window has no Keras equivalent (Keras pooling takes no dilation)', () => {
    // MaxPooling2D(2) on 8×9 would give 4×4, not the dilated window's 3×4
    expect(equivalentCode(last(torch('nn.MaxPool2d(2, stride=2, dilation=2)', '1, 3, 8, 9')).node)).toBeNull();
  });
  it('1-D pooling has no equivalent line', () => {
    expect(equivalentCode(last(torch('nn.MaxPool1d(3)', '1, 2, 8')).node)).toBeNull();
  });
});

describe('the panel offers the other pooling mode on the same window', () => {
  it('max → average and average → max, the window kept', () => {
    const max = panelSpec(last(keras('layers.MaxPooling2D(3, strides=2)', '(9, 9, 3)')).node);
    expect(max.kind).toBe('pool');
    expect(max.row).toBe('pool');
    expect(max.pool!.mode).toBe('max');
    expect(max.pool!.other).toMatchObject({ kind: 'pool', c: { mode: 'avg', pool: [3, 3], strides: [2, 2] } });
    const avg = panelSpec(last(keras('layers.AveragePooling2D(2)', '(8, 8, 3)')).node);
    expect(avg.pool!.mode).toBe('avg');
    expect(avg.pool!.other).toMatchObject({ kind: 'pool', c: { mode: 'max' } });
  });
});

describe('global and adaptive pooling shapes', () => {
  it('Keras GlobalAveragePooling2D: (C), with keepdims (1, 1, C)', () => {
    expect(dims(last(keras('layers.GlobalAveragePooling2D()', '(5, 7, 3)')).node)).toEqual([3]);
    expect(dims(last(keras('layers.GlobalAveragePooling2D(keepdims=True)', '(5, 7, 3)')).node)).toEqual([1, 1, 3]);
    expect(dims(last(keras('layers.GlobalMaxPooling1D(keepdims=True)', '(9, 4)')).node)).toEqual([1, 4]);
  });
  it('PyTorch AdaptiveAvgPool2d((3, None)) keeps the width; on a 3-D (C, H, W) input too', () => {
    expect(dims(last(torch('nn.AdaptiveAvgPool2d((3, None))', '1, 4, 9, 7')).node)).toEqual([4, 3, 7]);
    const unbatched = analyze(torch('nn.AdaptiveMaxPool2d(2)', '4, 9, 7')).models[0]!.layers.at(-1)!;
    // PyTorch: (4, 9, 7) → (4, 2, 2); the analyzer names the example's first size N
    expect(unbatched.outputShape!.length).toBe(3);
    expect(unbatched.outputShape!.slice(1)).toEqual([2, 2]);
    expect(dims(last(torch('nn.AdaptiveAvgPool1d(5)', '1, 4, 20')).node)).toEqual([4, 5]);
  });
  it('adaptive pooling on a 2-D tensor is a rank error', () => {
    const r = analyze(torch('nn.AdaptiveAvgPool2d(2)', '4, 9'));
    expect(r.diagnostics.map((d) => d.severity)).toContain('error');
  });
});

describe('pooling values (worked by hand from the frameworks’ documented rules)', () => {
  function forward(src: string, shape: number[], data: number[]): number[] {
    const graph = analyze(src).models[0]!;
    const runs = runModel(graph, tensor(shape, data), () => {
      throw new Error('pooling has no weights');
    });
    return Array.from(runs.at(-1)!.output.data).map((v) => Math.round(v * 1e6) / 1e6);
  }
  it('PyTorch AvgPool2d(3, stride=1, padding=1) counts the zero padding by default: corner 4/9, edge 6/9', () => {
    const y = forward(torch('nn.AvgPool2d(3, stride=1, padding=1)', '1, 1, 3, 3'), [1, 1, 3, 3], new Array(9).fill(1));
    const [c, e] = [Math.round((4 / 9) * 1e6) / 1e6, Math.round((6 / 9) * 1e6) / 1e6];
    expect(y).toEqual([c, e, c, e, 1, e, c, e, c]);
  });
  it('count_include_pad=False divides by the real cells: all ones', () => {
    const y = forward(
      torch('nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)', '1, 1, 3, 3'),
      [1, 1, 3, 3],
      new Array(9).fill(1),
    );
    expect(y).toEqual(new Array(9).fill(1));
  });
  it("Keras 'same' average pooling divides by the real cells", () => {
    const y = forward(
      keras('layers.AveragePooling2D(3, strides=1, padding="same")', '(3, 3, 1)'),
      [1, 3, 3, 1],
      new Array(9).fill(1),
    );
    expect(y).toEqual(new Array(9).fill(1));
  });
  it('1-D: PyTorch MaxPool1d(2) and AvgPool1d(3, stride=1, padding=1)', () => {
    expect(forward(torch('nn.MaxPool1d(2)', '1, 1, 6'), [1, 1, 6], [1, 3, 2, 5, 4, 0])).toEqual([3, 5, 4]);
    const third = Math.round((2 / 3) * 1e6) / 1e6;
    expect(forward(torch('nn.AvgPool1d(3, stride=1, padding=1)', '1, 1, 4'), [1, 1, 4], [1, 1, 1, 1])).toEqual([
      third,
      1,
      1,
      third,
    ]);
  });
  it("1-D Keras 'same': the last window holds one real cell", () => {
    const x = [1, 3, 2, 5, 4];
    expect(forward(keras('layers.MaxPooling1D(2, padding="same")', '(5, 1)'), [1, 5, 1], x)).toEqual([3, 5, 4]);
    expect(forward(keras('layers.AveragePooling1D(2, padding="same")', '(5, 1)'), [1, 5, 1], x)).toEqual([2, 3.5, 4]);
  });
  it('PyTorch MaxPool2d(2, dilation=2) reads every other cell', () => {
    // 4×4 input 0..15, window taps (0,0),(0,2),(2,0),(2,2) from each start; stride 2 → one window at (0,0)
    const x = Array.from({ length: 16 }, (_, i) => i);
    expect(forward(torch('nn.MaxPool2d(2, dilation=2)', '1, 1, 4, 4'), [1, 1, 4, 4], x)).toEqual([10]);
  });
});

describe('global and adaptive pooling: values, the panel, 1-D adaptive values', () => {
  function run(src: string, shape: number[], data: number[]) {
    const graph = analyze(src).models[0]!;
    const out = runModel(graph, tensor(shape, data), () => {
      throw new Error('pooling has no weights');
    }).at(-1)!.output;
    return { shape: out.shape, data: Array.from(out.data) };
  }
  it('Keras GlobalAveragePooling1D over 3 steps of 2 channels, with and without keepdims', () => {
    const x = [1, 10, 2, 20, 6, 60];
    expect(run(keras('layers.GlobalAveragePooling1D(keepdims=True)', '(3, 2)'), [1, 3, 2], x)).toEqual({
      shape: [1, 1, 2],
      data: [3, 30],
    });
    expect(run(keras('layers.GlobalMaxPooling1D()', '(3, 2)'), [1, 3, 2], x)).toEqual({ shape: [1, 2], data: [6, 60] });
  });
  it('Keras GlobalMaxPooling2D(keepdims=True) on 2×2×1', () => {
    expect(run(keras('layers.GlobalMaxPooling2D(keepdims=True)', '(2, 2, 1)'), [1, 2, 2, 1], [4, -1, 7, 2])).toEqual({
      shape: [1, 1, 1, 1],
      data: [7],
    });
  });
  it('PyTorch AdaptiveAvgPool2d((1, None)) averages each column', () => {
    expect(run(torch('nn.AdaptiveAvgPool2d((1, None))', '1, 1, 2, 3'), [1, 1, 2, 3], [1, 2, 3, 5, 6, 7])).toEqual({
      shape: [1, 1, 1, 3],
      data: [3, 4, 5],
    });
  });
  it('PyTorch 1-D adaptive pooling: bins floor(i·L/n) … ceil((i+1)·L/n) (torch 1.13 gives these values)', () => {
    const x = [1, 2, 3, 4];
    expect(run(torch('nn.AdaptiveAvgPool1d(2)', '1, 1, 4'), [1, 1, 4], x)).toEqual({
      shape: [1, 1, 2],
      data: [1.5, 3.5],
    });
    expect(run(torch('nn.AdaptiveAvgPool1d(3)', '1, 1, 4'), [1, 1, 4], x)).toEqual({
      shape: [1, 1, 3],
      data: [1.5, 2.5, 3.5],
    });
    expect(run(torch('nn.AdaptiveMaxPool1d(3)', '1, 1, 4'), [1, 1, 4], x)).toEqual({
      shape: [1, 1, 3],
      data: [2, 3, 4],
    });
  });
  it('PyTorch AdaptiveAvgPool1d(2) on 1…5: bins [0, 3) and [2, 5) give 2 and 4 (torch 1.13)', () => {
    // bin i spans ⌊i·5/2⌋ … ⌈(i + 1)·5/2⌉
    const graph = analyze(torch('nn.AdaptiveAvgPool1d(2)', '1, 1, 5')).models[0]!;
    const runs = runModel(graph, tensor([1, 1, 5], [1, 2, 3, 4, 5]), () => new Float32Array(0));
    expect(Array.from(runs.at(-1)!.output.data)).toEqual([2, 4]);
  });
  it('global and adaptive pooling show as plain pooling rows in the panel', () => {
    expect(panelSpec(last(keras('layers.GlobalAveragePooling2D()', '(5, 5, 3)')).node)).toEqual({
      kind: 'other',
      row: 'pool',
    });
    expect(panelSpec(last(torch('nn.AdaptiveAvgPool2d(2)', '1, 3, 8, 8')).node)).toEqual({
      kind: 'other',
      row: 'pool',
    });
    expect(equivalentCode(last(torch('nn.AdaptiveAvgPool2d(2)', '1, 3, 8, 8')).node)).toBeNull();
    expect(equivalentCode(last(keras('layers.GlobalAveragePooling2D()', '(5, 5, 3)')).node)).toBeNull();
  });
});

describe('pooling: per-axis equivalents, severities, where a message points, rank refusals', () => {
  it("Keras 'same' 3/2 on 7×8 pads 1/1 rows and 0/1 columns: PyTorch padding=(1, 0) with ceil_mode gives 4×4", () => {
    // rows ⌈(7 + 2 − 3)/2⌉ + 1 = 4; columns ⌈(8 − 3)/2⌉ + 1 = 4 (padding 1 there would give 5)
    const { node } = last(keras('layers.MaxPooling2D(3, strides=2, padding="same")', '(7, 8, 3)'));
    expect(dims(node)).toEqual([4, 4, 3]);
    expect(equivalentCode(node)).toBe(
      "# 'same' pooling pads 1/1/0/1; PyTorch pads symmetrically:\nnn.MaxPool2d(3, stride=2, padding=(1, 0), ceil_mode=True)",
    );
  });
  it("Keras 'same' 2/2 on 8×7 pads one column after only: still not the plain layer", () => {
    // columns: ⌈7/2⌉ = 4, total (4 − 1)·2 + 2 − 7 = 1 → 0/1; PyTorch ⌈(7 − 2)/2⌉ + 1 = 4 with ceil_mode
    expect(equivalentCode(last(keras('layers.MaxPooling2D(2, padding="same")', '(8, 7, 3)')).node)).toBe(
      "# 'same' pooling pads 0/0/0/1; PyTorch pads symmetrically:\nnn.MaxPool2d(2, stride=2, padding=0, ceil_mode=True)",
    );
  });
  it('PyTorch padding=(1, 0) becomes ZeroPadding2D((1, 0)), not 1 on every side', () => {
    // PyTorch: ⌊(8 + 2 − 3)/1⌋ + 1 = 8 rows, 8 − 3 + 1 = 6 columns; Keras after ZeroPadding2D((1, 0)): 10×8 → 8×6
    const { node } = last(torch('nn.MaxPool2d(3, stride=1, padding=(1, 0))', '1, 3, 8, 8'));
    expect(dims(node)).toEqual([3, 8, 6]);
    expect(equivalentCode(node)).toBe('layers.ZeroPadding2D((1, 0)), layers.MaxPooling2D(pool_size=3, strides=1)');
  });
  it('the border note is information, the oversized padding an error on the padding argument', () => {
    const src = torch('nn.MaxPool2d(3, padding=2)', '1, 3, 8, 8');
    const r = analyze(src);
    const d = r.diagnostics.find((x) => x.code === 'pool-padding-too-large')!;
    expect(d.severity).toBe('error');
    expect(src.slice(d.range.from, d.range.to)).toBe('2');
    const note = analyze(keras('layers.MaxPooling2D(2)', '(7, 6, 3)')).diagnostics.find(
      (x) => x.code === 'pool-drops-border',
    )!;
    expect(note.severity).toBe('info');
  });
  it('a 2-D pooling on a sequence, a global 2-D pooling on a sequence, adaptive pooling of the wrong rank: refused', () => {
    const msgs = (src: string) =>
      analyze(src)
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => diagnosticMessage(d));
    expect(msgs(keras('layers.MaxPooling2D(2)', '(6, 3)'))).toHaveLength(1);
    expect(msgs(keras('layers.GlobalAveragePooling2D()', '(6, 3)'))).toHaveLength(1);
    const a2 = msgs(torch('nn.AdaptiveAvgPool2d(2)', '4, 9'));
    const a1 = msgs(torch('nn.AdaptiveAvgPool1d(2)', '1, 2, 4, 9'));
    expect(a2).toHaveLength(1);
    expect(a1).toHaveLength(1);
    // each names the rank its layer takes
    expect(a2[0]).toBe("AdaptiveAvgPool2d '0': expects a 4-D (N, C, H, W) input but receives (N, 9)");
    expect(a1[0]).toMatch(/expects a 3-D \(N, C, L\) input/);
  });
  it('global and adaptive pooling have no parameters: formula 0', () => {
    expect(last(keras('layers.GlobalAveragePooling2D()', '(5, 5, 3)')).node.paramsFormula).toBe('0');
    expect(last(torch('nn.AdaptiveAvgPool2d(2)', '1, 3, 8, 8')).node.paramsFormula).toBe('0');
  });
  it('window reads are unknown while the input size is', () => {
    const r = analyze(
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.pool = nn.MaxPool2d(2)\n    def forward(self, x):\n        return self.pool(x)\nmodel = Net()\n',
    );
    const node = r.models[0]!.layers.at(-1)!;
    expect(node.flops).toBeNull();
  });
});

describe("Keras 'same' pooling that pads one axis only", () => {
  it('rows 0/1 only (7×8, 2/2): not the plain layer', () => {
    // rows: ⌈7/2⌉ = 4, total (4 − 1)·2 + 2 − 7 = 1 → 0/1; columns: 8 = 4·2, no padding
    expect(equivalentCode(last(keras('layers.MaxPooling2D(2, padding="same")', '(7, 8, 3)')).node)).toBe(
      "# 'same' pooling pads 0/1/0/0; PyTorch pads symmetrically:\nnn.MaxPool2d(2, stride=2, padding=0, ceil_mode=True)",
    );
  });
  it('columns 1/1 only ((1, 3) window, strides (1, 2), on 8×7): PyTorch padding=(0, 1)', () => {
    // rows: total 7·1 + 1 − 8 = 0; columns: ⌈7/2⌉ = 4, total 3·2 + 3 − 7 = 2 → 1/1;
    // PyTorch: rows ⌈(8 − 1)/1⌉ + 1 = 8, columns ⌈(7 + 2 − 3)/2⌉ + 1 = 4
    const { node } = last(keras('layers.MaxPooling2D((1, 3), strides=(1, 2), padding="same")', '(8, 7, 3)'));
    expect(dims(node)).toEqual([8, 4, 3]);
    expect(equivalentCode(node)).toBe(
      "# 'same' pooling pads 0/0/1/1; PyTorch pads symmetrically:\nnn.MaxPool2d((1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True)",
    );
  });
});
