/**
 * Tensor operations in forward() as the analyzer follows them: broadcasting with symbolic sizes,
 * a broadcast PyTorch refuses reported at the expression with PyTorch's message (from
 * test/fixtures/torch/tensor_ops.json, written by torch 1.13), and a number the analysis cannot
 * read keeping the shape but refusing to run with a message naming the node.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { RunError, runModel } from '../../../src/runtime/forward';
import { shapeText } from '../../../src/shared/dims';

const FIXTURE = JSON.parse(readFileSync('test/fixtures/torch/tensor_ops.json', 'utf8')) as {
  errors: { name: string; error: string }[];
};

const SE = (body: string, head = ''): string =>
  [
    'import os',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    head,
    'class Block(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(3, 8, 3, padding=1)',
    '        self.fc = nn.Conv2d(8, 4, 1)',
    "        self.scale = float(os.environ['SCALE'])",
    '    def forward(self, x):',
    '        x = self.conv(x)',
    body,
    '',
    'model = Block()',
  ].join('\n');

describe('tensor operations followed by the analyzer', () => {
  it('a squeeze-excitation gate (N, C, 1, 1) times (N, C, H, W) keeps symbolic H and W', () => {
    const r = analyze(SE('        return x * torch.sigmoid(F.adaptive_avg_pool2d(x, 1))'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const last = r.models[0]!.layers.at(-1)!;
    expect(last.spec.cfg.kind).toBe('binary');
    expect(shapeText(last.outputShape!)).toBe('(N, 8, H, W)');
  });

  it('channels that cannot broadcast are an error at the expression, in the words PyTorch raises', () => {
    const want = FIXTURE.errors.find((e) => e.name === 'add (2,8,4,4) with (2,4,1,1)')!.error;
    const src = SE('        return x + F.adaptive_avg_pool2d(self.fc(x), 1)', '# convlens: input_shape=(3, 4, 4)');
    const r = analyze(src);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['bad-argument']);
    expect(String(errors[0]!.args['detail'])).toContain(want);
    expect(src.slice(errors[0]!.range.from, errors[0]!.range.to)).toBe('x + F.adaptive_avg_pool2d(self.fc(x), 1)');
  });

  it('a tensor times a number the analysis cannot read keeps its shape, and running it names the node', () => {
    const r = analyze(SE('        return x * self.scale', '# convlens: input_shape=(3, 5, 4)'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = r.models[0]!;
    const last = model.layers.at(-1)!;
    expect(last.spec.cfg).toEqual({ kind: 'scalar', op: 'mul', value: null, scalarFirst: false });
    expect(shapeText(last.outputShape!)).toBe('(N, 8, 5, 4)');
    const x = tensor([1, 3, 5, 4], new Float32Array(60));
    const run = () => runModel(model, x, (_n, p) => new Float32Array(p.shape.reduce((a, b) => a * b, 1)));
    expect(run).toThrow(RunError);
    expect(run).toThrow('the number it uses is not known');
  });

  it('chunk of a symbolic size hands out as many pieces as asked, with symbolic sizes', () => {
    const r = analyze(
      [
        'import torch.nn as nn',
        'class M(nn.Module):',
        '    def forward(self, x):',
        '        a, b = x.chunk(2, dim=2)',
        '        return a - b',
        'model = M()',
      ].join('\n'),
      { inputShape: [3, -1, 4] },
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const layers = r.models[0]?.layers ?? [];
    expect(layers.map((l) => l.spec.cfg.kind)).toEqual(['slice', 'slice', 'binary']);
  });
});
