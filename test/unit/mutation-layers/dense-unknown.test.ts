/**
 * Dense on inputs Keras 3 refuses or cannot build, and Linear counts without an example input.
 * Keras 3: Dense on Input(shape=()) raises "expected min_ndim=2, found ndim=1"; on Input(shape=(None,))
 * it cannot create its kernel (an unknown feature count), so there is no count and no weight.
 * torch 1.13: Linear(i, o) has i·o + o parameters, unknown when i or o is computed at run time.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { equivalentCode, paramSpecs } from '../../../src/model/nodes';

const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const noInput = (pre: string, layer: string) =>
  `import sys\nimport torch.nn as nn\n${pre}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = ${layer}\n    def forward(self, x):\n        return self.fc(x)\nmodel = Net()\n`;

describe('Dense on a 1-D input (Keras 3 refuses it)', () => {
  it('Input(shape=()) then Dense(3): a rank error, and no count', () => {
    const src = keras('layers.Dense(3)', '()');
    const r = analyze(src);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['error', 'rank-mismatch']]);
    expect(diagnosticMessage(r.diagnostics[0]!)).toContain('a batched');
    expect(r.models[0]!.layers.at(-1)!.params).toBeNull();
  });
});

describe('Dense with an unknown feature count', () => {
  it('Input(shape=(None,)) then Dense(3): no count, no weights; the equivalent names in_features', () => {
    const n = last(keras('layers.Dense(3)', '(None,)'));
    expect([n.params, n.flops, paramSpecs(n)]).toEqual([null, null, null]);
    expect(equivalentCode(n)).toBe('nn.Linear(in_features, 3)');
  });
  it('Input(shape=(5, None)) then Dense(3): the same', () => {
    const n = last(keras('layers.Dense(3)', '(5, None)'));
    expect([n.params, paramSpecs(n)]).toEqual([null, null]);
    expect(equivalentCode(n)).toBe('nn.Linear(in_features, 3)');
  });
});

describe('Linear without an example input, with a size computed at run time', () => {
  it('Linear(int(sys.argv[1]), 3) and Linear(4, int(sys.argv[1])): no count; Linear(4, 3): 15', () => {
    const count = (layer: string) => analyze(noInput('n = int(sys.argv[1])', layer)).models[0]!.layers.at(-1)!.params;
    expect(count('nn.Linear(n, 3)')).toBeNull();
    expect(count('nn.Linear(n, 3, bias=False)')).toBeNull();
    expect(count('nn.Linear(4, n)')).toBeNull();
    expect(count('nn.Linear(4, 3)')).toBe(15);
    expect(count('nn.Linear(4, 3, bias=False)')).toBe(12);
  });
});

describe('Linear after a refused layer (counted from its arguments alone)', () => {
  const after = (layer: string) =>
    analyze(
      `import sys\nimport torch\nimport torch.nn as nn\nn = int(sys.argv[1])\nmodel = nn.Sequential(nn.GroupNorm(4, 6), ${layer})\nout = model(torch.randn(1, 6, 4, 4))\n`,
    ).models[0]!.layers.at(-1)!.params;
  it('Linear(4, 3): 15; Linear(n, 3), Linear(4, n), Linear(n, n): no count (n computed at run time)', () => {
    expect(after('nn.Linear(4, 3)')).toBe(15);
    expect(after('nn.Linear(4, 3, bias=False)')).toBe(12);
    expect(after('nn.Linear(n, 3)')).toBeNull();
    expect(after('nn.Linear(4, n)')).toBeNull();
    expect(after('nn.Linear(n, n)')).toBeNull();
  });
});
