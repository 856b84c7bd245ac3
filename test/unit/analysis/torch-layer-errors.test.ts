/**
 * What PyTorch 1.13 raises for the padding, instance-norm, pixel-shuffle and PReLU layers becomes
 * a located error diagnostic; what it only warns about, a warning. Each case was run through
 * torch 1.13 (the messages quoted are its own); the shapes of the valid ones are worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';

function check(body: string, input: string) {
  const src = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n${body}\nout = model(torch.randn(${input}))\n`;
  const r = analyze(src);
  const m = r.models[0]!;
  return {
    src,
    shapes: m.layers.map((l) => l.outputShape?.slice(1)),
    diags: r.diagnostics.map((d) => [d.severity, d.code, src.slice(d.range.from, d.range.to)]),
  };
}

describe('PyTorch layer errors as diagnostics', () => {
  it('PixelShuffle(2) on 6 channels: "input.size(-3)=6 is not divisible by 4"', () => {
    const r = check('model = nn.Sequential(nn.PixelShuffle(2))', '1, 6, 3, 3');
    expect(r.diags).toEqual([['error', 'bad-argument', 'nn.PixelShuffle(2)']]);
  });

  it('PixelUnshuffle(2) on height 3: "input.size(-2)=3 is not divisible by 2"', () => {
    const r = check('model = nn.Sequential(nn.PixelUnshuffle(2))', '1, 6, 3, 4');
    expect(r.diags).toEqual([['error', 'bad-argument', 'nn.PixelUnshuffle(2)']]);
  });

  it('PReLU(3) on 2 channels: "Mismatch of parameter numbers and input channel size"', () => {
    const r = check('model = nn.Sequential(nn.PReLU(3))', '1, 2, 3, 3');
    expect(r.diags).toEqual([['error', 'channel-mismatch', '3']]);
  });

  it('InstanceNorm2d on a 1×1 map: "Expected more than 1 spatial element"', () => {
    const r = check('model = nn.Sequential(nn.InstanceNorm2d(2))', '1, 2, 1, 1');
    expect(r.diags).toEqual([['error', 'bad-argument', 'nn.InstanceNorm2d(2)']]);
  });

  it('InstanceNorm2d(3) on 2 channels: a warning without affine, an error with it ("weight should contain 2 elements not 3")', () => {
    expect(check('model = nn.Sequential(nn.InstanceNorm2d(3))', '1, 2, 3, 3').diags).toEqual([
      ['warning', 'channel-mismatch', '3'],
    ]);
    expect(check('model = nn.Sequential(nn.InstanceNorm2d(3, affine=True))', '1, 2, 3, 3').diags).toEqual([
      ['error', 'channel-mismatch', '3'],
    ]);
  });

  it('ReflectionPad2d on a 2-D input: non-constant padding of 2 dimensions needs a 3-D or 4-D input', () => {
    const r = check('model = nn.Sequential(nn.ReflectionPad2d(1))', '3, 3');
    expect(r.diags).toEqual([['error', 'bad-argument', 'nn.ReflectionPad2d(1)']]);
  });

  it('F.pad with 3 values: "Padding length must be divisible by 2"', () => {
    const body = `class M(nn.Module):\n    def forward(self, x):\n        return F.pad(x, (1, 1, 1))\nmodel = M()`;
    const r = check(body, '1, 2, 3, 3');
    expect(r.diags).toEqual([['error', 'bad-argument', 'F.pad(x, (1, 1, 1))']]);
  });

  it('F.pad circular 4 on width 3: "Padding value causes wrapping around more than once"; 3 is allowed: 3 + 3 + 3 = 9', () => {
    const bad = `class M(nn.Module):\n    def forward(self, x):\n        return F.pad(x, (4, 3, 1, 1), mode='circular')\nmodel = M()`;
    expect(check(bad, '1, 2, 3, 3').diags.map((d) => d[1])).toEqual(['bad-argument']);
    const ok = `class M(nn.Module):\n    def forward(self, x):\n        return F.pad(x, (3, 3, 1, 1), mode='circular')\nmodel = M()`;
    const r = check(ok, '1, 2, 3, 3');
    expect(r.diags).toEqual([]);
    expect(r.shapes).toEqual([[2, 5, 9]]);
  });

  it('negative constant padding crops: ConstantPad2d((-1, 1, 0, 2), 3.5) on 3×3 → 5×3', () => {
    const r = check('model = nn.Sequential(nn.ConstantPad2d((-1, 1, 0, 2), 3.5))', '1, 2, 3, 3');
    expect(r.diags).toEqual([]);
    expect(r.shapes).toEqual([[2, 5, 3]]);
  });

  it('a padding ConvLens cannot read is unknown (info), never an error', () => {
    const r = check('p = int(input())\nmodel = nn.Sequential(nn.ReflectionPad2d(p))', '1, 2, 3, 3');
    expect(r.diags.filter((d) => d[0] === 'error')).toEqual([]);
  });
});
