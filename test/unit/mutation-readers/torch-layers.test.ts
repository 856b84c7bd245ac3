/**
 * PyTorch padding modules, F.pad, InstanceNorm, PReLU, Hardtanh and pixel shuffling read from
 * source as torch.nn binds them (positional order, defaults). Shapes and refusals were run through
 * torch 1.13 and 2.x (both agree on every case here); parameter and buffer counts follow the
 * modules' definitions: InstanceNorm affine → weight and bias of C, track_running_stats →
 * running mean and variance of C (counted as PyTorch's float buffers); PReLU → num_parameters.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';

function run(body: string, input: string) {
  const src = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n${body}\nout = model(torch.randn(${input}))\n`;
  const r = analyze(src);
  const layers = r.models[0]!.layers;
  return {
    shape: layers.at(-1)!.outputShape?.slice(1) ?? null,
    counts: layers.map((l) => [l.params, l.trainableParams, l.buffers]),
    cfg: layers.at(-1)!.spec.cfg,
    messages: r.diagnostics.map((d) => `${d.severity} ${diagnosticMessage(d)}`),
  };
}
const seq = (layer: string) => `model = nn.Sequential(${layer})`;
const fn = (call: string) => `class M(nn.Module):\n    def forward(self, x):\n        return ${call}\nmodel = M()`;

describe('padding modules and F.pad', () => {
  it('an int pads every side of the module’s axes; a bool is an int (True = 1)', () => {
    expect(run(seq('nn.ZeroPad2d(2)'), '1, 2, 5, 6').shape).toEqual([2, 9, 10]);
    expect(run(seq('nn.ZeroPad2d(True)'), '1, 2, 5, 6').shape).toEqual([2, 7, 8]);
    expect(run(seq('nn.ReplicationPad1d(3)'), '1, 2, 5').shape).toEqual([2, 11]);
  });
  it('a tuple is written last dimension first: (left, right, top, bottom)', () => {
    // height 5 + 3 + 4 = 12, width 6 + 1 + 2 = 9
    expect(run(seq('nn.ReflectionPad2d((1, 2, 3, 4))'), '1, 2, 5, 6').shape).toEqual([2, 12, 9]);
  });
  it('a module passes a shorter or longer tuple on to F.pad: it pads that many last axes', () => {
    expect(run(seq('nn.ZeroPad2d((1, 2))'), '1, 2, 5, 5').shape).toEqual([2, 5, 8]);
    expect(run(seq('nn.ConstantPad2d((1, 2, 3, 4, 1, 1), 0.0)'), '1, 2, 5, 5').shape).toEqual([4, 12, 8]);
    expect(run(seq('nn.ConstantPad1d((1, 2, 1, 1), 0.0)'), '1, 2, 5').shape).toEqual([4, 8]);
    expect(run(seq('nn.ReflectionPad1d((1, 1, 1, 1))'), '1, 2, 5').shape).toEqual([4, 7]);
    expect(run(fn('F.pad(x, ())'), '1, 2, 5, 5').shape).toEqual([2, 5, 5]);
  });
  it('reflect with one padded axis on a 4-D input is refused, as PyTorch refuses it', () => {
    const r = run(seq('nn.ReflectionPad2d((1, 2))'), '1, 2, 5, 5');
    expect(r.shape).toBeNull();
    expect(r.messages).toEqual([
      "error ReflectionPad2d '0': mode='reflect' padding of 1 dimension(s) needs a 2-D or 3-D input, got (N, 2, 5, 5)",
    ]);
  });
  it('an odd length: "Padding length must be divisible by 2"', () => {
    expect(run(seq('nn.ReflectionPad2d((1, 2, 3))'), '1, 2, 5, 5').messages).toEqual([
      "error ReflectionPad2d '0': padding length must be divisible by 2, got 3",
    ]);
  });
  it('an unknown mode: "Unrecognised padding mode"; a mode that is not a string can\'t be read', () => {
    expect(run(fn("F.pad(x, (1, 1), mode='wrap')"), '1, 2, 5').messages).toEqual([
      "error F.pad: mode='wrap' is not one of 'constant', 'reflect', 'replicate', 'circular'",
    ]);
    expect(run(fn('F.pad(x, (1, 1), mode=3)'), '1, 2, 5').messages).toEqual([
      'info F.pad: its mode could not be read; shapes after it are not computed',
    ]);
  });
  it('the fill value: ConstantPad1d(2, 1.5) positionally, F.pad value= and its 4th position; zero by default', () => {
    expect(run(seq('nn.ConstantPad1d(2, 1.5)'), '1, 2, 5').cfg).toEqual({
      kind: 'pad',
      mode: 'constant',
      value: 1.5,
      pads: [[2, 2]],
    });
    expect(run(fn("F.pad(x, (1, 2), 'constant', 3.0)"), '1, 2, 5').cfg).toMatchObject({ value: 3, pads: [[1, 2]] });
    expect(run(fn('F.pad(x, (1, 2), value=-0.5)'), '1, 2, 5').cfg).toMatchObject({ mode: 'constant', value: -0.5 });
    expect(run(seq('nn.ZeroPad2d(1)'), '1, 2, 5, 5').cfg).toMatchObject({ mode: 'constant', value: 0 });
    expect(run(seq('nn.ReplicationPad2d(1)'), '1, 2, 5, 5').cfg).toMatchObject({ mode: 'replicate', value: 0 });
  });
  it('F.pad modes are read by name; F.pad(x, pad) is constant', () => {
    expect(run(fn("F.pad(x, (1, 1), mode='circular')"), '1, 2, 5').cfg).toMatchObject({ mode: 'circular' });
    expect(run(fn("F.pad(x, (1, 1), 'reflect')"), '1, 2, 5').cfg).toMatchObject({ mode: 'reflect' });
    expect(run(fn('F.pad(x, (1, 1))'), '1, 2, 5').cfg).toMatchObject({ mode: 'constant' });
  });
  it('what PyTorch refuses before padding: a 1-tuple, an int for F.pad, mode=None', () => {
    // "Padding length must be divisible by 2"; "argument 'pad' must be tuple of ints, not int";
    // "argument 'mode' must be str, not NoneType" (torch 1.13 and 2.x)
    expect(run(seq('nn.ZeroPad2d((2,))'), '1, 2, 5, 5').messages).toEqual([
      "error ZeroPad2d '0': padding length must be divisible by 2, got 1",
    ]);
    expect(run(fn('F.pad(x, 2)'), '1, 2, 5').messages).toEqual([
      'error F.pad: padding length must be divisible by 2, got 1',
    ]);
    expect(run(fn('F.pad(x, (1, 2), None, 3.0)'), '1, 2, 5').messages).toEqual([
      'error F.pad: mode must be a string, got None',
    ]);
  });
  it('sizes computed from something unknown cannot be read', () => {
    const unknown = (layer: string) =>
      run(
        `k = int(input())
${seq(layer)}`,
        '1, 8, 4, 4',
      ).messages;
    expect(unknown('nn.PixelShuffle(k)')).toEqual([
      "info PixelShuffle '0': its upscale_factor could not be read; shapes after it are not computed",
    ]);
    expect(unknown('nn.PReLU(k)')).toEqual([
      "info PReLU '0': its num_parameters could not be read; shapes after it are not computed",
    ]);
  });
  it('a padding that cannot be read', () => {
    expect(run(seq("nn.ZeroPad2d('x')"), '1, 2, 5, 5').messages).toEqual([
      "info ZeroPad2d '0': its padding could not be read; shapes after it are not computed",
    ]);
  });
});

describe('InstanceNorm1d/2d(num_features, eps, momentum, affine, track_running_stats)', () => {
  it('defaults: no affine parameters, no running statistics, eps 1e-5', () => {
    const r = run(seq('nn.InstanceNorm2d(8)'), '1, 8, 4, 4');
    expect(r.counts).toEqual([[0, 0, 0]]);
    expect(r.cfg).toEqual({
      kind: 'instanceNorm',
      rank: 2,
      numFeatures: 8,
      epsilon: 1e-5,
      affine: false,
      trackStats: false,
    });
  });
  it('positional affine and track_running_stats: 2·8 parameters, 2·8 buffers', () => {
    const r = run(seq('nn.InstanceNorm2d(8, 1e-3, 0.1, True, True)'), '1, 8, 4, 4');
    expect(r.counts).toEqual([[16, 16, 16]]);
    expect(r.cfg).toMatchObject({ epsilon: 1e-3 });
  });
  it('InstanceNorm1d keywords', () => {
    expect(run(seq('nn.InstanceNorm1d(4, affine=True)'), '1, 4, 9').counts).toEqual([[8, 8, 0]]);
    expect(run(seq('nn.InstanceNorm1d(4, track_running_stats=True)'), '1, 4, 9').counts).toEqual([[0, 0, 8]]);
  });
});

describe('PReLU, Hardtanh, PixelShuffle', () => {
  it('PReLU(): one shared slope, init 0.25; PReLU(8, init=0.1): eight', () => {
    const one = run(seq('nn.PReLU()'), '1, 8, 4, 4');
    expect(one.counts).toEqual([[1, 1, 0]]);
    expect(one.cfg).toEqual({ kind: 'channelPrelu', numParameters: 1, init: 0.25 });
    const eight = run(seq('nn.PReLU(8, init=0.1)'), '1, 8, 4, 4');
    expect(eight.counts).toEqual([[8, 8, 0]]);
    expect(eight.cfg).toEqual({ kind: 'channelPrelu', numParameters: 8, init: 0.1 });
  });
  it('PReLU(0) cannot be read', () => {
    expect(run(seq('nn.PReLU(0)'), '1, 8, 4, 4').messages).toEqual([
      "info PReLU '0': its num_parameters could not be read; shapes after it are not computed",
    ]);
  });
  it('Hardtanh() clips to [−1, 1]; positional and keyword bounds; F.hardtanh too', () => {
    expect(run(seq('nn.Hardtanh()'), '1, 2, 4').cfg).toEqual({ kind: 'activation', fn: 'hardtanh', range: [-1, 1] });
    expect(run(seq('nn.Hardtanh(-2.0, 3.0)'), '1, 2, 4').cfg).toMatchObject({ range: [-2, 3] });
    expect(run(seq('nn.Hardtanh(max_val=0.5)'), '1, 2, 4').cfg).toMatchObject({ range: [-1, 0.5] });
    expect(run(fn('F.hardtanh(x, -2.0, 3.0)'), '1, 2, 4').cfg).toMatchObject({ fn: 'hardtanh', range: [-2, 3] });
    expect(run(fn('F.hardtanh(x, min_val=-0.75)'), '1, 2, 4').cfg).toMatchObject({ range: [-0.75, 1] });
  });
  it('PixelShuffle(2): C/4, 2H, 2W; PixelUnshuffle(2) and F.pixel_unshuffle: 4C, H/2, W/2', () => {
    expect(run(seq('nn.PixelShuffle(2)'), '1, 8, 3, 5').shape).toEqual([2, 6, 10]);
    expect(run(seq('nn.PixelUnshuffle(2)'), '1, 2, 4, 6').shape).toEqual([8, 2, 3]);
    expect(run(fn('F.pixel_unshuffle(x, 2)'), '1, 2, 4, 4').shape).toEqual([8, 2, 2]);
    expect(run(fn('F.pixel_shuffle(x, upscale_factor=3)'), '1, 9, 2, 2').shape).toEqual([1, 6, 6]);
    // a factor of 1 is the identity
    expect(run(seq('nn.PixelShuffle(1)'), '1, 2, 3, 3').shape).toEqual([2, 3, 3]);
    expect(run(seq('nn.PixelUnshuffle(1)'), '1, 2, 3, 3').shape).toEqual([2, 3, 3]);
  });
  it('a factor below 1 is named (PyTorch: "expects a positive upscale_factor")', () => {
    expect(run(seq('nn.PixelShuffle(0)'), '1, 8, 4, 4').messages).toEqual([
      "info PixelShuffle '0': its upscale_factor could not be read; shapes after it are not computed",
    ]);
    expect(run(seq('nn.PixelUnshuffle(0)'), '1, 8, 4, 4').messages).toEqual([
      "info PixelUnshuffle '0': its downscale_factor could not be read; shapes after it are not computed",
    ]);
    expect(run(fn('F.pixel_unshuffle(x, 0)'), '1, 8, 4, 4').messages).toEqual([
      'info F.pixel_unshuffle: its downscale_factor could not be read; shapes after it are not computed',
    ]);
  });
});
