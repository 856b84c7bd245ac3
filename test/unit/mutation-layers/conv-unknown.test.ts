/**
 * Convolutions when something is unknown — the input size, the input channels, or whether the
 * layer is called at all — Keras transposed convolutions with output_padding, the equivalent layer
 * on unknown sizes and uneven pads, and which layers the panel treats as plain 2-D convolutions.
 * Oracles:
 * - sizes: Keras 3 `compute_output_shape` and PyTorch 1.13 modules at H = 5 and 7 (listed per
 *   case); the symbolic text must give them when H is put in;
 * - values: Keras 3 (TensorFlow backend) Conv2DTranspose/Conv1DTranspose with the kernels given;
 * - parameters: `sum(p.numel())` of the PyTorch modules; hand-worked k·k·(C_in/g)·C_out + C_out;
 * - equivalents: PyTorch's 'same' pads d(k − 1) per axis, ⌊·/2⌋ before and the rest after, as
 *   TF's 'SAME' does at stride 1 (torch 1.13 Conv2d(4, 6, 4, padding='same') and Keras 3
 *   Conv2D(6, 4, padding='same') with the same weights agree to 0.0 on an 8×8 input).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { isPlainConv2d } from '../../../src/model/layers';
import { equivalentCode, paramSpecs } from '../../../src/model/nodes';
import { runModel } from '../../../src/runtime/forward';
import { dimText } from '../../../src/shared/dims';

const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;
const kerasNoInput = (layers: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([${layers}])\n`;
/** A PyTorch module whose forward calls `call` on the input (no example input in the file). */
const torchModule = (attrs: Record<string, string>, call: string) =>
  `import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${Object.entries(
    attrs,
  )
    .map(([k, v]) => `        self.${k} = ${v}\n`)
    .join('')}    def forward(self, x):\n        return self.${call}(x)\nmodel = Net()\n`;
const torchSeq = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shapeText = (src: string) => last(src).outputShape!.map((d) => dimText(d));
/** The symbolic size text evaluated at H (or W) = h. */
const at = (text: string, h: number) => Function(`return ${text.replace(/[HW]/g, String(h))}`)() as number;

describe('transposed convolutions on an unknown input size', () => {
  const k = (cfg: string, shape = '(None, None, 4)') => shapeText(keras(`layers.Conv2DTranspose(${cfg})`, shape));
  it.each([
    // [arguments, height text, Keras 3 sizes at H = 5 and 7]
    ['6, 3, strides=2', '2*H+1', [11, 15]],
    ['6, 3, strides=2, padding="same"', '2*H', [10, 14]],
    ['6, 2, strides=3', '3*H', [15, 21]],
    ['6, 3, dilation_rate=2', 'H+4', [9, 11]],
    ['6, 3, dilation_rate=2, padding="same"', 'H', [5, 7]],
    ['6, 3, strides=2, output_padding=1', '2*(H-1)+4', [12, 16]],
    ['6, 3, strides=2, padding="same", output_padding=1', '2*(H-1)+2', [10, 14]],
    ['6, 3, strides=2, padding="same", output_padding=0', '2*(H-1)+1', [9, 13]],
  ] as const)('Keras Conv2DTranspose(%s): %s', (cfg, text, sizes) => {
    const s = k(cfg);
    expect(s).toEqual(['None', text, text.replace(/H/g, 'W'), '6']);
    expect([at(s[1]!, 5), at(s[1]!, 7)]).toEqual(sizes);
  });
  it('Keras Conv1DTranspose(6, 3, strides=2, output_padding=1): 2(H − 1) + 4 (Keras 3: 12, 16)', () => {
    const s = shapeText(keras('layers.Conv1DTranspose(6, 3, strides=2, output_padding=1)', '(None, 4)'));
    expect(s).toEqual(['None', '2*(H-1)+4', '6']);
    expect([at(s[1]!, 5), at(s[1]!, 7)]).toEqual([12, 16]);
  });
  it.each([
    // (H − 1)·2 − 2p + 2·(3 − 1) + 1; torch 1.13 at H = 5 and 7
    ['stride=2, dilation=2', '2*(H-1)+5', [13, 17]],
    ['stride=2, padding=1, dilation=2', '2*(H-1)+3', [11, 15]],
  ] as const)('PyTorch ConvTranspose2d(4, 6, 3, %s): %s', (cfg, text, sizes) => {
    const s = shapeText(torchModule({ up: `nn.ConvTranspose2d(4, 6, 3, ${cfg})` }, 'up'));
    expect(s).toEqual(['N', '6', text, text.replace(/H/g, 'W')]);
    expect([at(s[2]!, 5), at(s[2]!, 7)]).toEqual(sizes);
  });
});

