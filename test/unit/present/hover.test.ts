/** Hover text: the arithmetic with the user's own numbers, worked by hand from the framework rules. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { pathResolver } from '../../../src/analysis/resolver';
import { hoverMarkdown, layerAt } from '../../../src/present/hover';
import { builtElsewhere } from '../../../src/present/notation';

const TEXTBOOK = `from tensorflow import keras
model = keras.Sequential()
model.add(keras.layers.Conv2D(32, kernel_size=3, activation='relu', padding='same', input_shape=(28, 28, 1)))
model.add(keras.layers.MaxPooling2D(2))
model.add(keras.layers.Conv2D(10, kernel_size=(3, 3), activation='relu'))
model.add(keras.layers.Flatten())
`;

function hoverAt(src: string, needle: string, locale: 'en' | 'ko' = 'en'): string {
  const r = analyze(src);
  const hit = layerAt(r, src.indexOf(needle) + 1);
  expect(hit, `a layer at ${needle}`).not.toBeNull();
  return hoverMarkdown(hit!, locale, [], 'command:convlens.visualizeLayer');
}

describe('hover', () => {
  it("Conv2D(32, 3, padding='same') on 28×28×1: shapes, ceil(28/1) = 28 with pad 1/1, 3·3·1·32 + 32 = 320", () => {
    const h = hoverAt(TEXTBOOK, 'Conv2D(32');
    expect(h).toContain('**conv2d** · `Conv2D`');
    expect(h).toContain('`(None, 28, 28, 1)` → `(None, 28, 28, 32)`');
    expect(h).toContain("'same': ⌈28 / 1⌉ = **28**, pad 1/1 (H, W)");
    expect(h).toContain('3·3·1·32 + 32 = **320**');
    expect(h).toContain('[$(graph) Visualize](command:convlens.visualizeLayer');
  });

  it('valid: (14 − 3) / 1 + 1 = 12, receptive field 8×8 with jump 2', () => {
    const h = hoverAt(TEXTBOOK, 'Conv2D(10');
    expect(h).toContain("'valid': (14 − 3) / 1 + 1 = **12**");
    // rf: 1 → 3 (conv 3×3) → 4 (pool 2, jump 2) → 4 + 2·2 = 8
    expect(h).toContain('Receptive field: 8×8, jump 2');
  });

  it('pooling that rounds down shows ⌊ ⌋', () => {
    const src =
      'from tensorflow import keras\nm = keras.Sequential([keras.layers.MaxPooling2D(2, input_shape=(7, 7, 3))])\n';
    expect(hoverAt(src, 'MaxPooling2D')).toContain("'valid': ⌊(7 − 2) / 2⌋ + 1 = **3**");
  });

  it("PyTorch's floor formula with padding and dilation", () => {
    const src =
      'import torch, torch.nn as nn\nm = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, dilation=2))\nm(torch.zeros(1, 3, 28, 28))\n';
    const h = hoverAt(src, 'Conv2d');
    // ⌊(28 + 2·1 − 2·(3 − 1) − 1) / 2⌋ + 1 = ⌊25/2⌋ + 1 = 13
    expect(h).toContain('⌊(28 + 2·1 − 2·(3 − 1) − 1) / 2⌋ + 1 = **13**');
    expect(h).toContain('`(N, 3, 28, 28)` → `(N, 8, 13, 13)`');
  });

  it('Korean uses the textbook terms', () => {
    const h = hoverAt(TEXTBOOK, 'Conv2D(32', 'ko');
    expect(h).toContain("출력 크기: 세임 패딩('same'): ⌈28 / 1⌉ = **28**, 패딩 1/1");
    expect(h).toContain('파라미터: 3·3·1·32 + 32 = **320**');
    expect(h).toContain('시각화');
  });

  it('hovering a call in forward() shows that call', () => {
    const src =
      'import torch, torch.nn as nn\nclass N(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.pool = nn.MaxPool2d(2)\n    def forward(self, x):\n        return self.pool(self.pool(x))\nN()(torch.zeros(1, 1, 8, 8))\n';
    const r = analyze(src);
    const inner = layerAt(r, src.indexOf('self.pool(x)') + 2)!;
    const outer = layerAt(r, src.indexOf('self.pool(self') + 2)!;
    expect(inner.layer.outputShape?.slice(1)).toEqual([1, 4, 4]);
    expect(outer.layer.outputShape?.slice(1)).toEqual([1, 2, 2]);
    expect(hoverMarkdown(outer, 'en', [], null)).toContain('called 2 times');
  });

  it('F.relu(self.conv1(x)): inside the inner call it is conv1, on F.relu the functional op, on the constructor the first call', () => {
    const src = readFileSync('test/e2e/fixtures/workspace/torch_lenet.py', 'utf8');
    const r = analyze(src);
    const line = src.indexOf('x = self.pool(F.relu(self.conv1(x)))');
    const call = src.indexOf('self.conv1(x)', line);
    for (let o = call; o <= call + 'self.conv1(x)'.length; o++)
      expect(layerAt(r, o)?.layer.name, `offset ${o - call}`).toBe('conv1');
    expect(layerAt(r, src.indexOf('F.relu(', line) + 2)?.layer.name).toBe('F.relu#1');
    expect(layerAt(r, src.indexOf('self.pool(', line) + 2)?.layer.name).toBe('pool');
    const ctor = layerAt(r, src.indexOf('nn.MaxPool2d(2, 2)') + 3)!;
    expect(ctor.layer).toBe(ctor.model.layers.find((l) => l.name === 'pool'));
    expect(ctor.calls).toBe(2);
  });

  it('on a call that built a whole model in another module: the model as one (input → output, totals)', () => {
    // mylib/models.py in a site-packages folder; worked by hand: conv 3·3·3·8 + 8 = 224 on 8×8 → 6×6,
    // flatten 8·6·6 = 288, linear 288·10 + 10 = 2,890; 3,114 in all
    const files: Record<string, string> = {
      '/env/site-packages/mylib/__init__.py': '',
      '/env/site-packages/mylib/models.py':
        'import torch.nn as nn\n\ndef tiny():\n    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 6 * 6, 10))\n',
    };
    const host = { readFile: (p: string) => files[p] ?? null, exists: (p: string) => p === '/p/.git' || p in files };
    const src = 'import torch\nimport mylib.models\nm = mylib.models.tiny()\ny = m(torch.randn(1, 3, 8, 8))\n';
    const r = analyze(src, { resolver: pathResolver('/p/net.py', ['/env/site-packages'], host) });
    const hit = layerAt(r, src.indexOf('tiny()') + 1)!;
    expect(hit.whole).toBe(true);
    expect(builtElsewhere(hit.model)).toBe(true);
    const en = hoverMarkdown(hit, 'en', [], 'command:convlens.visualizeLayer');
    expect(en.split('\n')[0]).toBe(`**${hit.model.name}** — PyTorch model built in \`mylib/models.py\``);
    expect(en).toContain('`(N, 3, 8, 8)` → `(N, 10)`');
    expect(en).toContain('Parameters: **3,114**');
    expect(en).toContain('Layers: 4');
    expect(en).toContain('[$(graph) Visualize]');
    const ko = hoverMarkdown(hit, 'ko', [], null);
    expect(ko.split('\n')[0]).toBe(`**${hit.model.name}** — \`mylib/models.py\`에서 만든 PyTorch 모델`);
    expect(ko).toContain('파라미터: **3,114**');
    expect(ko).toContain('층: 4개');
    // a model of the file's own layers is not shown whole
    const own = analyze(TEXTBOOK);
    expect(builtElsewhere(own.models[0]!)).toBe(false);
    expect(layerAt(own, TEXTBOOK.indexOf('Conv2D(32') + 1)!.whole).toBeUndefined();
  });
});
