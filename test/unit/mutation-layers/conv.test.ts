/**
 * Convolution layers as a user sees them: parameter counts and their formula, weight shapes,
 * FLOPs, receptive fields, refusals with their quick fixes, the equivalent layer in the other
 * framework and the panel's before-activation view. Worked by hand:
 * - parameters: k_h·k_w·(C_in/groups)·C_out + C_out; depthwise k·k·C_in·m + C_in·m; separable
 *   k·k·C_in·m + C_in·m·C_out + C_out; weight layouts: PyTorch (out, in/g, k…), transposed
 *   (in, out/g, k…); Keras (k…, in/g, out), transposed (k…, out, in);
 * - FLOPs = 2 × multiply-accumulates, the count torch.utils.flop_counter gives (torch 2.x): per
 *   output position for a convolution, per input position for a transposed one;
 * - sizes: PyTorch ⌊(in + 2p − d(k − 1) − 1)/s⌋ + 1, transposed (in − 1)s − 2p + d(k − 1) + op + 1;
 *   Keras transposed 'same' in·s, 'valid' in·s + max(k − s, 0).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { LayerNode } from '../../../src/model/ir';
import { equivalentCode, panelSpec, paramSpecs } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';
import { dimText } from '../../../src/shared/dims';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

function layer(src: string) {
  const r = analyze(src);
  const node: LayerNode = r.models[0]!.layers.at(-1)!;
  return {
    node,
    shape: node.outputShape?.slice(1) ?? null,
    counts: [node.params, node.trainableParams, node.paramsFormula, node.flops],
    weights: paramSpecs(node)?.map((p) => [p.name, p.shape]) ?? null,
    diagnostics: r.diagnostics.map((d) => ({
      message: diagnosticMessage(d),
      fix: d.fix
        ? [d.fix.title.en, ...d.fix.edits.map((e) => `${src.slice(e.range.from, e.range.to)} → ${e.newText}`)]
        : null,
    })),
  };
}

describe('PyTorch convolutions', () => {
  it('Conv2d(4, 6, 3, groups=2) on 8×8: 3·3·2·6 + 6 = 114, (6, 2, 3, 3) weights, 2·36·6·9·2 = 7776 FLOPs', () => {
    const l = layer(torch('nn.Conv2d(4, 6, 3, groups=2)', '1, 4, 8, 8'));
    expect(l.shape).toEqual([6, 6, 6]);
    expect(l.counts).toEqual([114, 114, '3·3·(4/2)·6 + 6', 7776]);
    expect(l.weights).toEqual([
      ['weight', [6, 2, 3, 3]],
      ['bias', [6]],
    ]);
    expect(equivalentCode(l.node)).toBe("layers.Conv2D(6, kernel_size=3, padding='valid', groups=2)");
  });
  it('groups that do not divide the input channels ("in_channels must be divisible by groups")', () => {
    const l = layer(torch('nn.Conv2d(3, 6, 3, groups=2)', '1, 3, 8, 8'));
    expect(l.shape).toBeNull();
    expect(l.diagnostics.map((d) => d.message)).toEqual(["Conv2d '0': groups=2 does not divide the 3 input channels"]);
  });
  it('in_channels that differ from the input: the message, and a fix that writes the real count', () => {
    const l = layer(torch('nn.Conv2d(5, 6, 3)', '1, 4, 8, 8'));
    expect(l.diagnostics).toEqual([
      {
        message: "Conv2d '0': expects 5 input channels (in_channels=5) but receives 4",
        fix: ['Set in_channels to 4', '5 → 4'],
      },
    ]);
    // the declared 5 channels still give the layer's own parameter count: 3·3·5·6 + 6
    expect(l.counts.slice(0, 3)).toEqual([276, 276, '3·3·5·6 + 6']);
  });
  it("padding='same' with a stride: PyTorch raises; the fix is the symmetric padding ⌊d(k − 1)/2⌋ per axis", () => {
    expect(layer(torch('nn.Conv2d(4, 6, 3, stride=2, padding="same")', '1, 4, 8, 8')).diagnostics).toEqual([
      {
        message:
          "Conv2d '0': padding='same' is not supported for strided convolutions in PyTorch (stride 2×2); PyTorch raises here. Use padding=1",
        fix: ['Use padding=1', '"same" → 1'],
      },
    ]);
    expect(layer(torch('nn.Conv2d(4, 6, (3, 5), stride=(1, 2), padding="same")', '1, 4, 8, 8')).diagnostics).toEqual([
      {
        message:
          "Conv2d '0': padding='same' is not supported for strided convolutions in PyTorch (stride 1×2); PyTorch raises here. Use padding=(1, 2)",
        fix: ['Use padding=(1, 2)', '"same" → (1, 2)'],
      },
    ]);
    // d=2: ⌊2·2/2⌋ = 2
    expect(layer(torch('nn.Conv2d(4, 6, 3, 2, "same", 2)', '1, 4, 8, 8')).diagnostics[0]!.fix).toEqual([
      'Use padding=2',
      '"same" → 2',
    ]);
    // stride 1: allowed
    expect(layer(torch('nn.Conv2d(4, 6, 3, padding="same")', '1, 4, 8, 8')).shape).toEqual([6, 8, 8]);
  });
  it('bias=False, padding=(1, 2), dilation=(1, 2): 8×8 kept, receptive field 3×5, no bias weight', () => {
    const l = layer(torch('nn.Conv2d(4, 6, 3, bias=False, padding=(1, 2), dilation=(1, 2))', '1, 4, 8, 8'));
    expect(l.shape).toEqual([6, 8, 8]);
    expect(l.counts).toEqual([216, 216, '3·3·4·6', 2 * 64 * 6 * 9 * 4]);
    expect(l.weights).toEqual([['weight', [6, 4, 3, 3]]]);
    expect(l.node.receptiveField).toEqual({ size: [3, 5], jump: [1, 1] });
    // both axes pad d(k − 1) in total: Keras 'same' gives the same sizes
    expect(equivalentCode(l.node)).toBe(
      "layers.Conv2D(6, kernel_size=3, padding='same', dilation_rate=(1, 2), use_bias=False)",
    );
  });
  it("a padding that is 'same' along one axis only is a ZeroPadding2D, not 'same'", () => {
    // Conv2d(4, 6, 3, padding=(1, 0)) on 8×8 → 8×6; Keras 'same' would give 8×8
    const l = layer(torch('nn.Conv2d(4, 6, 3, padding=(1, 0))', '1, 4, 8, 8'));
    expect(l.shape).toEqual([6, 8, 6]);
    expect(equivalentCode(l.node)).toBe(
      "layers.ZeroPadding2D((1, 0)), layers.Conv2D(6, kernel_size=3, padding='valid')",
    );
  });
  it('ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2) on 5×5 → 10×10', () => {
    const l = layer(
      torch('nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)', '1, 4, 5, 5'),
    );
    expect(l.shape).toEqual([6, 10, 10]);
    // 3·3·(4/2)·6 + 6; FLOPs 2·25·(4/2)·6·9 = 5400 (torch's flop counter)
    expect(l.counts).toEqual([114, 114, '3·3·(4/2)·6 + 6', 5400]);
    expect(l.weights).toEqual([
      ['weight', [4, 3, 3, 3]],
      ['bias', [6]],
    ]);
    expect(l.node.receptiveField).toBeNull();
    expect(equivalentCode(l.node)).toBeNull();
    expect(panelSpec(l.node).kind).toBe('other');
  });
  it('ConvTranspose2d output_padding 2 with stride 2 (PyTorch: "output padding must be smaller than either stride or dilation")', () => {
    expect(
      layer(torch('nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=2)', '1, 4, 5, 5')).diagnostics.map(
        (d) => d.message,
      ),
    ).toEqual(["ConvTranspose2d '0': output padding 2 must be smaller than stride 2 or dilation 1"]);
  });
  it('Conv1d(4, 6, 3, stride=2) on 9 → 4: 3·4·6 + 6 = 78, 2·4·6·3·4 = 576 FLOPs, receptive field 3 with jump 2', () => {
    const l = layer(torch('nn.Conv1d(4, 6, 3, stride=2)', '1, 4, 9'));
    expect(l.shape).toEqual([6, 4]);
    expect(l.counts).toEqual([78, 78, '3·4·6 + 6', 576]);
    expect(l.weights).toEqual([
      ['weight', [6, 4, 3]],
      ['bias', [6]],
    ]);
    expect(l.node.receptiveField).toEqual({ size: [3], jump: [2] });
    expect(equivalentCode(l.node)).toBeNull();
  });
});

describe('Keras convolutions', () => {
  it("Conv2D(6, 3, padding='same', activation='relu'): PyTorch padding=1 and a ReLU; the panel can show it before ReLU", () => {
    const l = layer(keras('layers.Conv2D(6, 3, padding="same", activation="relu")', '(8, 8, 4)'));
    expect(l.shape).toEqual([8, 8, 6]);
    expect(l.counts).toEqual([222, 222, '3·3·4·6 + 6', 2 * 64 * 6 * 9 * 4]);
    expect(l.weights).toEqual([
      ['kernel', [3, 3, 4, 6]],
      ['bias', [6]],
    ]);
    expect(equivalentCode(l.node)).toBe('nn.Conv2d(4, 6, kernel_size=3, padding=1), nn.ReLU()');
    const p = panelSpec(l.node);
    expect(p).toMatchObject({ kind: 'conv', row: 'conv', activation: 'relu' });
    expect(p.bare).toMatchObject({ kind: 'conv', c: { activation: null, filters: 6 } });
    expect(panelSpec(layer(keras('layers.Conv2D(6, 3)', '(8, 8, 4)')).node)).toEqual({ kind: 'conv', row: 'conv' });
  });
  it('the activation after the PyTorch equivalent: tanh → nn.Tanh(), softmax over the channels', () => {
    expect(equivalentCode(layer(keras('layers.Conv2D(6, 3, activation="tanh")', '(8, 8, 4)')).node)).toBe(
      'nn.Conv2d(4, 6, kernel_size=3, padding=0), nn.Tanh()',
    );
    expect(equivalentCode(layer(keras('layers.Conv2D(6, 3, activation="softmax")', '(8, 8, 4)')).node)).toBe(
      'nn.Conv2d(4, 6, kernel_size=3, padding=0), nn.Softmax(dim=1)',
    );
  });
  it("strided 'same' pads 0 before and 1 after (TF): a ZeroPad2d in front of the PyTorch layer", () => {
    // ⌈8/2⌉ = 4; total pad (4 − 1)·2 + 3 − 8 = 1 → 0/1
    const l = layer(keras('layers.Conv2D(6, 3, strides=2, padding="same")', '(8, 8, 4)'));
    expect(l.shape).toEqual([4, 4, 6]);
    expect(l.node.receptiveField).toEqual({ size: [3, 3], jump: [2, 2] });
    expect(equivalentCode(l.node)).toBe(
      'nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=0)',
    );
  });
  it("dilated 'same': d(k − 1) = 4 split 2/2 → PyTorch padding=2, dilation=2", () => {
    expect(equivalentCode(layer(keras('layers.Conv2D(6, 3, dilation_rate=2, padding="same")', '(8, 8, 4)')).node)).toBe(
      'nn.Conv2d(4, 6, kernel_size=3, padding=2, dilation=2)',
    );
  });
  it('groups=2, use_bias=False: (3, 3, 2, 6) kernel, 108 parameters', () => {
    const l = layer(keras('layers.Conv2D(6, 3, groups=2, use_bias=False)', '(8, 8, 4)'));
    expect(l.counts).toEqual([108, 108, '3·3·(4/2)·6', 2 * 36 * 6 * 9 * 2]);
    expect(l.weights).toEqual([['kernel', [3, 3, 2, 6]]]);
    expect(equivalentCode(l.node)).toBe('nn.Conv2d(4, 6, kernel_size=3, padding=0, groups=2, bias=False)');
  });
  it('DepthwiseConv2D(3, depth_multiplier=2) on 4 channels: 8 out, 3·3·4·2 + 8 = 80', () => {
    const l = layer(keras('layers.DepthwiseConv2D(3, depth_multiplier=2)', '(8, 8, 4)'));
    expect(l.shape).toEqual([6, 6, 8]);
    // FLOPs: 2·36 positions·8 outputs·9 taps
    expect(l.counts).toEqual([80, 80, '3·3·4·2 + 8', 5184]);
    expect(l.weights).toEqual([
      ['kernel', [3, 3, 4, 2]],
      ['bias', [8]],
    ]);
    expect(equivalentCode(l.node)).toBe('nn.Conv2d(4, 8, kernel_size=3, padding=0, groups=4)');
  });
  it('SeparableConv2D(6, 3, depth_multiplier=2): depthwise 72 + pointwise 8·6 + 6 = 126; two PyTorch layers', () => {
    const l = layer(keras('layers.SeparableConv2D(6, 3, depth_multiplier=2)', '(8, 8, 4)'));
    expect(l.shape).toEqual([6, 6, 6]);
    // FLOPs: 2·36·(8·9 + 8·6)
    expect(l.counts).toEqual([126, 126, '3·3·4·2 + 8·6 + 6', 8640]);
    expect(l.weights).toEqual([
      ['depthwise_kernel', [3, 3, 4, 2]],
      ['pointwise_kernel', [1, 1, 8, 6]],
      ['bias', [6]],
    ]);
    // the same 126 parameters: 8·1·3·3 (no bias) + 8·6 + 6
    expect(equivalentCode(l.node)).toBe(
      'nn.Conv2d(4, 8, kernel_size=3, padding=0, groups=4, bias=False), nn.Conv2d(8, 6, kernel_size=1)',
    );
  });
  it("Conv2DTranspose(6, 3, strides=2): 'same' 5 → 10, 'valid' 5 → 11, 'same' with output_padding=1 → 10", () => {
    const same = layer(keras('layers.Conv2DTranspose(6, 3, strides=2, padding="same")', '(5, 5, 4)'));
    expect(same.shape).toEqual([10, 10, 6]);
    // FLOPs per input position: 2·25·4·6·9
    expect(same.counts).toEqual([222, 222, '3·3·4·6 + 6', 10800]);
    expect(same.weights).toEqual([
      ['kernel', [3, 3, 6, 4]],
      ['bias', [6]],
    ]);
    expect(layer(keras('layers.Conv2DTranspose(6, 3, strides=2)', '(5, 5, 4)')).shape).toEqual([11, 11, 6]);
    // (5 − 1)·2 + 3 − 2·1 + 1
    expect(
      layer(keras('layers.Conv2DTranspose(6, 3, strides=2, padding="same", output_padding=1)', '(5, 5, 4)')).shape,
    ).toEqual([10, 10, 6]);
  });
  it('Conv1DTranspose(6, 3, strides=2) on 5 → 11, 2·5·4·6·3 = 720 FLOPs', () => {
    const l = layer(keras('layers.Conv1DTranspose(6, 3, strides=2)', '(5, 4)'));
    expect(l.shape).toEqual([11, 6]);
    expect(l.counts).toEqual([78, 78, '3·4·6 + 6', 720]);
    expect(l.weights).toEqual([
      ['kernel', [3, 6, 4]],
      ['bias', [6]],
    ]);
  });
  it('causal Conv1D with dilation 2 keeps 9 steps and sees 5', () => {
    const l = layer(keras('layers.Conv1D(6, 3, padding="causal", dilation_rate=2)', '(9, 4)'));
    expect(l.shape).toEqual([9, 6]);
    expect(l.node.receptiveField).toEqual({ size: [5], jump: [1] });
  });
});

describe('convolutions: what is known without an input size, refusals kept together, values', () => {
  it('a transposed convolution on an unknown size: 2(H − 1) + 2 rows; the parameters are still known', () => {
    const r = analyze(
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.up = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1)\n    def forward(self, x):\n        return self.up(x)\nmodel = Net()\n',
    );
    const n = r.models[0]!.layers.at(-1)!;
    // (H − 1)·2 − 2·1 + 3 + 1 = 2(H − 1) + 2; weights (4, 6, 3, 3) + 6
    expect(n.outputShape!.map((d) => dimText(d))).toEqual(['N', '6', '2*(H-1)+2', '2*(W-1)+2']);
    expect([n.params, n.flops]).toEqual([222, null]);
  });
  it('filters computed from an unknown value: the channels and every count after are unknown, not an error', () => {
    const r = analyze(
      'from tensorflow.keras import layers, models\nk = int(input())\nmodel = models.Sequential([layers.Input(shape=(8, 8, 3)), layers.Conv2D(k, 3), layers.Conv2D(4, 3)])\n',
    );
    const [a, b] = r.models[0]!.layers;
    expect([a!.params, a!.paramsFormula, a!.flops, b!.params]).toEqual([null, null, null, null]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('a 2-D convolution on a 2-D tensor is a rank error', () => {
    const r = analyze(
      'import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(4, 6, 3))\nout = model(torch.randn(4, 8))\n',
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['rank-mismatch']);
  });
  it('a channel mismatch is kept next to the refusal that stops the layer', () => {
    const codes = (layer: string) =>
      analyze(torch(layer, '1, 4, 8, 8'))
        .diagnostics.map((d) => d.code)
        .sort();
    expect(codes('nn.Conv2d(5, 6, 3, stride=2, padding="same")')).toEqual(['channel-mismatch', 'same-padding-stride']);
    expect(codes('nn.Conv2d(5, 6, 9)')).toEqual(['channel-mismatch', 'kernel-too-large']);
    expect(codes('nn.Conv2d(5, 6, 3, groups=2)')).toEqual(['bad-argument', 'channel-mismatch']);
  });
  it("the quick fixes' titles in Korean, and the padding diagnostic on the padding argument", () => {
    const src = torch('nn.Conv2d(5, 6, 3, stride=2, padding="same")', '1, 4, 8, 8');
    const ds = analyze(src).diagnostics;
    const mismatch = ds.find((d) => d.code === 'channel-mismatch')!;
    expect(mismatch.fix!.title.ko).toBe('in_channels를 4(으)로 바꾸기');
    const same = ds.find((d) => d.code === 'same-padding-stride')!;
    expect(same.fix!.title.ko).toBe('padding=1(으)로 바꾸기');
    expect(src.slice(same.range.from, same.range.to)).toBe('"same"');
  });
  it('kernels and biases are trainable weights with their roles', () => {
    const l = layer(torch('nn.Conv2d(4, 6, 3)', '1, 4, 8, 8'));
    expect(paramSpecs(l.node)!.map((p) => [p.name, p.role, p.trainable])).toEqual([
      ['weight', 'kernel', true],
      ['bias', 'bias', true],
    ]);
  });
  it('a PyTorch model without an example input still counts its convolution: 3·3·3·8 + 8 = 224', () => {
    const r = analyze(
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 8, 3)\n    def forward(self, x):\n        return self.c(x)\nmodel = Net()\n',
    );
    expect(r.models[0]!.layers.at(-1)!.params).toBe(224);
  });

  function forward(src: string, shape: number[], data: number[], weights: Record<string, number[]>): number[] {
    const graph = analyze(src).models[0]!;
    const runs = runModel(graph, tensor(shape, data), (_node, p) => Float32Array.from(weights[p.name]!));
    return Array.from(runs.at(-1)!.output.data);
  }
  it("Keras Conv1D(1, 3, padding='same') with a kernel of ones on 1, 2, 3: 0+1+2, 1+2+3, 2+3+0", () => {
    expect(
      forward(keras('layers.Conv1D(1, 3, padding="same")', '(3, 1)'), [1, 3, 1], [1, 2, 3], {
        kernel: [1, 1, 1],
        bias: [0],
      }),
    ).toEqual([3, 6, 5]);
  });
  it('Keras DepthwiseConv1D(2) on 1, 2, 3 with kernel (1, 1) and bias 0.5: 3.5, 5.5', () => {
    expect(
      forward(keras('layers.DepthwiseConv1D(2)', '(3, 1)'), [1, 3, 1], [1, 2, 3], { kernel: [1, 1], bias: [0.5] }),
    ).toEqual([3.5, 5.5]);
  });
  it('PyTorch ConvTranspose1d(1, 1, 2, stride=2) on 1, 2 with weight (1, 10): each input stamps the kernel', () => {
    expect(
      forward(torch('nn.ConvTranspose1d(1, 1, 2, stride=2)', '1, 1, 2'), [1, 1, 2], [1, 2], {
        weight: [1, 10],
        bias: [0],
      }),
    ).toEqual([1, 10, 2, 20]);
  });
  it("Keras Conv2DTranspose(1, 2, strides=2, padding='same') on a 1×2 map: 2×4, each input stamps the kernel", () => {
    // 'same': out = in·s; kernel 2 with stride 2 needs no padding
    expect(
      forward(keras('layers.Conv2DTranspose(1, 2, strides=2, padding="same")', '(1, 2, 1)'), [1, 1, 2, 1], [1, 2], {
        kernel: [1, 2, 3, 4],
        bias: [0],
      }),
    ).toEqual([1, 2, 2, 4, 3, 4, 6, 8]);
  });
});

describe('convolutions: severities, refusals of transposed layers, Keras transposed padding values', () => {
  it('the groups and output-padding refusals are errors, kept next to a channel mismatch', () => {
    const groups = analyze(torch('nn.Conv2d(3, 6, 3, groups=2)', '1, 3, 8, 8')).diagnostics;
    expect(groups.map((d) => [d.severity, d.code])).toEqual([['error', 'bad-argument']]);
    const t = analyze(torch('nn.ConvTranspose2d(5, 6, 3, stride=2, padding=1, output_padding=2)', '1, 4, 5, 5'))
      .diagnostics.map((d) => [d.severity, d.code])
      .sort();
    expect(t).toEqual([
      ['error', 'bad-argument'],
      ['error', 'channel-mismatch'],
    ]);
  });
  it("Keras Conv2DTranspose(1, 3, strides=2, padding='same') on a 1×2 map with kernel 1…9: Keras 3 gives 1, 2, 5, 4 / 4, 5, 14, 10", () => {
    // the full 3×5 stamp cropped to 2×4 from the top left ('same' pads 0 before, 1 after)
    const graph = analyze(keras('layers.Conv2DTranspose(1, 3, strides=2, padding="same", use_bias=False)', '(1, 2, 1)'))
      .models[0]!;
    const runs = runModel(graph, tensor([1, 1, 2, 1], [1, 2]), () => Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(Array.from(runs.at(-1)!.output.data)).toEqual([1, 2, 5, 4, 4, 5, 14, 10]);
  });
});
