/**
 * Basic indexing of a PyTorch tensor (model/layers/indexing.ts) against torch 1.13: the shapes and
 * the messages it gives for x = torch.zeros(2, 4, 5, 6).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';

const CASES: [string, number[] | string][] = [
  // [index, torch's shape without the batch, or its message]
  ['x[:, 5]', 'index 5 is out of bounds for dimension 1 with size 4'],
  ['x[:, :, :, :, :]', 'too many indices for tensor of dimension 4'],
  ['x[:, ::0]', 'slice step cannot be zero'],
  ['x[:, ::-1]', 'step must be greater than zero'],
  ['x[..., ...]', [4, 5, 6]],
  ['x[:, -10:3]', [3, 5, 6]],
  ['x[:, 1:-1, None, ..., 2]', [2, 1, 5]],
  ['x[..., 1::4]', [4, 5, 2]],
  ['x[:, -1]', [5, 6]],
  ['x[:, 2:, 1:4:2]', [2, 2, 6]],
];

function run(index: string) {
  const src = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def forward(self, x):\n        return ${index}\n\nm = M()\ny = m(torch.zeros(2, 4, 5, 6))\n`;
  const r = analyze(src);
  const layer = r.models[0]!.layers.at(-1)!;
  return { layer, errors: r.diagnostics.filter((d) => d.severity === 'error') };
}

describe('tensor indexing', () => {
  for (const [index, want] of CASES) {
    it(`${index} → ${Array.isArray(want) ? `(N, ${want.join(', ')})` : want}`, () => {
      const { layer, errors } = run(index);
      if (Array.isArray(want)) {
        expect(errors).toEqual([]);
        expect(layer.outputShape?.slice(1)).toEqual(want);
      } else {
        expect(errors.map((d) => d.args.detail)).toEqual([want]);
      }
    });
  }
});
