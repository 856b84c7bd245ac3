/**
 * Python constructs real PyTorch model code uses that must not lose a model: module names built
 * with %, str.format, f-strings, slices, chr/ord, sum() of a generator, chained comparisons and
 * dict.pop (expected texts are what CPython 3 prints), containers walked
 * with named_children()/items()/values(), nn.Sequential / nn.ModuleList subclasses, and models
 * built only inside a function. Whole-model expectations come from the PyTorch oracle files
 * (scripts/gen-torch-models.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { ModelGraph } from '../../../src/model/ir';
import type { Dim } from '../../../src/shared/dims';

interface OracleLayer {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
}
interface OracleModel {
  name: string;
  inputShape: number[];
  layers: OracleLayer[];
  totalParams: number;
}

const DIR = 'test/fixtures/models/torch';
const fixture = (name: string): string => readFileSync(`${DIR}/${name}.py`, 'utf8');
const oracle = (name: string): OracleModel[] =>
  (JSON.parse(readFileSync(`${DIR}/${name}.oracle.json`, 'utf8')) as { models: OracleModel[] }).models;

function dims(shape: readonly Dim[] | null): (number | string)[] | null {
  return shape ? shape.slice(1).map((d) => (typeof d === 'number' ? d : d.sym)) : null;
}

function sameAsOracle(model: ModelGraph | undefined, om: OracleModel): void {
  expect(model, `model ${om.name} found`).toBeDefined();
  const layers = model!.layers.filter((l) => !l.spec.functional);
  expect(layers.map((l) => [l.name, l.spec.type, dims(l.outputShape), l.params])).toEqual(
    om.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
  );
  expect(dims([0, ...model!.inputShape!])).toEqual(om.inputShape);
  expect(model!.totalParams).toBe(om.totalParams);
}

describe('module names built from strings', () => {
  // [expression, the text CPython gives], with i = 3, name = "x", k = 12
  const table: [string, string][] = [
    ['"block%d" % i', 'block3'],
    ['"denseblock%d" % (i + 1)', 'denseblock4'],
    ['"%s_%02d" % (name, i)', 'x_03'],
    ['"%s%i" % ("conv", k)', 'conv12'],
    ['"%03d|%-4s|" % (7, "ab")', '007|ab  |'],
    ['"%(n)s-%(v)d" % {"n": name, "v": i}', 'x-3'],
    ['"%5.2f" % 2.5', ' 2.50'],
    ['"%x%%" % 255', 'ff%'],
    ['"%r" % name', "'x'"],
    ['"layer{}".format(i)', 'layer3'],
    ['"{0}_{1}_{0}".format(name, i)', 'x_3_x'],
    ['"{n}{i:02d}".format(n=name, i=i)', 'x03'],
    ['"{:>4}|{:<3}|{:^5}".format(i, name, "ab")', '   3|x  | ab  '],
    ['"{!r}".format(name)', "'x'"],
    ['"{{{}}}".format(i)', '{3}'],
    ['f"conv{i}"', 'conv3'],
    ['f"conv{i + 1:02d}_{name!r}{{}}" "tail"', "conv04_'x'{}tail"],
    ['f"{k:,}|{2.5:.3f}|{k:x}|{k:08.3f}"', '12|2.500|c|0012.000'],
    ['str(i) + str(True) + str(None)', '3TrueNone'],
    ['"_".join(["a", name, str(i)])', 'a_x_3'],
    ['f"{(1, 2)}{[name]}"', "(1, 2)['x']"],
    ['f"{-5:+04d}"', '-005'],
    ['str([1, 2, 3, 4, 5][1:4:2])', '[2, 4]'],
    ['"abcdef"[::-2]', 'fdb'],
    ['"abcd"[-3:] + name[5:]', 'bcd'],
    ['str(tuple(range(6))[-2::-2])', '(4, 2, 0)'],
    ['chr(97 + i) + str(ord("a"))', 'd97'],
    ['str(sum(j * j for j in range(i)))', '5'],
    ['str(0 < i <= 3) + str(1 < i < 3)', 'TrueFalse'],
    ['str({"a": 1}.pop("a")) + str({}.pop("b", 2))', '12'],
    ['str(isinstance(i, int)) + str(isinstance(name, (int, str))) + str(isinstance(True, int))', 'TrueTrueTrue'],
    ['str(isinstance([1], (tuple, list))) + str(isinstance(2.5, float)) + str(isinstance(i, str))', 'TrueTrueFalse'],
    // `not` binds tighter than and/or, looser than comparisons
    ['str(not None or not False) + str(not 1 and 1) + str(not 0 or 0 or 1)', 'TrueFalseTrue'],
    ['str(not (1 and 0)) + str(not 1 == 2) + str(not 1 and 0 or 2)', 'TrueTrue2'],
    // floats written with a trailing dot
    ['str(int(2. * 3.)) + ("%.1f" % 2.e1) + str(int(max(0., 1.) + 1.))', '620.02'],
    ['str(7 if i > 0. else 8) + "%.1f" % 5.e-1 + "0." + str(len("1. # 2."))', '70.50.7'],
    ['str(isinstance(nn.ReLU, (int, str))) + str(isinstance(nn.ReLU, type))', 'FalseTrue'],
    ['str("relu" in dir(nn.functional)) + str(hasattr(nn.functional, "silu"))', 'TrueTrue'],
    ['str(tuple(itertools.repeat(7, 3))) + str(list(itertools.chain([1], (2, 3))))', '(7, 7, 7)[1, 2, 3]'],
    ['str(list(itertools.accumulate([1, 2, 3]))) + str(list(itertools.islice(range(10), 2, 8, 3)))', '[1, 3, 6][2, 5]'],
    ['str(list(itertools.product([1, 2], "ab")))', "[(1, 'a'), (1, 'b'), (2, 'a'), (2, 'b')]"],
    [
      '"|".join("a-b-c".split("-", 1) + "a-b-c".rsplit("-", 1) + " p  q ".split()) + "|" + "xxhixx".strip("x") + "ab".zfill(4)',
      'a|b-c|a-b|c|p|q|hi00ab',
    ],
    [
      'str("stem.conv".partition(".")) + str("abc".rpartition("z")) + str("12".isdigit()) + str("ir_r1_k3".count("_")) + "bLOCK".capitalize()',
      "('stem', '.', 'conv')('', '', 'abc')True2Block",
    ],
    ['"nre"[0] + name[-1] + "abc"[1]', 'nxb'],
    [
      'str([a * b for a in range(3) if a for b in (1, 10) if b > a]) + str(max(len(s) for s in ["ab", "c"] for _ in s))',
      '[10, 20]2',
    ],
    [
      'str((1 == 1) is True) + str(False is not False) + str(None is None) + str(nn.ReLU is nn.ReLU)',
      'TrueFalseTrueTrue',
    ],
    [
      'str({**{"a": 1, "b": 2}, "b": 3, **{"c": 4}}) + str(sorted({v % 3 for v in range(7)}))',
      "{'a': 1, 'b': 3, 'c': 4}[0, 1, 2]",
    ],
    [
      'str(functools.partial(functools.partial(dict, a=1), b=2).keywords) + functools.partial(functools.partial(dict, a=1), b=2).func.__name__',
      "{'a': 1, 'b': 2}dict",
    ],
    ['str(isinstance(torch.zeros(2, 3), (list, tuple))) + str(isinstance(torch.zeros(2), torch.Tensor))', 'FalseTrue'],
    ['str((lambda x, y=2: x * y)(3)) + str(sorted([3, 1, 2], key=lambda v: -v))', '6[3, 2, 1]'],
    // dataclasses
    [
      'str(asdict(Stem(64))) + str(astuple(replace(Stem(), act="silu", out_chs=i)))',
      "{'out_chs': 64, 'kernel': (3, 3), 'pools': [], 'act': 'relu'}(3, (3, 3), [], 'silu')",
    ],
    // the re module, as block-string decoders use it
    [
      "str(re.split(r'(\\d.*)', 'k3')) + str(re.split(r'(\\d.*)', 'se0.25')) + str(re.split('[_-]', 'a_b-c'))",
      "['k', '3', '']['se', '0.25', '']['a', 'b', 'c']",
    ],
    ["re.sub(r'(\\w+)\\.(\\d+)', r'\\2_\\g<1>', 'blocks.3 x') + re.sub('a', 'b', 'aXa')", '3_blocks xbXb'],
    [
      "str(re.findall(r'\\d+', 'k3_s2_e6')) + str(re.findall(r'(\\w)(\\d)', 'k3s2'))",
      "['3', '2', '6'][('k', '3'), ('s', '2')]",
    ],
    [
      "(lambda m: m.group(1) + m.group('t') + m.group(2) + str(m.groups()))(re.match(r'(?P<t>[a-z]+)_r(\\d+)', 'ir_r2_k3')) + str(re.match('x', 'ax')) + re.search('x', 'ax').group()",
      "irir2('ir', '2')Nonex",
    ],
    ["str(re.fullmatch(r'\\d+', '12a')) + str(re.compile(r'_').split('a_b'))", "None['a', 'b']"],
    [
      'nn.BatchNorm2d.__name__ + str(nn.BatchNorm2d in (nn.ReLU, nn.BatchNorm2d)) + str(nn.ReLU == nn.ReLU6)',
      'BatchNorm2dTrueFalse',
    ],
  ];
  for (const [expr, text] of table) {
    it(`add_module(${expr}, …) names the module ${JSON.stringify(text)}`, () => {
      const src = [
        'import functools',
        'import itertools',
        'import re',
        'import torch',
        'from dataclasses import asdict, astuple, dataclass, field, replace',
        'import torch.nn as nn',
        '@dataclass',
        'class Stem:',
        '    out_chs: int = 32',
        '    kernel: tuple = (3, 3)',
        '    pools: list = field(default_factory=list)',
        '    act: str = field(default="relu")',
        'i = 3',
        'name = "x"',
        'k = 12',
        'net = nn.Sequential()',
        `net.add_module(${expr}, nn.ReLU())`,
        '# convlens: input_shape=(3, 4, 4)',
        '',
      ].join('\n');
      const r = analyze(src);
      expect(r.models.map((m) => m.layers.map((l) => l.name))).toEqual([[text]]);
    });
  }

  it('a % format with fewer arguments than fields gives an unknown name, not a wrong one or an error', () => {
    const r = analyze('import torch.nn as nn\nnet = nn.Sequential()\nnet.add_module("b%d_%d" % (1,), nn.ReLU())\n');
    expect(r.models[0]!.layers.map((l) => l.name)).toEqual(['0']);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('DenseNet-style model built and called inside test()', () => {
  const src = fixture('densenet_style');
  const [om] = oracle('densenet_style');

  it('under if __name__ == "__main__": every layer, name (features.denseblock1.0.conv), shape and count as PyTorch', () => {
    sameAsOracle(
      analyze(src).models.find((m) => m.name === 'TinyDenseNet'),
      om!,
    );
  });

  it('test() called at module level: the same model and the input made inside test()', () => {
    const called = src.replace('if __name__ == "__main__":\n    test()', 'test()');
    expect(called).not.toBe(src);
    const m = analyze(called).models.find((x) => x.name === 'TinyDenseNet');
    sameAsOracle(m, om!);
    expect(m!.inputSource.kind).toBe('example');
  });

  it('test() never called: the input made inside it is still found', () => {
    const uncalled = src.replace('if __name__ == "__main__":\n    test()', '');
    expect(uncalled).not.toBe(src);
    const r = analyze(uncalled);
    sameAsOracle(
      r.models.find((m) => m.name === 'TinyDenseNet'),
      om!,
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('lists only the model, not its blocks (ConvBNReLU, DenseBlock, Transition are parts of it)', () => {
    expect(analyze(src).models.map((m) => m.name)).toEqual(['TinyDenseNet']);
  });
});

describe('d2l idiom: argparse defaults and `for layer in net: X = layer(X)`', () => {
  const src = fixture('d2l_style');
  const [om] = oracle('d2l_style');

  it('sizes come from the argparse defaults (--num-classes → args.num_classes, dest=, type=int on "120")', () => {
    sameAsOracle(
      analyze(src).models.find((m) => m.name === 'net'),
      om!,
    );
  });

  it('the input is the torch.rand(size=(1, 1, 48, 48)) given to the first layer, not a guess', () => {
    const m = analyze(src).models.find((x) => x.name === 'net')!;
    expect(m.inputSource.kind).toBe('declared');
    expect(m.inputSource.detail).toContain('torch.rand(1, 1, 48, 48)');
  });

  it('a positional argparse argument is unknown: no error, the sizes it feeds are not guessed', () => {
    const r = analyze(
      [
        'import argparse',
        'import torch.nn as nn',
        'p = argparse.ArgumentParser()',
        "p.add_argument('classes', type=int)",
        'a = p.parse_args()',
        'net = nn.Sequential(nn.Flatten(), nn.Linear(12, a.classes))',
        '# convlens: input_shape=(3, 2, 2)',
        '',
      ].join('\n'),
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(dims(r.models[0]!.layers[1]!.outputShape)).toEqual(['?']);
  });
});

describe('no model is lost silently', () => {
  const src = [
    'import torch', // 1
    'import torch.nn as nn', // 2
    'from models.blocks import BasicBlock', // 3
    '', // 4
    'class Block(nn.Module):', // 5
    '    def __init__(self, cin, cout, class_names):', // 6
    '        super().__init__()', // 7
    '        self.conv = nn.Conv2d(cin, cout, 3, 1, 1)', // 8
    '        self.bn = nn.BatchNorm2d(cout)', // 9
    '        self.fc = nn.Linear(cout * 4, len(class_names))', // 10
    '    def forward(self, x):', // 11
    '        x = self.bn(self.conv(x))', // 12
    '        return self.fc(torch.flatten(x, 1))', // 13
    '', // 14
    'class UsesImported(nn.Module):', // 15
    '    def __init__(self, weights=None):', // 16
    '        super().__init__()', // 17
    '        self.conv = nn.Conv2d(3, 64, 3)', // 18
    '        self.layer1 = BasicBlock(64, 64)', // 19
    '        if weights is not None:', // 20
    '            self.extra = nn.Conv2d(64, 64, 1)', // 21
    '    def forward(self, x):', // 22
    '        x = self.conv(x)', // 23
    '        x = self.layer1(x)', // 24
    '        return x', // 25
    '', // 26
    'class CallsUnknown(nn.Module):', // 27
    '    def __init__(self):', // 28
    '        super().__init__()', // 29
    '        self.c = nn.Conv2d(3, 8, 3)', // 30
    '    def forward(self, x):', // 31
    '        return helper_fn(self.c(x))', // 32
    '', // 33
    'class OnlyImported(nn.Module):', // 34
    '    def __init__(self):', // 35
    '        super().__init__()', // 36
    '        self.body = BasicBlock(3, 8)', // 37
    '    def forward(self, x):', // 38
    '        return self.body(x)', // 39
    '', // 40
  ].join('\n');
  const line = (offset: number): number => src.slice(0, offset).split('\n').length;
  const r = analyze(src);
  const partial = r.diagnostics.filter((d) => d.code === 'model-partial');

  it('lists each of the four classes, and none has an error', () => {
    expect(r.models.map((m) => m.name)).toEqual(['Block', 'UsesImported', 'CallsUnknown', 'OnlyImported']);
    expect(r.models.every((m) => m.partial)).toBe(true);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('Block, never created with arguments: information naming the unknown arguments, sizes from them unknown', () => {
    const d = partial.find((x) => x.args.model === 'Block')!;
    expect([d.severity, line(d.range.from), d.args.why, d.args.name]).toEqual([
      'info',
      5,
      'unknown-argument',
      "'cin', 'cout', 'class_names'",
    ]);
    const block = r.models.find((m) => m.name === 'Block')!;
    expect(block.layers.filter((l) => !l.spec.functional).map((l) => [l.name, dims(l.outputShape)])).toEqual([
      ['conv', ['?', 'H', 'W']],
      ['bn', ['?', 'H', 'W']],
      ['fc', ['?']],
    ]);
  });

  it('UsesImported: the conv before the imported block is traced; the stop is at line 24, naming the module', () => {
    const d = partial.find((x) => x.args.model === 'UsesImported')!;
    expect([line(d.range.from), d.args.why, d.args.name, d.args.module]).toEqual([
      24,
      'foreign-class',
      'BasicBlock',
      'models.blocks',
    ]);
    expect(diagnosticMessage(d)).toContain('block class BasicBlock comes from module models.blocks');
    // weights=None: the `if weights is not None` branch is not taken, as in Python
    expect(r.models.find((m) => m.name === 'UsesImported')!.layers.map((l) => l.name)).toEqual(['conv']);
  });

  it('CallsUnknown: stops at line 32 with "call to an unknown function helper_fn"', () => {
    const d = partial.find((x) => x.args.model === 'CallsUnknown')!;
    expect(line(d.range.from)).toBe(32);
    expect(diagnosticMessage(d)).toContain('call to an unknown function helper_fn');
  });

  it('a block of a module not read inside an nn.Sequential: the trace stops at the call of the Sequential, naming it', () => {
    const text = [
      'import torch.nn as nn', // 1
      'from models.blocks import BasicBlock', // 2
      'class Stacked(nn.Module):', // 3
      '    def __init__(self):', // 4
      '        super().__init__()', // 5
      '        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), BasicBlock(8, 8))', // 6
      '    def forward(self, x):', // 7
      '        return self.features(x)', // 8
    ].join('\n');
    const res = analyze(text);
    const d = res.diagnostics.filter((x) => x.code === 'model-partial');
    expect(d.map((x) => [text.slice(0, x.range.from).split('\n').length, x.args.why, x.args.name])).toEqual([
      [8, 'foreign-class', 'BasicBlock'],
    ]);
    expect(res.models[0]!.layers.map((l) => l.name)).toEqual(['features.0']);
  });

  it('OnlyImported: nothing can be traced, and it is still listed with the reason at line 39', () => {
    const m = r.models.find((x) => x.name === 'OnlyImported')!;
    expect(m.layers).toEqual([]);
    const d = partial.find((x) => x.args.model === 'OnlyImported')!;
    expect([line(d.range.from), d.args.why]).toEqual([39, 'foreign-class']);
  });
});

describe('an input inferred from a Linear layer when the file gives none', () => {
  // scratch_batchnorm.py without its example input: the text feeds Linear(16 * 4 * 4, 120)
  // after two 5×5 convolutions and two 2×2 poolings, so 28×28 (the size its oracle ran on)
  const src = fixture('scratch_batchnorm').replace(/^X = torch\.rand.*\ny = net\(X\)\n/m, '');
  const [om] = oracle('scratch_batchnorm');

  it('is found through a module whose forward reassigns its own tensors and reduces over the batch', () => {
    expect(src).not.toContain('torch.rand(');
    const r = analyze(src);
    const model = r.models.find((m) => m.name === 'net')!;
    expect(model.inputShape).toEqual([1, 28, 28]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(model.totalParams).toBe(om!.totalParams);
    expect(model.layers.filter((l) => !l.spec.functional).map((l) => dims(l.outputShape))).toEqual(
      om!.layers.map((l) => l.outputShape),
    );
  });

  it('suits the whole model: of the sizes that give the first view its 90 values, the one the later view accepts', () => {
    // spatial_transformer.py: localization view(-1, 10 * 3 * 3) accepts 26 to 29; the classifier's
    // view(-1, 4 * 12 * 12) only 28 and 29 (its oracle ran on 28)
    const stn = fixture('spatial_transformer').replace(/^y = model\(torch\.randn.*\n/m, '');
    expect(stn).not.toContain('torch.randn(');
    const r = analyze(stn);
    expect(r.models.find((m) => m.name === 'STN')!.inputShape).toEqual([1, 28, 28]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('is not guessed after a trace that stopped: no error comes from a layer the trace never reached', () => {
    const stopped = src.replace('torch.sqrt(var + eps)', 'unknown_helper(var + eps)');
    const r = analyze(stopped);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.diagnostics.some((d) => d.code === 'model-partial' && d.args.name === 'unknown_helper')).toBe(true);
  });
});

describe('a trace that stops at a call taking a list of tensors', () => {
  it('says where, as for a call taking the tensor itself', () => {
    const text = [
      'import torch',
      'import torch.nn as nn',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.c = nn.Conv2d(3, 4, 3)',
      '    def forward(self, x):',
      '        y = self.c(x)',
      '        return helper_merge([y, x])', // 9
      'm = M()',
      'z = m(torch.randn(1, 3, 8, 8))',
      '',
    ].join('\n');
    const r = analyze(text);
    const d = r.diagnostics.filter((x) => x.code === 'model-partial');
    expect(d.map((x) => [text.slice(0, x.range.from).split('\n').length, x.args.name])).toEqual([[9, 'helper_merge']]);
  });
});
