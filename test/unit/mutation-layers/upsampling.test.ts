/**
 * Upsampling as a user sees it: output sizes from a scale or a size, the rank refusal, the receptive
 * field's step (an input step covers `scale` outputs), and values — PyTorch 'nearest' picks source
 * floor(dst · in/out) (torch 1.13), Keras Resizing 'nearest' floor((dst + 0.5) · in/out) (Keras 3),
 * UpSampling2D repeats each cell (Keras 3).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { panelSpec } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
function forward(src: string, shape: number[], data: number[]): { shape: number[]; data: number[] } {
  const graph = analyze(src).models[0]!;
  const out = runModel(graph, tensor(shape, data), () => new Float32Array(0)).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}

describe('upsampling: sizes, counts, the rank refusal', () => {
  it('nn.Upsample(size=(3, 5)) on 2×2 gives 3×5 whatever the input (torch 1.13); size=4 gives 4×4', () => {
    expect(last(torch('nn.Upsample(size=(3, 5))', '1, 1, 2, 2')).outputShape!.slice(1)).toEqual([1, 3, 5]);
    expect(last(torch('nn.Upsample(size=4)', '1, 1, 2, 2')).outputShape!.slice(1)).toEqual([1, 4, 4]);
  });
  it('UpSampling2D((2, 3)) on 2×2×1: 4×6×1, no parameters, formula 0', () => {
    const n = last(keras('layers.UpSampling2D((2, 3))', '(2, 2, 1)'));
    expect([n.outputShape!.slice(1), n.params, n.paramsFormula]).toEqual([[4, 6, 1], 0, '0']);
  });
  it('UpSampling2D on a 3-D input is refused (Keras 3: expected ndim=4)', () => {
    const r = analyze(keras('layers.UpSampling2D(2)', '(4, 3)'));
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['error', 'rank-mismatch']]);
    expect(r.models[0]!.layers.at(-1)!.outputShape).toBeNull();
  });
  it("the receptive field's step shrinks by the scale: stride-2 conv (step 2) then UpSampling2D((2, 4)) → steps 1, 0.5", () => {
    const n = last(keras('layers.Conv2D(1, 3, strides=2), layers.UpSampling2D((2, 4))', '(9, 9, 1)'));
    expect(n.receptiveField).toEqual({ size: [3, 3], jump: [1, 0.5] });
  });
  it('the panel shows upsampling as an other row', () => {
    expect(panelSpec(last(keras('layers.UpSampling2D(2)', '(2, 2, 1)')))).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('upsampling: values', () => {
  it('nn.Upsample(size=(1, 3)) on 1, 2: PyTorch nearest gives 1, 1, 2 (torch 1.13)', () => {
    expect(forward(torch('nn.Upsample(size=(1, 3))', '1, 1, 1, 2'), [1, 1, 1, 2], [1, 2])).toEqual({
      shape: [1, 1, 1, 3],
      data: [1, 1, 2],
    });
  });
  it('Keras Resizing(1, 3, interpolation="nearest") on 1, 2: half-pixel centres give 1, 2, 2 (Keras 3)', () => {
    expect(
      forward(keras('layers.Resizing(1, 3, interpolation="nearest")', '(1, 2, 1)'), [1, 1, 2, 1], [1, 2]).data,
    ).toEqual([1, 2, 2]);
  });
  it('nn.Upsample(scale_factor=(1, 2)) on 1, 2: only the width doubles, 1, 1, 2, 2 (torch 1.13)', () => {
    expect(forward(torch('nn.Upsample(scale_factor=(1, 2))', '1, 1, 1, 2'), [1, 1, 1, 2], [1, 2])).toEqual({
      shape: [1, 1, 1, 4],
      data: [1, 1, 2, 2],
    });
  });
  it('nn.Upsample(scale_factor=3) on 1, 2: 3×6 (torch 1.13)', () => {
    expect(forward(torch('nn.Upsample(scale_factor=3)', '1, 1, 1, 2'), [1, 1, 1, 2], [1, 2])).toEqual({
      shape: [1, 1, 3, 6],
      data: [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2],
    });
  });
  it('nn.Upsample(scale_factor=(2, 1.5)) on a 2×2 map: 4×3, columns from 0, 0, 1 (torch 1.13)', () => {
    expect(forward(torch('nn.Upsample(scale_factor=(2, 1.5))', '1, 1, 2, 2'), [1, 1, 2, 2], [1, 2, 3, 4])).toEqual({
      shape: [1, 1, 4, 3],
      data: [1, 1, 2, 1, 1, 2, 3, 3, 4, 3, 3, 4],
    });
  });
  it('nn.Upsample(scale_factor=(2, 1.5)) on 1, 2, 3: ⌊3·1.5⌋ = 4 columns, 1, 1, 2, 3 (torch 1.13)', () => {
    expect(forward(torch('nn.Upsample(scale_factor=(2, 1.5))', '1, 1, 1, 3'), [1, 1, 1, 3], [1, 2, 3])).toEqual({
      shape: [1, 1, 2, 4],
      data: [1, 1, 2, 3, 1, 1, 2, 3],
    });
  });
  it('bilinear scale 1.5 maps by 1/1.5, or by in/out = 3/4 with recompute_scale_factor=True (torch 1.13)', () => {
    // source (dst + 0.5)·r − 0.5: r = 2/3 gives 0, 0.5, 1.17, 1.83; r = 3/4 gives 0, 0.625, 1.375, 2
    const plain = forward(
      torch("nn.Upsample(scale_factor=(1, 1.5), mode='bilinear')", '1, 1, 1, 3'),
      [1, 1, 1, 3],
      [1, 2, 3],
    );
    [1, 1.5, 13 / 6, 17 / 6].forEach((v, i) => expect(plain.data[i]).toBeCloseTo(v, 5));
    const recomputed = forward(
      torch("nn.Upsample(scale_factor=(1, 1.5), mode='bilinear', recompute_scale_factor=True)", '1, 1, 1, 3'),
      [1, 1, 1, 3],
      [1, 2, 3],
    );
    [1, 1.625, 2.375, 3].forEach((v, i) => expect(recomputed.data[i]).toBeCloseTo(v, 5));
  });
  it('UpSampling1D(3) on 1, 2 repeats each step: 1, 1, 1, 2, 2, 2 (Keras 3)', () => {
    expect(forward(keras('layers.UpSampling1D(3)', '(2, 1)'), [1, 2, 1], [1, 2]).data).toEqual([1, 1, 1, 2, 2, 2]);
  });
  it('UpSampling2D((1, 3)) on 1, 2: 1, 1, 1, 2, 2, 2 (Keras 3)', () => {
    expect(forward(keras('layers.UpSampling2D((1, 3))', '(1, 2, 1)'), [1, 1, 2, 1], [1, 2]).data).toEqual([
      1, 1, 1, 2, 2, 2,
    ]);
  });
});
