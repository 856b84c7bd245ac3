/**
 * The hover's explanation of a layer's arguments and its size arithmetic, checked against the
 * chapter's own numbers (10 → 8 for a 1-D kernel of 3, (4, 4) → (2, 2) for a 3×3 kernel, 'same'
 * keeps the size, stride 2 halves it, (2, 2) pooling halves) and the frameworks' rules worked by
 * hand, in English and Korean.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { factsText, hoverFacts, type HoverFacts } from '../../../src/present/explain';
import { hoverMarkdown, layerAt } from '../../../src/present/hover';

function hitAt(src: string, needle: string) {
  const r = analyze(src);
  const at = src.indexOf(needle);
  expect(at, needle).toBeGreaterThanOrEqual(0);
  const hit = layerAt(r, at + 1);
  expect(hit, `a layer at ${needle}`).not.toBeNull();
  return hit!;
}

function md(src: string, needle: string, locale: 'en' | 'ko' = 'en'): string {
  return hoverMarkdown(hitAt(src, needle), locale, [], null);
}

function facts(src: string, needle: string, locale: 'en' | 'ko' = 'en'): HoverFacts {
  return hoverFacts(hitAt(src, needle), locale, []);
}

function arg(f: HoverFacts, name: string): string {
  const a = f.arguments.find((x) => x.name === name);
  expect(a, `argument ${name} in ${JSON.stringify(f.arguments)}`).toBeDefined();
  return `${a!.name}=${a!.value} — ${a!.text}`;
}

const KERAS = 'from tensorflow import keras\nL = keras.layers\n';
const TORCH = 'import torch\nimport torch.nn as nn\n';

describe('1-D layers: the arithmetic with the user numbers, a kernel of 3 (not 3×3)', () => {
  const conv1d = `${KERAS}m = keras.Sequential([L.Conv1D(1, kernel_size=3, input_shape=(10, 1)), L.MaxPooling1D(2)])\n`;

  it('Keras Conv1D(1, kernel_size=3) on 10 values: (10 − 3) / 1 + 1 = 8, as the chapter counts its 8 stamps', () => {
    const h = md(conv1d, 'Conv1D');
    expect(h).toContain('`(None, 10, 1)` → `(None, 8, 1)`');
    expect(h).toContain("Output size: 'valid': (10 − 3) / 1 + 1 = **8**");
    expect(h).toContain("each filter's kernel is 3 long");
    expect(h).toContain('valid padding (no zeros added): 10 → 8');
    // 3 weights + 1 bias, as the chapter's neuron W1..W3 and b
    expect(h).toContain('3·1·1 + 1 = **4**');
    expect(h).toContain('Receptive field: 3, jump 1');
    expect(h).not.toContain('3×3');
    const ko = md(conv1d, 'Conv1D', 'ko');
    expect(ko).toContain("출력 크기: 밸리드 패딩('valid'): (10 − 3) / 1 + 1 = **8**");
    expect(ko).toContain('필터마다 길이 3 커널');
    expect(ko).toContain('수용 영역: 3, 간격 1');
  });

  it('MaxPooling1D(2) on 8: strides default to the pool size, (8 − 2) / 2 + 1 = 4; receptive field 3 + 1 = 4', () => {
    const h = md(conv1d, 'MaxPooling1D');
    expect(h).toContain("'valid': (8 − 2) / 2 + 1 = **4**");
    expect(h).toContain('max pooling: the largest value of each window of 2');
    expect(h).toContain('(default: the pool size)');
    expect(h).toContain('Receptive field: 4, jump 2');
    expect(h).not.toMatch(/\d×\d/);
  });

  it("Conv1D 'same' with stride 2 on 10: ⌈10 / 2⌉ = 5, TF pads 0 before and 1 after", () => {
    // total pad = max((5 − 1)·2 + 3 − 10, 0) = 1, the smaller half (0) first
    const src = `${KERAS}m = keras.Sequential([L.Conv1D(4, 3, strides=2, padding='same', input_shape=(10, 1))])\n`;
    const f = facts(src, 'Conv1D');
    expect(f.outputSize).toEqual([{ axes: null, expression: "'same': ⌈10 / 2⌉", result: 5, note: 'pad 0/1' }]);
    expect(arg(f, 'padding')).toBe("padding='same' — same padding: zeros before/after 0/1: 10 → 5");
    expect(arg(f, 'strides')).toContain('stride 2: moves 2 steps at a time');
  });

  it('PyTorch nn.Conv1d(1, 1, 3) on 10 values: PyTorch’s formula gives 8 too', () => {
    const src = `${TORCH}m = nn.Sequential(nn.Conv1d(1, 1, 3), nn.MaxPool1d(2))\nm(torch.zeros(1, 1, 10))\n`;
    const h = md(src, 'Conv1d');
    expect(h).toContain('`(N, 1, 10)` → `(N, 1, 8)`');
    expect(h).toContain('Output size: ⌊(10 − 1·(3 − 1) − 1) / 1⌋ + 1 = **8**');
    expect(h).toContain('`in_channels=1` — 1 input channel: the depth of each kernel');
    expect(h).toContain('`out_channels=1` — 1 filter (stamps) → 1 feature map');
    expect(h).not.toContain('3×3');
    const pool = facts(src, 'MaxPool1d');
    expect(pool.outputSize[0]!.result).toBe(4);
    expect(arg(pool, 'stride')).toContain('(default: kernel_size)');
  });
});

describe('convolution arguments in the chapter’s terms', () => {
  const textbook = `${KERAS}m = keras.Sequential([
    L.Conv2D(32, kernel_size=3, activation='relu', padding='same', input_shape=(28, 28, 1)),
    L.MaxPooling2D(2),
    L.Conv2D(1, kernel_size=(3, 3), input_shape=(4, 4, 1)),
])
`;

  it("Conv2D(32, 3, padding='same', activation='relu'): 32 stamps → 32 feature maps, 1 pixel of zeros keeps 28×28", () => {
    const f = facts(textbook, 'Conv2D(32');
    expect(arg(f, 'filters')).toBe('filters=32 — 32 filters (stamps) → 32 feature maps');
    expect(arg(f, 'kernel_size')).toBe("kernel_size=3 — each filter's kernel is 3×3, 1 deep (the input's channels)");
    expect(arg(f, 'padding')).toBe("padding='same' — same padding: 1 pixel of zeros on each side keeps 28×28");
    expect(arg(f, 'activation')).toBe(
      "activation='relu' — relu after the weighted sum + bias: the feature maps are its output",
    );
    // strides=1 is the default and was not written: not shown
    expect(f.arguments.map((a) => a.name)).toEqual(['filters', 'kernel_size', 'padding', 'activation']);
    const ko = facts(textbook, 'Conv2D(32', 'ko');
    expect(arg(ko, 'filters')).toBe('filters=32 — 필터(도장) 32개 → 특성 맵 32개');
    expect(arg(ko, 'kernel_size')).toBe('kernel_size=3 — 필터마다 3×3 커널, 깊이 1 (입력의 채널 수)');
    expect(arg(ko, 'padding')).toBe("padding='same' — 세임 패딩: 양쪽에 0을 1픽셀씩 채워 28×28 유지");
    expect(arg(ko, 'activation')).toContain('특성 맵은 이 활성화 함수를 통과한 값');
  });

  it('the Markdown keeps the shapes, the arithmetic and the parameters, then the arguments one per line', () => {
    const h = md(textbook, 'Conv2D(32');
    const lines = h.split('\n');
    expect(lines[0]).toBe('**conv2d** · `Conv2D` — m (Keras)');
    expect(h).toContain("Output size: 'same': ⌈28 / 1⌉ = **28**, pad 1/1 (H, W)");
    expect(h).toContain('`filters=32` — 32 filters (stamps) → 32 feature maps  \n`kernel_size=3`');
    expect(h).toContain('Parameters: 3·3·1·32 + 32 = **320**');
    // short enough to read at a glance
    expect(lines.length).toBeLessThanOrEqual(16);
  });

  it('the chapter’s (4, 4) input and 3×3 kernel without padding: (4 − 3) / 1 + 1 = 2', () => {
    const src = `${KERAS}m = keras.Sequential([L.Conv2D(3, kernel_size=(3, 3), input_shape=(4, 4, 1))])\n`;
    const f = facts(src, 'Conv2D');
    expect(f.outputSize).toEqual([{ axes: 'H, W', expression: "'valid': (4 − 3) / 1 + 1", result: 2, note: null }]);
    expect(f.output).toBe('(None, 2, 2, 3)');
    expect(arg(f, 'padding')).toBe("padding='valid' — valid padding (no zeros added): 4×4 → 2×2");
    expect(arg(f, 'activation')).toBe('activation=None — none: the output is the weighted sum + bias itself');
    expect(arg(facts(src, 'Conv2D', 'ko'), 'padding')).toBe(
      "padding='valid' — 밸리드 패딩 (0을 채우지 않음): 4×4 → 2×2",
    );
  });

  it("stride 2 with 'same' halves 28 to 14; TF puts the odd zero bottom/right; use_bias=False", () => {
    // ⌈28 / 2⌉ = 14; total pad = max(13·2 + 3 − 28, 0) = 1 → 0 top, 1 bottom
    const src = `${KERAS}m = keras.Sequential([L.Conv2D(8, 3, strides=2, padding='same', use_bias=False, input_shape=(28, 28, 1))])\n`;
    const f = facts(src, 'Conv2D');
    expect(f.output).toBe('(None, 14, 14, 8)');
    expect(arg(f, 'strides')).toBe(
      'strides=2 — stride 2: moves 2 pixels at a time, so the output is about 1/2 the size',
    );
    expect(arg(f, 'padding')).toBe(
      "padding='same' — same padding: zeros top/bottom 0/1, left/right 0/1: 28×28 → 14×14",
    );
    expect(arg(f, 'use_bias')).toBe('use_bias=False — no bias: the output is the weighted sum alone');
    // 3·3·1·8 weights, no bias
    expect(f.params).toEqual({ count: 72, formula: '3·3·1·8', nonTrainable: 0 });
    expect(arg(facts(src, 'Conv2D', 'ko'), 'strides')).toBe(
      'strides=2 — 스트라이드 2: 2칸씩 이동해 출력 크기가 약 1/2',
    );
  });

  it('PyTorch names: in_channels, out_channels, padding=1 keeps 28×28, dilation, groups, bias=False', () => {
    const src = `${TORCH}m = nn.Sequential(nn.Conv2d(4, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2, bias=False))\nm(torch.zeros(1, 4, 28, 28))\n`;
    const a = facts(src, 'nn.Conv2d(4');
    expect(a.arguments.map((x) => x.name)).toEqual(['in_channels', 'out_channels', 'kernel_size', 'padding']);
    expect(arg(a, 'padding')).toBe('padding=1 — same padding: 1 pixel of zeros on each side keeps 28×28');
    expect(arg(a, 'kernel_size')).toContain('3×3, 4 deep');
    const b = facts(src, 'nn.Conv2d(8');
    // ⌊(28 + 2·2 − 2·(3 − 1) − 1) / 1⌋ + 1 = 28; the dilated 3×3 kernel spans 2·2 + 1 = 5
    expect(b.outputSize[0]).toMatchObject({ expression: '⌊(28 + 2·2 − 2·(3 − 1) − 1) / 1⌋ + 1', result: 28 });
    expect(arg(b, 'dilation')).toBe('dilation=2 — a gap of 1 between kernel cells: the 3×3 kernel spans 5×5');
    expect(arg(b, 'groups')).toBe('groups=2 — 2 groups: each filter sees 4 of the 8 input channels');
    expect(arg(b, 'kernel_size')).toContain('3×3, 4 deep');
    expect(arg(b, 'bias')).toBe('bias=False — no bias: the output is the weighted sum alone');
    // 3·3·(8/2)·8 = 288
    expect(b.params?.count).toBe(288);
  });
});

describe('PyTorch padding_mode: what the padding holds, not zeros', () => {
  const src = `${TORCH}m = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, padding_mode='reflect'), nn.Conv1d(2, 2, 3, padding=2, padding_mode='circular'), nn.Conv2d(2, 2, 3, padding=1, padding_mode='replicate'))\n`;
  it('reflect, circular, replicate: the padding line says padding (not zeros), padding_mode says how it is filled', () => {
    const a = facts(src, 'nn.Conv2d(1');
    expect(arg(a, 'padding')).toBe('padding=1 — 1 pixel of padding on each side');
    expect(arg(a, 'padding_mode')).toBe(
      "padding_mode='reflect' — the padding mirrors the input at its edge, without repeating the edge value (not zeros)",
    );
    const b = facts(src, 'nn.Conv1d(2');
    expect(arg(b, 'padding_mode')).toBe(
      "padding_mode='circular' — the padding wraps around: the values of the opposite side (not zeros)",
    );
    const k = facts(src, 'nn.Conv2d(2', 'ko');
    expect(arg(k, 'padding_mode')).toBe("padding_mode='replicate' — 입력의 가장자리 값을 반복해 패딩함 (0이 아님)");
    expect(arg(k, 'padding')).not.toContain('0으로');
  });
});

describe('pooling, Dense/Linear, Flatten, Dropout, BatchNorm', () => {
  const cnn = `${KERAS}m = keras.Sequential([
    L.Conv2D(64, 3, padding='same', input_shape=(14, 14, 1)),
    L.MaxPooling2D(2),
    L.AveragePooling2D(pool_size=2, strides=1, padding='same'),
    L.BatchNormalization(),
    L.Flatten(),
    L.Dense(100, activation='relu'),
    L.Dropout(0.4),
    L.Dense(10, activation='softmax'),
])
`;

  it('(2, 2) max pooling halves 14 to 7 and keeps the 64 feature maps; strides default to the pool size', () => {
    const f = facts(cnn, 'MaxPooling2D');
    expect(f.output).toBe('(None, 7, 7, 64)');
    expect(f.outputSize[0]).toMatchObject({ expression: "'valid': (14 − 2) / 2 + 1", result: 7 });
    expect(arg(f, 'pool_size')).toBe(
      'pool_size=2 — max pooling: the largest value of each 2×2 window; the 64 feature maps stay 64 (no weights)',
    );
    expect(arg(f, 'strides')).toContain('(default: the pool size)');
    const ko = facts(cnn, 'MaxPooling2D', 'ko');
    expect(arg(ko, 'pool_size')).toBe(
      'pool_size=2 — 최대 풀링: 2×2 영역마다 가장 큰 값, 특성 맵 64개는 그대로 (가중치 없음)',
    );
    expect(arg(ko, 'strides')).toContain('(기본값: 풀 크기)');
  });

  it("average pooling with strides=1 and 'same' keeps 7×7", () => {
    const f = facts(cnn, 'AveragePooling2D');
    expect(f.output).toBe('(None, 7, 7, 64)');
    expect(arg(f, 'pool_size')).toContain('average pooling: the mean of each 2×2 window');
    expect(arg(f, 'strides')).toBe('strides=1 — stride 1: moves 1 pixel at a time');
    expect(arg(f, 'padding')).toBe("padding='same' — same padding: padding top/bottom 0/1, left/right 0/1 keeps 7×7");
    expect(arg(facts(cnn, 'AveragePooling2D', 'ko'), 'pool_size')).toContain('평균 풀링');
  });

  it('BatchNormalization: what it normalizes, and that the moving statistics are not trained', () => {
    const f = facts(cnn, 'BatchNormalization');
    expect(f.arguments.map((a) => a.text)).toEqual([
      "normalizes each of the 64 channels by the batch's mean and variance, then scales (γ) and shifts (β)",
      'moving mean, variance: updated as training runs, not trained by gradient descent; used at inference',
    ]);
    // Keras counts γ, β (trainable) and the moving mean and variance (non-trainable): 4·64
    expect(f.params).toMatchObject({ count: 256, nonTrainable: 128 });
    expect(facts(cnn, 'BatchNormalization', 'ko').arguments[1]!.text).toContain('훈련되지 않음');
  });

  it('Flatten 7·7·64 = 3136; Dense(100) connects every neuron to the 3,136 inputs; softmax gives probabilities', () => {
    const fl = facts(cnn, 'Flatten');
    expect(fl.flatten).toMatchObject({ factors: ['7', '7', '64'], result: '3136' });
    expect(fl.arguments[0]!.text).toContain('one vector');
    const d = facts(cnn, 'Dense(100');
    expect(arg(d, 'units')).toBe('units=100 — 100 neurons → 100 outputs, each connected to all 3,136 inputs');
    expect(arg(d, 'activation')).toBe("activation='relu' — relu on each output after the weighted sum + bias");
    expect(d.params).toMatchObject({ count: 3136 * 100 + 100, formula: '3136·100 + 100' });
    const out = facts(cnn, 'Dense(10,');
    expect(arg(out, 'activation')).toBe(
      "activation='softmax' — softmax: the 10 outputs become probabilities that sum to 1",
    );
    expect(arg(facts(cnn, 'Dense(10,', 'ko'), 'activation')).toContain('소프트맥스: 출력 10개를 합이 1인 확률로 바꿈');
  });

  it('Dropout(0.4): 40% zeroed in training, the rest scaled by 1/0.6 ≈ 1.67; identity at inference', () => {
    const f = facts(cnn, 'Dropout');
    expect(arg(f, 'rate')).toBe(
      'rate=0.4 — training: a random 40% of the values become 0 (the rest ×1.67); inference: passes through unchanged',
    );
    expect(arg(facts(cnn, 'Dropout', 'ko'), 'rate')).toContain('추론할 때: 그대로 통과');
    const torch = `${TORCH}m = nn.Sequential(nn.Linear(400, 120), nn.Dropout(p=0.5))\nm(torch.zeros(1, 400))\n`;
    expect(arg(facts(torch, 'Dropout'), 'p')).toContain('50% of the values become 0 (the rest ×2)');
    const lin = facts(torch, 'Linear');
    expect(lin.arguments.map((a) => a.name)).toEqual(['in_features', 'out_features']);
    expect(arg(lin, 'out_features')).toBe('out_features=120 — 120 neurons → 120 outputs');
  });

  it('the plain text of the same facts has no Markdown', () => {
    for (const needle of ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense(100', 'Dropout']) {
      const text = factsText(facts(cnn, needle));
      expect(text, needle).not.toMatch(/[*`\\]/);
    }
    expect(factsText(facts(cnn, 'Conv2D'))).toContain("Output size: 'same': ⌈14 / 1⌉ = 14, pad 1/1 (H, W)");
  });
});
