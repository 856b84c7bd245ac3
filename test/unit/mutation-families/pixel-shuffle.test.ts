/**
 * PixelShuffle and PixelUnshuffle as a user sees them: shapes (torch 1.13, batched, unbatched and
 * with more leading axes), PyTorch's three refusals and the size each names, symbolic sizes on an
 * unknown input, the receptive field (a shuffle divides the step by r; an unshuffle gathers an r×r
 * block: size + (r − 1)·step, step·r), no parameters, and the channel order of the values (torch 1.13).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import sys\nimport torch\nimport torch.nn as nn\nc = int(sys.argv[1])\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
function forward(src: string, s: number[], data: number[]) {
  const out = runModel(analyze(src).models[0]!, tensor(s, data), () => new Float32Array(0)).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('pixel shuffling: shapes and refusals (torch 1.13)', () => {
  it('PixelShuffle(2): (1, 8, 2, 3) → (1, 2, 4, 6); (2, 3, 8, 2, 3) → (2, 3, 2, 4, 6); no parameters', () => {
    const n = last(torch('nn.PixelShuffle(2)', '1, 8, 2, 3'));
    expect([n.outputShape!.slice(1), n.params, n.paramsFormula]).toEqual([[2, 4, 6], 0, '0']);
    expect(shape(torch('nn.PixelShuffle(2)', '2, 3, 8, 2, 3'))!.slice(1)).toEqual(['3', '2', '4', '6']);
  });
  it('a 3-D input is taken (torch 1.13: (8, 2, 3) → (2, 4, 6)); its first size reads as the batch here', () => {
    const src = torch('nn.PixelShuffle(2)', '8, 2, 3');
    expect(messages(src)).toEqual([]);
    expect(shape(src)!.slice(1)).toEqual(['4', '6']);
  });
  it('PixelUnshuffle(2): (1, 2, 4, 6) → (1, 8, 2, 3); PixelUnshuffle(3): (1, 2, 3, 3) → (1, 18, 1, 1)', () => {
    expect(shape(torch('nn.PixelUnshuffle(2)', '1, 2, 4, 6'))!.slice(1)).toEqual(['8', '2', '3']);
    expect([
      last(torch('nn.PixelUnshuffle(2)', '1, 2, 4, 6')).params,
      last(torch('nn.PixelUnshuffle(2)', '1, 2, 4, 6')).paramsFormula,
    ]).toEqual([0, '0']);
    expect(shape(torch('nn.PixelUnshuffle(3)', '1, 2, 3, 3'))!.slice(1)).toEqual(['18', '1', '1']);
  });
  it('channels not divisible by r²: refused, naming them (torch: "input.size(-3)=6 is not divisible by 4")', () => {
    const src = torch('nn.PixelShuffle(2)', '1, 6, 2, 2');
    expect(messages(src)).toEqual([
      [
        'error',
        'bad-argument',
        "PixelShuffle '0': pixel_shuffle expects the channel dimension (6) to be divisible by upscale_factor² = 4",
      ],
    ]);
    expect(last(src).outputShape).toBeNull();
  });
  it('fewer than 3 dimensions: refused by both (torch: "expects input to have at least 3 dimensions")', () => {
    expect(messages(torch('nn.PixelShuffle(2)', '4, 2'))).toEqual([
      [
        'error',
        'bad-argument',
        "PixelShuffle '0': pixel_shuffle expects input to have at least 3 dimensions, got (N, 2)",
      ],
    ]);
    expect(messages(torch('nn.PixelUnshuffle(3)', '1, 2'))).toEqual([
      [
        'error',
        'bad-argument',
        "PixelUnshuffle '0': pixel_unshuffle expects input to have at least 3 dimensions, got (N, 2)",
      ],
    ]);
  });
  it('a height or width not divisible by r: refused, naming which (torch 1.13)', () => {
    expect(messages(torch('nn.PixelUnshuffle(2)', '1, 1, 3, 4'))).toEqual([
      [
        'error',
        'bad-argument',
        "PixelUnshuffle '0': pixel_unshuffle expects height (3) to be divisible by downscale_factor = 2",
      ],
    ]);
    const w = torch('nn.PixelUnshuffle(2)', '1, 1, 4, 3');
    expect(messages(w)).toEqual([
      [
        'error',
        'bad-argument',
        "PixelUnshuffle '0': pixel_unshuffle expects width (3) to be divisible by downscale_factor = 2",
      ],
    ]);
    expect(last(w).outputShape).toBeNull();
  });
  it('the panel shows it as an other row', () => {
    expect(panelSpec(last(torch('nn.PixelShuffle(2)', '1, 8, 2, 3')))).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('pixel shuffling: unknown sizes and the receptive field', () => {
  it('on an unknown input: C/4, 2*H, 2*W and 4*C, H/2, W/2; with r = 1 the sizes stay', () => {
    expect(shape(torch('nn.PixelShuffle(2)', '1, c, c, c'))).toEqual(['N', 'C/4', '2*H', '2*W']);
    expect(shape(torch('nn.PixelUnshuffle(2)', '1, c, c, c'))).toEqual(['N', '4*C', 'H/2', 'W/2']);
    expect(shape(torch('nn.PixelShuffle(1)', '1, c, c, c'))).toEqual(['N', 'C', 'H', 'W']);
    expect(shape(torch('nn.PixelUnshuffle(1)', '1, c, c, c'))).toEqual(['N', 'C', 'H', 'W']);
    expect(messages(torch('nn.PixelUnshuffle(2)', '1, c, c, c')).map((m) => m[1])).toEqual(['input-unknown']);
  });
  it('Conv2d(k=3) then PixelShuffle(2): size 3, step 1/2', () => {
    expect(last(torch('nn.Conv2d(1, 4, 3), nn.PixelShuffle(2)', '1, 1, 5, 5')).receptiveField).toEqual({
      size: [3, 3],
      jump: [0.5, 0.5],
    });
  });
  it('Conv2d(k=3, stride=2) then PixelUnshuffle(2): size 3 + 1·2 = 5, step 4', () => {
    expect(last(torch('nn.Conv2d(1, 4, 3, stride=2), nn.PixelUnshuffle(2)', '1, 1, 9, 9')).receptiveField).toEqual({
      size: [5, 5],
      jump: [4, 4],
    });
  });
});

describe('pixel shuffling: values (torch 1.13)', () => {
  it('PixelShuffle(2) on 0…15 as (1, 4, 2, 2)', () => {
    expect(forward(torch('nn.PixelShuffle(2)', '1, 4, 2, 2'), [1, 4, 2, 2], range(16))).toEqual({
      shape: [1, 1, 4, 4],
      data: [0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7, 10, 14, 11, 15],
    });
  });
  it('PixelUnshuffle(2) on 0…15 as (1, 1, 4, 4)', () => {
    expect(forward(torch('nn.PixelUnshuffle(2)', '1, 1, 4, 4'), [1, 1, 4, 4], range(16))).toEqual({
      shape: [1, 4, 2, 2],
      data: [0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15],
    });
  });
});