describe('channels unknown, layers never called', () => {
  it('a Keras DepthwiseConv2D with no input shape: 2 × the input channels, no parameter count or weights', () => {
    const n = last(kerasNoInput('layers.DepthwiseConv2D(3, depth_multiplier=2)'));
    expect(n.outputShape!.map((d) => dimText(d))).toEqual(['None', 'H-2', 'W-2', '2*C']);
    expect([n.params, n.paramsFormula, n.flops, paramSpecs(n)]).toEqual([null, null, null, null]);
    expect(equivalentCode(n)).toBe(
      'nn.Conv2d(in_channels, in_channels * 2, kernel_size=3, padding=0, groups=in_channels)',
    );
  });
  it('Keras Conv2D and SeparableConv2D with no input shape: the filters are known, the weights are not', () => {
    for (const l of ['layers.Conv2D(6, 3)', 'layers.SeparableConv2D(6, 3, depth_multiplier=2)']) {
      const n = last(kerasNoInput(l));
      expect(n.outputShape!.map((d) => dimText(d))).toEqual(['None', 'H-2', 'W-2', '6']);
      expect([n.params, paramSpecs(n)]).toEqual([null, null]);
    }
    expect(equivalentCode(last(kerasNoInput('layers.SeparableConv2D(6, 3, depth_multiplier=2)')))).toBe(
      'nn.Conv2d(in_channels, in_channels * 2, kernel_size=3, padding=0, groups=in_channels, bias=False), nn.Conv2d(in_channels * 2, 6, kernel_size=1)',
    );
  });
  it('PyTorch layers defined but never called count in the model: 224 + 108 + 114 + 36 = 482 (sum of numel)', () => {
    // Conv2d(3, 8, 3): 3·3·3·8 + 8; ConvTranspose2d(4, 6, 3, groups=2, bias=False): (4, 3, 3, 3);
    // Conv2d(4, 6, 3, groups=2): 3·3·2·6 + 6; Conv1d(4, 6, 3, groups=2, bias=False): (6, 2, 3)
    const m = analyze(
      torchModule(
        {
          a: 'nn.Conv2d(3, 8, 3)',
          b: 'nn.ConvTranspose2d(4, 6, 3, groups=2, bias=False)',
          c: 'nn.Conv2d(4, 6, 3, groups=2)',
          d: 'nn.Conv1d(4, 6, 3, groups=2, bias=False)',
        },
        'a',
      ),
    ).models[0]!;
    expect([m.totalParams, m.trainableParams]).toEqual([482, 482]);
  });
  it('a called PyTorch ConvTranspose2d with groups and no bias on an unknown size: (4, 3, 3, 3) weights, 108', () => {
    const n = last(torchModule({ up: 'nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2, bias=False)' }, 'up'));
    expect([n.params, n.paramsFormula]).toEqual([108, '3·3·(4/2)·6']);
    expect(paramSpecs(n)!.map((p) => [p.name, p.shape])).toEqual([['weight', [4, 3, 3, 3]]]);
  });
});

