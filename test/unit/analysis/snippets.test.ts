/**
 * Small snippets as people write them, with the layers and shapes worked out by hand from
 * the framework rules (DESIGN.md). Shapes are listed without the batch dimension.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { Dim } from '../../../src/shared/dims';
import type { ModelGraph } from '../../../src/model/ir';

function shapes(m: ModelGraph | undefined, withFunctional = false): [string, string][] {
  expect(m, 'model found').toBeDefined();
  return m!.layers
    .filter((l) => withFunctional || !l.spec.functional)
    .map((l) => [
      l.name,
      l.outputShape
        ? l.outputShape
            .slice(1)
            .map((d: Dim) => (typeof d === 'number' ? d : d.sym))
            .join(',')
        : '?',
    ]);
}

function only(src: string, opts = {}): ModelGraph {
  const r = analyze(src, opts);
  expect(r.models.map((m) => m.name)).toHaveLength(1);
  return r.models[0]!;
}

describe('imports and aliases', () => {
  const body = (conv: string, pool: string) =>
    `model = Sequential([\n  ${conv}(8, 3, input_shape=(10, 10, 1)),\n  ${pool}(),\n])\n`;
  const table: [string, string][] = [
    [
      'from tensorflow import keras',
      'model = keras.Sequential([keras.layers.Conv2D(8, 3, input_shape=(10, 10, 1)), keras.layers.MaxPooling2D()])',
    ],
    [
      'import keras',
      'model = keras.Sequential([keras.layers.Conv2D(8, 3, input_shape=(10, 10, 1)), keras.layers.MaxPooling2D()])',
    ],
    ['from keras import layers\nfrom keras import Sequential', body('layers.Conv2D', 'layers.MaxPooling2D')],
    [
      'from tensorflow.keras.layers import Conv2D, MaxPooling2D\nfrom tensorflow.keras.models import Sequential',
      body('Conv2D', 'MaxPooling2D'),
    ],
    [
      'import tensorflow as tf\nSequential = tf.keras.Sequential',
      body('tf.keras.layers.Conv2D', 'tf.keras.layers.MaxPool2D'),
    ],
    [
      'from tensorflow.keras import layers as L\nfrom keras.models import Sequential',
      body('L.Conv2D', 'L.MaxPooling2D'),
    ],
  ];
  for (const [imports, code] of table) {
    it(`${imports.split('\n').join('; ')} → conv 8×8×8, pool 4×4×8`, () => {
      expect(shapes(only(`${imports}\n${code}\n`))).toEqual([
        ['conv2d', '8,8,8'],
        ['max_pooling2d', '4,4,8'],
      ]);
    });
  }

  const torchTable = ['import torch.nn as nn', 'from torch import nn', 'import torch\nnn = torch.nn'];
  for (const imports of torchTable) {
    it(`${imports.split('\n').join('; ')} → nn.Conv2d(3, 6, 5) on 3×32×32 = 6×28×28`, () => {
      const m = only(
        `import torch\n${imports}\nnet = nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU())\nout = net(torch.randn(1, 3, 32, 32))\n`,
      );
      expect(shapes(m)).toEqual([
        ['0', '6,28,28'],
        ['1', '6,28,28'],
      ]);
    });
  }

  it('F.relu / F.max_pool2d through import torch.nn.functional as F', () => {
    const m = only(
      `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(1, 4, 3)\n    def forward(self, x):\n        return F.max_pool2d(F.relu(self.c(x)), 2)\nnet = Net()\ny = net(torch.zeros(1, 1, 9, 9))\n`,
    );
    expect(shapes(m, true)).toEqual([
      ['c', '4,7,7'],
      ['F.relu#1', '4,7,7'],
      ['F.max_pool2d#1', '4,3,3'],
    ]);
  });
});

describe('model forms', () => {
  it('Keras Sequential() + add() in a loop over a literal list', () => {
    const m = only(
      `from tensorflow import keras\nmodel = keras.Sequential()\nmodel.add(keras.Input(shape=(32, 32, 3)))\nfor f in [16, 32]:\n    model.add(keras.layers.Conv2D(f, 3, padding="same"))\n    model.add(keras.layers.MaxPooling2D(2))\n`,
    );
    // same keeps 32, pool halves: 32→16, then 16→8
    expect(shapes(m)).toEqual([
      ['conv2d', '32,32,16'],
      ['max_pooling2d', '16,16,16'],
      ['conv2d_1', '16,16,32'],
      ['max_pooling2d_1', '8,8,32'],
    ]);
    // 3·3·3·16 + 16 = 448; 3·3·16·32 + 32 = 4640
    expect(m.totalParams).toBe(448 + 4640);
  });

  it('Keras functional API with a branch, Concatenate and keras.Model(inputs=, outputs=)', () => {
    const m = only(
      `import keras\nfrom keras import layers\ninp = keras.Input(shape=(16, 16, 3))\na = layers.Conv2D(4, 1)(inp)\nb = layers.Conv2D(6, 3, padding="same")(inp)\nx = layers.Concatenate()([a, b])\nx = layers.GlobalAveragePooling2D()(x)\nout = layers.Dense(2)(x)\nnet = keras.Model(inputs=inp, outputs=out)\n`,
    );
    expect(m.name).toBe('net');
    expect(shapes(m)).toEqual([
      ['input_layer', '16,16,3'],
      ['conv2d', '16,16,4'],
      ['conv2d_1', '16,16,6'],
      ['concatenate', '16,16,10'],
      ['global_average_pooling2d', '10'],
      ['dense', '2'],
    ]);
    expect(m.layers.find((l) => l.name === 'concatenate')!.inputs).toEqual([1, 2]);
  });

  it('InputLayers as Keras 3 lists them: first in a functional model (name= kept), never in a Sequential', () => {
    // real Keras 3: Sequential.layers = [dense]; Model.layers = [input_layer_1, extra, add, dense_1], 10 params
    const r = analyze(
      `import keras\nfrom keras import layers\ns = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\na = keras.Input((4,))\nb = keras.Input((4,), name="extra")\nc = layers.Add()([a, b])\nm = keras.Model([a, b], layers.Dense(2)(c))\n`,
    );
    expect(shapes(r.models.find((g) => g.name === 's'))).toEqual([['dense', '3']]);
    const m = r.models.find((g) => g.name === 'm')!;
    expect(shapes(m)).toEqual([
      ['input_layer_1', '4'],
      ['extra', '4'],
      ['add', '4'],
      ['dense_1', '2'],
    ]);
    expect(m.layers.map((l) => [l.spec.type, l.params, l.inputs])).toEqual([
      ['InputLayer', 0, [-1]],
      ['InputLayer', 0, [-1]],
      ['Add', 0, [0, 1]],
      ['Dense', 10, [2]],
    ]);
    expect(m.totalParams).toBe(10);
  });

  it('a helper function that builds a block, called twice', () => {
    const m = only(
      `from tensorflow import keras\nfrom tensorflow.keras import layers\ndef block(x, filters, k=3):\n    x = layers.Conv2D(filters, k, padding="same", activation="relu")(x)\n    return layers.MaxPooling2D()(x)\ninputs = keras.Input((28, 28, 1))\nx = block(inputs, 8)\nx = block(x, 16, k=5)\nmodel = keras.Model(inputs, x)\n`,
    );
    expect(shapes(m)).toEqual([
      ['input_layer', '28,28,1'],
      ['conv2d', '28,28,8'],
      ['max_pooling2d', '14,14,8'],
      ['conv2d_1', '14,14,16'],
      ['max_pooling2d_1', '7,7,16'],
    ]);
    // 5·5·8·16 + 16 = 3216
    expect(m.layers[3]!.params).toBe(3216);
  });

  it('PyTorch nested nn.Sequential attributes and a module used inside another module', () => {
    const src = `import torch
from torch import nn
class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)
    def forward(self, x):
        return self.bn(self.conv(x))
class Net(nn.Module):
    def __init__(self, widths=(8, 16)):
        super().__init__()
        self.stem = nn.Sequential(Block(3, widths[0]), nn.MaxPool2d(2))
        self.body = nn.Sequential(nn.Sequential(Block(widths[0], widths[1])), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(widths[1], 4)
    def forward(self, x):
        x = self.body(self.stem(x))
        return self.head(torch.flatten(x, 1))
model = Net()
model(torch.randn(2, 3, 20, 20))
`;
    const m = only(src);
    expect(m.name).toBe('Net');
    expect(shapes(m)).toEqual([
      ['stem.0.conv', '8,20,20'],
      ['stem.0.bn', '8,20,20'],
      ['stem.1', '8,10,10'],
      ['body.0.0.conv', '16,10,10'],
      ['body.0.0.bn', '16,10,10'],
      ['body.1', '16,1,1'],
      ['head', '4'],
    ]);
    // convs 3·3·3·8+8=224, 3·3·8·16+16=1168; BN γ, β 2·8=16, 2·16=32; Linear 16·4+4=68.
    // The running statistics (2·8 + 2·16 = 48) are buffers, outside model.parameters()
    expect(m.totalParams).toBe(224 + 16 + 1168 + 32 + 68);
    expect(m.trainableParams).toBe(224 + 16 + 1168 + 32 + 68);
    expect(m.buffers).toBe(2 * 8 + 2 * 16);
  });

  it('several models in one file are all found, with Keras auto-name counters running on', () => {
    const r = analyze(
      `from tensorflow import keras\nm1 = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])\nm2 = keras.Sequential([keras.layers.Dense(2, input_shape=(4,))])\nimport torch.nn as nn\nclass Tiny(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(5, 1)\n    def forward(self, x):\n        return self.fc(x)\n`,
    );
    expect(r.models.map((m) => m.name)).toEqual(['m1', 'm2', 'Tiny']);
    expect(r.models[1]!.layers[0]!.name).toBe('dense_1');
    expect(shapes(r.models[2])).toEqual([['fc', '1']]);
  });
});

describe('constants', () => {
  it('names, tuples, arithmetic and default arguments', () => {
    const m = only(
      `import torch.nn as nn\nimport torch\nK = (5, 5)\nC1 = 6\nclass LeNet(nn.Module):\n    def __init__(self, num_classes: int = 10):\n        super().__init__()\n        self.c1 = nn.Conv2d(1, C1, kernel_size=K)\n        self.p = nn.MaxPool2d(2, 2)\n        self.c2 = nn.Conv2d(C1, 16, K)\n        self.fc = nn.Linear(16 * 5 * 5, num_classes)\n    def forward(self, x):\n        x = self.p(self.c2(self.p(self.c1(x))))\n        return self.fc(x.view(-1, 16 * 5 * 5))\nx = torch.randn(1, 1, 32, 32)\nnet = LeNet()\nnet(x)\n`,
    );
    expect(shapes(m)).toEqual([
      ['c1', '6,28,28'],
      ['p', '6,14,14'],
      ['c2', '16,10,10'],
      ['p', '16,5,5'],
      ['fc', '10'],
    ]);
  });

  it('a range() loop that builds layers', () => {
    const m = only(
      `import torch, torch.nn as nn\nlayers = []\nc = 1\nfor i in range(3):\n    layers.append(nn.Conv2d(c, 2 ** (i + 2), 3, stride=2, padding=1))\n    c = 2 ** (i + 2)\nnet = nn.Sequential(*layers)\nnet(torch.ones(1, 1, 64, 64))\n`,
    );
    // floor((64 + 2 − 3)/2) + 1 = 32, then 16, 8; channels 4, 8, 16
    expect(shapes(m)).toEqual([
      ['0', '4,32,32'],
      ['1', '8,16,16'],
      ['2', '16,8,8'],
    ]);
  });
});

describe('input shapes', () => {
  const torchNet = `import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 32, 3)\n        self.pool = nn.MaxPool2d(2)\n    def forward(self, x):\n        return self.pool(self.conv(x))\n`;

  it('no input anywhere: symbolic shapes (N, 32, H-2, W-2) and an info diagnostic', () => {
    const r = analyze(torchNet);
    expect(shapes(r.models[0])).toEqual([
      ['conv', '32,H-2,W-2'],
      ['pool', '32,(H-2)//2,(W-2)//2'],
    ]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['input-unknown']);
  });

  it('a # convlens: input_shape comment', () => {
    const m = only(`# convlens: input_shape=(3, 10, 12)\n${torchNet}`);
    expect(shapes(m)).toEqual([
      ['conv', '32,8,10'],
      ['pool', '32,4,5'],
    ]);
    expect(m.inputSource.kind).toBe('comment');
  });

  it('the --input-shape option', () => {
    const m = only(torchNet, { inputShape: [3, 6, 6] });
    expect(shapes(m)).toEqual([
      ['conv', '32,4,4'],
      ['pool', '32,2,2'],
    ]);
  });

  it('a tensor passed directly: model(torch.rand(4, 3, 8, 8))', () => {
    const m = only(`import torch\n${torchNet}net = Net()\nprint(net(torch.rand(4, 3, 8, 8)).shape)\n`);
    expect(shapes(m)).toEqual([
      ['conv', '32,6,6'],
      ['pool', '32,3,3'],
    ]);
    expect(m.inputSource.kind).toBe('example');
  });

  it("a Linear's in_features pins the input size, and the analyzer says so", () => {
    const r = analyze(
      `import torch\nimport torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(1, 4, 3)\n        self.fc = nn.Linear(4 * 6 * 6, 2)\n    def forward(self, x):\n        return self.fc(torch.flatten(self.c(x), 1))\n`,
    );
    // 4·(S−2)² = 144 → S = 8
    expect(r.models[0]!.inputShape).toEqual([1, 8, 8]);
    expect(r.diagnostics.map((d) => [d.code, d.args.features])).toEqual([['input-inferred', 144]]);
  });

  it('x.view(-1, 16*8*8) pins the input too: 16·(S/4)² = 1024 → S = 32 (padding 2 keeps the size)', () => {
    const r = analyze(
      `import torch.nn as nn\nimport torch.nn.functional as F\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv1 = nn.Conv2d(3, 6, 5, padding=2)\n        self.pool = nn.MaxPool2d(2, 2)\n        self.conv2 = nn.Conv2d(6, 16, 5, padding=2)\n        self.fc1 = nn.Linear(16*8*8, 10)\n    def forward(self, x):\n        x = self.pool(F.relu(self.conv1(x)))\n        x = self.pool(F.relu(self.conv2(x)))\n        return self.fc1(x.view(-1, 16*8*8))\n`,
    );
    expect(r.models[0]!.inputShape).toEqual([3, 32, 32]);
    expect(r.diagnostics.map((d) => [d.code, d.args.layer, d.args.features])).toEqual([
      ['input-inferred', "'view(-1, 1024)'", 1024],
    ]);
  });

  it('Keras batch_input_shape and keras.Input(shape=) spellings', () => {
    expect(
      shapes(
        only(
          `from tensorflow import keras\nm = keras.Sequential([keras.layers.Conv2D(2, 5, batch_input_shape=(None, 9, 9, 1))])\n`,
        ),
      ),
    ).toEqual([['conv2d', '5,5,2']]);
    expect(
      shapes(
        only(
          `from tensorflow import keras\nm = keras.Sequential([keras.layers.InputLayer(shape=(9, 9, 1)), keras.layers.Conv2D(2, 5)])\n`,
        ),
      ),
    ).toEqual([['conv2d', '5,5,2']]);
  });
});

describe('framework rules', () => {
  it("Keras 'same' with stride 2 on odd sizes: ceil(7/2) = 4", () => {
    expect(
      shapes(
        only(
          `from tensorflow import keras\nm = keras.Sequential([keras.layers.Conv2D(1, 3, strides=2, padding='same', input_shape=(7, 8, 1))])\n`,
        ),
      ),
    ).toEqual([['conv2d', '4,4,1']]);
  });

  it('PyTorch ceil_mode and count_include_pad do not change the rule for dropping the last window', () => {
    // ceil((5 − 2)/2) + 1 = 3 but the 3rd window would start at 4 ≥ 5 + 0? no: 4 < 5, kept → 3
    expect(
      shapes(
        only(
          `import torch, torch.nn as nn\nm = nn.Sequential(nn.MaxPool2d(2, ceil_mode=True))\nm(torch.zeros(1, 1, 5, 5))\n`,
        ),
      ),
    ).toEqual([['0', '1,3,3']]);
  });

  it('Dense on a rank-3 input acts on the last axis', () => {
    expect(
      shapes(only(`from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(7, input_shape=(5, 3))])\n`)),
    ).toEqual([['dense', '5,7']]);
  });

  it('BatchNormalization counts its moving statistics as non-trainable parameters', () => {
    const m = only(
      `from tensorflow import keras\nm = keras.Sequential([keras.layers.BatchNormalization(input_shape=(4, 4, 10))])\n`,
    );
    expect([m.totalParams, m.trainableParams]).toEqual([40, 20]);
  });
});

describe('diagnostics', () => {
  it('channel mismatch between layers, with a fix to the real number', () => {
    const src = `import torch, torch.nn as nn\nm = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Conv2d(8, 4, 3))\nm(torch.zeros(1, 3, 10, 10))\n`;
    const d = analyze(src).diagnostics.find((x) => x.code === 'channel-mismatch')!;
    expect([d.args.expected, d.args.actual]).toEqual([8, 16]);
    expect(src.slice(d.range.from, d.range.to)).toBe('8');
    expect(d.fix!.edits[0]!.newText).toBe('16');
  });

  it('an unknown layer stops shape propagation with an info naming it', () => {
    const r = analyze(
      `from tensorflow import keras\nm = keras.Sequential([keras.layers.Conv2D(2, 3, input_shape=(8, 8, 1)), keras.layers.MyFancyLayer(), keras.layers.Flatten()])\n`,
    );
    expect(shapes(r.models[0])).toEqual([
      ['conv2d', '6,6,2'],
      ['my_fancy_layer', '?'],
      ['flatten', '?'],
    ]);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.args.type])).toEqual([
      ['info', 'unknown-layer', 'MyFancyLayer'],
    ]);
  });

  it('messages in Korean use the textbook terms', async () => {
    const { diagnosticMessage } = await import('../../../src/model/diagnostics');
    const r = analyze(
      `from tensorflow import keras\nm = keras.Sequential([keras.layers.Conv2D(2, 5, input_shape=(3, 3, 1))])\n`,
    );
    expect(diagnosticMessage(r.diagnostics[0]!, 'ko')).toBe(
      "Conv2D 'conv2d': 커널 5×5이(가) padding='valid'에서 입력 3×3보다 큽니다",
    );
  });
});

describe('half-typed code', () => {
  it('a syntax error in the middle keeps every layer that can be recognised', () => {
    const m = only(
      `from tensorflow import keras\nmodel = keras.Sequential()\nmodel.add(keras.layers.Conv2D(4, 3, input_shape=(12, 12, 1)))\nmodel.add(keras.layers.MaxPooling2D(\nmodel.add(keras.layers.Conv2D(8, 3))\n`,
    );
    expect(m.layers.map((l) => l.spec.type)).toContain('Conv2D');
    expect(shapes(m)[0]).toEqual(['conv2d', '10,10,4']);
  });
});
