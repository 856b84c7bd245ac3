/**
 * nn.LayerNorm(normalized_shape) needs the input's last axes to be normalized_shape: torch 1.13
 * raises "Given normalized_shape=[5], expected input with shape [*, 5], but got input of size[2, 3]"
 * and takes (2, 4, 3) with normalized_shape (4, 3).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const result = (src: string) => {
  const r = analyze(src);
  return [
    r.diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]),
    r.models[0]!.layers.at(-1)!.outputShape,
  ];
};
const marked = (src: string) => analyze(src).diagnostics.map((d) => src.slice(d.range.from, d.range.to));

describe('nn.LayerNorm: the input’s last axes', () => {
  it('LayerNorm(5) on (N, 3) is refused at normalized_shape (torch 1.13)', () => {
    const src = torch('nn.LayerNorm(5)', '2, 3');
    expect(result(src)).toEqual([
      [
        [
          'error',
          'bad-argument',
          "LayerNorm '0': Given normalized_shape=[5], expected input with shape [*, 5], but got input of size (N, 3)",
        ],
      ],
      null,
    ]);
    expect(marked(src)).toEqual(['5']);
  });
  it('LayerNorm((4, 3)) on (N, 3, 3) is refused; on (N, 4, 3) it runs with 24 parameters (torch 1.13)', () => {
    expect(result(torch('nn.LayerNorm((4, 3))', '2, 3, 3'))[0]).toEqual([
      [
        'error',
        'bad-argument',
        "LayerNorm '0': Given normalized_shape=[4, 3], expected input with shape [*, 4, 3], but got input of size (N, 3, 3)",
      ],
    ]);
    const src = torch('nn.LayerNorm((4, 3))', '2, 4, 3');
    expect(result(src)[0]).toEqual([]);
    expect(analyze(src).models[0]!.layers.at(-1)!.params).toBe(24);
  });
  it('LayerNorm((2, 4, 3)) on a 2-axis input is refused', () => {
    expect((result(torch('nn.LayerNorm((2, 4, 3))', '4, 3'))[0] as unknown[][]).map((m) => m.slice(0, 2))).toEqual([
      ['error', 'bad-argument'],
    ]);
  });
  it('LayerNorm((3, 5, 7)) on (N, 3): more axes than the input has, refused (torch 1.13)', () => {
    expect((result(torch('nn.LayerNorm((3, 5, 7))', '2, 3'))[0] as unknown[][]).map((m) => m.slice(0, 2))).toEqual([
      ['error', 'bad-argument'],
    ]);
  });
  it('LayerNorm((4, 3)) on a (4, 3) input runs (torch 1.13): its first size, read as the batch, is not checked', () => {
    expect(result(torch('nn.LayerNorm((4, 3))', '4, 3'))[0]).toEqual([]);
  });
});