describe('Keras transposed convolutions with output_padding: the values of Keras 3', () => {
  const k9 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  function forward(layer: string, shape: string, xShape: number[], x: number[], kernel: number[]) {
    const graph = analyze(keras(layer, shape)).models[0]!;
    const y = runModel(graph, tensor(xShape, x), () => Float32Array.from(kernel)).at(-1)!.output;
    return [y.shape, Array.from(y.data)];
  }
  it("Conv2DTranspose(1, 3, strides=2, padding='same', output_padding=0) on 1×2: 1×3, 5, 14, 10 (not the 2×4 of no output_padding)", () => {
    const l = 'layers.Conv2DTranspose(1, 3, strides=2, padding="same", output_padding=0, use_bias=False)';
    expect(forward(l, '(1, 2, 1)', [1, 1, 2, 1], [1, 2], k9)).toEqual([
      [1, 1, 3, 1],
      [5, 14, 10],
    ]);
    expect(shapeText(keras(l, '(1, 2, 1)'))).toEqual(['None', '1', '3', '1']);
  });
  it("Conv2DTranspose(1, 3, strides=2, padding='same', output_padding=1) on 1×2: 2×4", () => {
    const l = 'layers.Conv2DTranspose(1, 3, strides=2, padding="same", output_padding=1, use_bias=False)';
    expect(forward(l, '(1, 2, 1)', [1, 1, 2, 1], [1, 2], k9)).toEqual([
      [1, 2, 4, 1],
      [1, 2, 5, 4, 4, 5, 14, 10],
    ]);
  });
  it("Conv2DTranspose(1, 3, strides=2, output_padding=1) ('valid') on 1×2: 4×6, the full stamp and a row and column of zeros", () => {
    const l = 'layers.Conv2DTranspose(1, 3, strides=2, output_padding=1, use_bias=False)';
    expect(forward(l, '(1, 2, 1)', [1, 1, 2, 1], [1, 2], k9)).toEqual([
      [1, 4, 6, 1],
      [1, 2, 5, 4, 6, 0, 4, 5, 14, 10, 12, 0, 7, 8, 23, 16, 18, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });
  it('Conv1DTranspose(1, 3, strides=2, output_padding=1) on 1, 2: 1, 2, 5, 4, 6, 0', () => {
    const l = 'layers.Conv1DTranspose(1, 3, strides=2, output_padding=1, use_bias=False)';
    expect(forward(l, '(2, 1)', [1, 2, 1], [1, 2], [1, 2, 3])).toEqual([
      [1, 6, 1],
      [1, 2, 5, 4, 6, 0],
    ]);
  });
  it("Conv1DTranspose(1, 3, strides=2, padding='same', output_padding=0) on 1, 2: 2, 5, 4", () => {
    const l = 'layers.Conv1DTranspose(1, 3, strides=2, padding="same", output_padding=0, use_bias=False)';
    expect(forward(l, '(2, 1)', [1, 2, 1], [1, 2], [1, 2, 3])).toEqual([
      [1, 3, 1],
      [2, 5, 4],
    ]);
  });
});

describe('the equivalent layer on an unknown input size, with unknown channels and uneven pads', () => {
  const eq = (src: string) => equivalentCode(last(src));
  it("Keras 'same' at stride 1 on an unknown size: PyTorch padding=⌊d(k − 1)/2⌋ when even, a ZeroPad2d when not", () => {
    expect(eq(keras('layers.Conv2D(6, 3, padding="same")', '(None, None, 4)'))).toBe(
      'nn.Conv2d(4, 6, kernel_size=3, padding=1)',
    );
    expect(eq(keras('layers.Conv2D(6, 3, padding="same", dilation_rate=2)', '(None, None, 4)'))).toBe(
      'nn.Conv2d(4, 6, kernel_size=3, padding=2, dilation=2)',
    );
    // k = 4: 1 before, 2 after; k = (3, 4): (1, 1) rows, (1, 2) columns — ZeroPad2d takes (left, right, top, bottom)
    expect(eq(keras('layers.Conv2D(6, 4, padding="same")', '(None, None, 4)'))).toBe(
      'nn.ZeroPad2d((1, 2, 1, 2)), nn.Conv2d(4, 6, kernel_size=4, padding=0)',
    );
    expect(eq(keras('layers.Conv2D(6, (3, 4), padding="same")', '(None, None, 4)'))).toBe(
      'nn.ZeroPad2d((1, 2, 1, 1)), nn.Conv2d(4, 6, kernel_size=(3, 4), padding=0)',
    );
    expect(eq(keras('layers.Conv2D(6, 3)', '(None, None, 4)'))).toBe('nn.Conv2d(4, 6, kernel_size=3, padding=0)');
  });
  it("Keras strided 'same' on an unknown size has no fixed PyTorch padding (it depends on the size): none offered", () => {
    expect(eq(keras('layers.Conv2D(6, 3, strides=2, padding="same")', '(None, None, 4)'))).toBeNull();
    // on a known size it has one: 8 → 4 pads 0 before, 1 after
    expect(eq(keras('layers.Conv2D(6, 3, strides=2, padding="same")', '(8, 8, 4)'))).toBe(
      'nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=0)',
    );
  });
  it('unknown input channels are written in_channels; depthwise output channels in_channels × multiplier', () => {
    expect(eq(kerasNoInput('layers.Conv2D(6, 3, padding="same", use_bias=False)'))).toBe(
      'nn.Conv2d(in_channels, 6, kernel_size=3, padding=1, bias=False)',
    );
    expect(eq(kerasNoInput('layers.DepthwiseConv2D(3, depth_multiplier=3, padding="same")'))).toBe(
      'nn.Conv2d(in_channels, in_channels * 3, kernel_size=3, padding=1, groups=in_channels)',
    );
  });
  it("PyTorch padding='same' on an unknown size is Keras 'same', odd or even kernel", () => {
    expect(eq(torchModule({ c: 'nn.Conv2d(4, 6, 3, padding="same")' }, 'c'))).toBe(
      "layers.Conv2D(6, kernel_size=3, padding='same')",
    );
    expect(eq(torchModule({ c: 'nn.Conv2d(4, 6, (3, 4), padding="same", bias=False)' }, 'c'))).toBe(
      "layers.Conv2D(6, kernel_size=(3, 4), padding='same', use_bias=False)",
    );
  });
  it("PyTorch padding='same' with an even kernel on 8×8 (pads 1 before, 2 after) is Keras 'same' alone, no padding layer", () => {
    expect(eq(torchSeq('nn.Conv2d(4, 6, 4, padding="same")', '1, 4, 8, 8'))).toBe(
      "layers.Conv2D(6, kernel_size=4, padding='same')",
    );
    expect(eq(torchSeq('nn.Conv2d(4, 6, (3, 4), padding="same", dilation=2)', '1, 4, 8, 8'))).toBe(
      "layers.Conv2D(6, kernel_size=(3, 4), padding='same', dilation_rate=2)",
    );
  });
  it('explicit PyTorch pads on an unknown size: a ZeroPadding2D of the pads in front of a valid Conv2D', () => {
    expect(eq(torchModule({ c: 'nn.Conv2d(4, 6, 3, padding=1)' }, 'c'))).toBe(
      "layers.ZeroPadding2D(1), layers.Conv2D(6, kernel_size=3, padding='valid')",
    );
    expect(eq(torchModule({ c: 'nn.Conv2d(4, 6, 3, padding=(1, 2))' }, 'c'))).toBe(
      "layers.ZeroPadding2D((1, 2)), layers.Conv2D(6, kernel_size=3, padding='valid')",
    );
    expect(eq(torchModule({ c: 'nn.Conv2d(4, 6, 3, stride=2, padding=(0, 1))' }, 'c'))).toBe(
      "layers.ZeroPadding2D((0, 1)), layers.Conv2D(6, kernel_size=3, strides=2, padding='valid')",
    );
  });
});

describe('isPlainConv2d: the layers whose filters the panel shows as 2-D images', () => {
  const cfg = (src: string) => last(src).spec.cfg;
  it.each([
    ['nn.Conv2d(4, 6, 3)', true],
    ['nn.Conv2d(4, 6, 3, groups=2)', true],
    ['nn.Conv1d(4, 6, 3)', false],
    ['nn.ConvTranspose2d(4, 6, 3)', false],
    ['nn.MaxPool2d(2)', false],
  ] as const)('PyTorch %s: %s', (l, plain) => {
    expect(isPlainConv2d(cfg(torchModule({ l: l }, 'l')))).toBe(plain);
  });
  it.each([
    ['layers.Conv2D(6, 3)', true],
    ['layers.DepthwiseConv2D(3)', false],
    ['layers.SeparableConv2D(6, 3)', false],
    ['layers.Conv2DTranspose(6, 3)', false],
  ] as const)('Keras %s: %s', (l, plain) => {
    expect(isPlainConv2d(cfg(keras(l, '(8, 8, 4)')))).toBe(plain);
  });
});

describe('more equivalents and counts: strides, kernel 1, explicit pads, unknown arguments', () => {
  const eq = (src: string) => equivalentCode(last(src));
  it("Keras 'valid' with a stride on an unknown size: PyTorch padding=0; 'same' strided along one axis only: none", () => {
    expect(eq(keras('layers.Conv2D(6, 3, strides=2)', '(None, None, 4)'))).toBe(
      'nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=0)',
    );
    expect(eq(keras('layers.Conv2D(6, 3, strides=(1, 2), padding="same")', '(None, None, 4)'))).toBeNull();
  });
  it("Keras 'same' with a (4, 3) kernel on an unknown size: rows 1 before and 2 after, columns 1 and 1", () => {
    expect(eq(keras('layers.Conv2D(6, (4, 3), padding="same")', '(None, None, 4)'))).toBe(
      'nn.ZeroPad2d((1, 1, 1, 2)), nn.Conv2d(4, 6, kernel_size=(4, 3), padding=0)',
    );
  });
  it("PyTorch explicit pads that are not 'same' (k = 3, padding=2; a stride of 2 along the width) stay a ZeroPadding2D", () => {
    // padding=2 with k = 3 grows 8×8 to 10×10, Keras 'same' would keep 8×8
    expect(eq(torchSeq('nn.Conv2d(4, 6, 3, padding=2)', '1, 4, 8, 8'))).toBe(
      "layers.ZeroPadding2D(2), layers.Conv2D(6, kernel_size=3, padding='valid')",
    );
    // padding=1, stride (1, 2) on 8×8: 8×4 either way, but TF's strided 'same' pads 0/1, not 1/1
    expect(eq(torchSeq('nn.Conv2d(4, 6, 3, stride=(1, 2), padding=1)', '1, 4, 8, 8'))).toBe(
      "layers.ZeroPadding2D(1), layers.Conv2D(6, kernel_size=3, strides=(1, 2), padding='valid')",
    );
  });
  it("PyTorch padding=(2, 1) with k = 3: the columns alone match 'same', so a ZeroPadding2D", () => {
    expect(eq(torchSeq('nn.Conv2d(4, 6, 3, padding=(2, 1))', '1, 4, 8, 8'))).toBe(
      "layers.ZeroPadding2D((2, 1)), layers.Conv2D(6, kernel_size=3, padding='valid')",
    );
  });
  it("a 1×1 PyTorch convolution is a 'valid' Keras one", () => {
    expect(eq(torchSeq('nn.Conv2d(4, 6, 1)', '1, 4, 8, 8'))).toBe("layers.Conv2D(6, kernel_size=1, padding='valid')");
  });
  it('transposed, 1-D and padding_mode convolutions have no equivalent line', () => {
    expect(eq(torchSeq('nn.ConvTranspose2d(4, 6, 3)', '1, 4, 8, 8'))).toBeNull();
    expect(eq(torchSeq('nn.Conv1d(4, 6, 3)', '1, 4, 8'))).toBeNull();
    expect(eq(torchSeq('nn.Conv2d(4, 6, 3, padding=1, padding_mode="reflect")', '1, 4, 8, 8'))).toBeNull();
  });
  it('filters from an unknown value: no weight shapes', () => {
    const n = last(
      'from tensorflow.keras import layers, models\nk = int(input())\nmodel = models.Sequential([layers.Input(shape=(8, 8, 3)), layers.Conv2D(k, 3)])\n',
    );
    expect(paramSpecs(n)).toBeNull();
  });
  it('a PyTorch layer never called whose channels come from an argument leaves the total unknown', () => {
    const total = (layer: string) =>
      analyze(
        `import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n        self.a = nn.Conv2d(3, 8, 3)\n        self.b = ${layer}\n    def forward(self, x):\n        return self.a(x)\nmodel = Net(int(input()))\n`,
      ).models[0]!.totalParams;
    expect(total('nn.Conv2d(n, 8, 3)')).toBeNull();
    expect(total('nn.Conv2d(3, n, 3)')).toBeNull();
    expect(total('nn.Conv2d(3, 8, 3)')).toBe(448);
  });
});
