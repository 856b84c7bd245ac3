/**
 * The unsupported-argument warning: an argument ConvLens does not model is never ignored silently.
 * Located at the argument's value, worded in English and Korean, once per argument; the defaults
 * and the arguments every layer takes (names, dtypes, initializers) say nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';

function warnings(src: string) {
  return analyze(src)
    .diagnostics.filter((d) => d.code === 'unsupported-argument')
    .map((d) => ({
      at: src.slice(d.range.from, d.range.to),
      en: diagnosticMessage(d),
      ko: diagnosticMessage(d, 'ko'),
    }));
}

const TORCH = 'import torch.nn as nn\n\nmodel = nn.Sequential(\n    LAYER,\n)\n# convlens: input_shape=(1, 3, 9, 9)\n';
const KERAS =
  'import keras\nfrom keras import layers\n\nmodel = keras.Sequential([keras.Input(shape=(9, 9, 3)), LAYER])\n';

describe('unsupported-argument', () => {
  it('an unknown keyword: at its value, in both languages', () => {
    const w = warnings(TORCH.replace('LAYER', 'nn.Conv2d(3, 4, 3, foo=7)'));
    expect(w).toEqual([
      {
        at: '7',
        en: 'nn.Conv2d: ConvLens does not read the argument foo=7; the shapes and values shown leave it out',
        ko: 'nn.Conv2d: ConvLens는 인자 foo=7을(를) 읽지 않습니다. 보여 주는 크기와 값에는 반영되지 않습니다',
      },
    ]);
  });

  it('a positional argument past the signature read: at that argument', () => {
    const w = warnings(TORCH.replace('LAYER', 'nn.ReLU(False, 3)'));
    expect(w.map((x) => [x.at, x.en])).toEqual([
      [
        '3',
        'nn.ReLU: ConvLens does not read the argument positional argument 2 (3); the shapes and values shown leave it out',
      ],
    ]);
  });

  it('a value computed as another: what ConvLens computes instead', () => {
    const w = warnings(TORCH.replace('LAYER', 'nn.MaxPool2d(2, return_indices=True)'));
    expect(w).toEqual([
      {
        at: 'True',
        en: 'nn.MaxPool2d: return_indices=True is not modelled (ConvLens computes the pooled tensor alone, without the indices); the values shown leave it out',
        ko: 'nn.MaxPool2d: return_indices=True은(는) 모델링하지 않습니다(ConvLens는 인덱스 없이 풀링 결과만 계산합니다). 보여 주는 값에는 반영되지 않습니다',
      },
    ]);
    expect(
      warnings(KERAS.replace('LAYER', "layers.Conv2D(4, 3, data_format='channels_first')")).map((x) => x.at),
    ).toEqual(["'channels_first'"]);
  });

  it('torch.nn.functional calls: at the argument, named by the function', () => {
    const src = (call: string) =>
      `import torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass M(nn.Module):\n    def forward(self, x):\n        return ${call}\n\n\nmodel = M()\n# convlens: input_shape=(1, 3, 9, 9)\n`;
    expect(warnings(src('F.max_pool2d(x, 2, return_indices=True)')).map((w) => [w.at, w.en])).toEqual([
      [
        'True',
        'F.max_pool2d: return_indices=True is not modelled (ConvLens computes the pooled tensor alone, without the indices); the values shown leave it out',
      ],
    ]);
    expect(warnings(src('F.interpolate(x, scale_factor=2, foo=1)')).map((w) => w.at)).toEqual(['1']);
    expect(warnings(src("F.interpolate(x, None, 2, 'nearest', None, None, False)"))).toEqual([]);
  });

  it('defaults and the arguments every layer takes are silent', () => {
    expect(
      warnings(TORCH.replace('LAYER', "nn.Conv2d(3, 4, 3, padding_mode='zeros', device='cpu', dtype=None)")),
    ).toEqual([]);
    expect(warnings(TORCH.replace('LAYER', 'nn.MaxPool2d(2, return_indices=False)'))).toEqual([]);
    // nn.Identity is documented to take any arguments and ignore them (timm passes it inplace=True)
    expect(warnings(TORCH.replace('LAYER', "nn.Identity(54, inplace=True, unused='x')"))).toEqual([]);
    expect(
      warnings(
        KERAS.replace(
          'LAYER',
          "layers.Conv2D(4, 3, data_format='channels_last', name='c', kernel_initializer='he_normal', bias_regularizer=None, trainable=False, lora_rank=None)",
        ),
      ),
    ).toEqual([]);
  });

  it('Keras lora_rank, which adds weights ConvLens does not count', () => {
    expect(warnings(KERAS.replace('LAYER', 'layers.Dense(4, lora_rank=2)')).map((w) => w.at)).toEqual(['2']);
  });

  it('a layer built twice by one function is one warning per argument', () => {
    const src =
      'import torch.nn as nn\n\ndef block():\n    return nn.Conv2d(3, 3, 3, foo=1)\n\nmodel = nn.Sequential(block(), block())\n# convlens: input_shape=(1, 3, 9, 9)\n';
    expect(warnings(src).map((x) => x.at)).toEqual(['1']);
  });
});
