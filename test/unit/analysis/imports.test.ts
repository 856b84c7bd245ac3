/**
 * Following imports into other modules: the two-module package test/fixtures/models/torch/pkg_import
 * (a block class imported with `from .blocks import Block`, `from pkg_import.blocks import head` and
 * `import pkg_import.blocks as B`) is copied into a temp dir and analyzed through the CLI's resolver;
 * its layers, shapes, parameters and buffers equal what real PyTorch reports
 * (scripts/gen-torch-pkg-import.py → model.oracle.json). Then an import cycle a.py ⇄ b.py, a missing
 * module, and a layer error raised inside another module (reported here, naming that file).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { fileResolver } from '../../../src/cli/resolver';

const FIXTURE = 'test/fixtures/models/torch/pkg_import';
const tmp = mkdtempSync(join(tmpdir(), 'convlens-imports-'));
const pkg = join(tmp, 'pkg_import');
cpSync(FIXTURE, pkg, { recursive: true });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface OracleRow {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
  buffers: number;
}
const oracle = JSON.parse(readFileSync(join(FIXTURE, 'model.oracle.json'), 'utf8')) as {
  totalParams: number;
  buffers: number;
  layers: OracleRow[];
};

function run(file: string, source?: string) {
  const text = source ?? readFileSync(file, 'utf8');
  if (source !== undefined) writeFileSync(file, source);
  return { text, result: analyze(text, { resolver: fileResolver(file) }) };
}

describe('imports followed into other modules', () => {
  it('reads a model built from another module against PyTorch', () => {
    const { text, result } = run(join(pkg, 'model.py'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const net = result.models.find((m) => m.name === 'model' || m.name === 'Net')!;
    expect(net).toBeDefined();
    const ours = net.layers.filter((l) => !l.spec.functional);
    expect(ours.map((l) => [l.name, l.spec.type, l.outputShape?.slice(1), l.params, l.buffers ?? 0])).toEqual(
      oracle.layers.map((r) => [r.name, r.type, r.outputShape, r.params, r.buffers]),
    );
    expect(net.totalParams).toBe(oracle.totalParams);
    expect(net.buffers).toBe(oracle.buffers);
    // layers built in blocks.py carry that file and are shown at the call in model.py
    const conv = ours.find((l) => l.name === 'down.conv')!;
    expect(conv.spec.file?.endsWith('pkg_import/blocks.py')).toBe(true);
    expect(text.slice(conv.spec.range.from, conv.spec.range.to)).toBe('B.Block(WIDTH, 16, stride=2)');
    expect(Object.keys(conv.argRanges)).toEqual([]);
  });

  it('without a resolver the imported block stays unknown, as before', () => {
    const result = analyze(readFileSync(join(pkg, 'model.py'), 'utf8'));
    const net = result.models[0];
    expect(net?.layers.filter((l) => !l.spec.functional).length ?? 0).toBeLessThan(oracle.layers.length);
  });

  it('ends an import cycle a.py ⇄ b.py with the partial namespace, as Python does', () => {
    writeFileSync(
      join(pkg, 'b.py'),
      'import torch.nn as nn\nfrom .a import A_CONST\nfrom . import a\nB_CH = 4\ndef conv(c):\n    return nn.Conv2d(3, c, 3)\n',
    );
    const { result } = run(
      join(pkg, 'a.py'),
      'import torch\nimport torch.nn as nn\nfrom .b import conv, B_CH\nA_CONST = 1\nmodel = nn.Sequential(conv(B_CH))\ny = model(torch.randn(1, 3, 8, 8))\n',
    );
    const layer = result.models.flatMap((m) => m.layers).find((l) => l.spec.type === 'Conv2d');
    expect(layer?.outputShape?.slice(1)).toEqual([4, 6, 6]);
    expect(layer?.params).toBe(3 * 4 * 9 + 4);
  });

  it('a missing module leaves its names unknown and does not fail', () => {
    const { result } = run(
      join(pkg, 'c.py'),
      'import torch.nn as nn\nfrom .nowhere import Thing\nfrom pkg_import.absent import other\nimport not_installed.sub as S\nm = nn.Sequential(nn.Conv2d(3, 8, 3), Thing(), S.f())\n',
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.models.length).toBe(1);
  });

  it('reports an error raised inside another module at the call here, naming that file', () => {
    const { text, result } = run(
      join(pkg, 'bad.py'),
      'import torch\nfrom .blocks import Block\nnet = Block(5, 8)\ny = net(torch.randn(1, 3, 16, 16))\n',
    );
    const err = result.diagnostics.find((d) => d.severity === 'error')!;
    expect(err.code).toBe('channel-mismatch');
    expect(text.slice(err.range.from, err.range.to)).toBe('Block(5, 8)');
    expect(err.fix).toBeUndefined();
    expect(diagnosticMessage(err)).toMatch(/\(in blocks\.py\)$/);
  });
});

describe("a module's __dict__, as pytorch/examples' imagenet picks its architecture", () => {
  it('models.__dict__[args.arch]() builds the class the argparse default names', () => {
    const dir = join(tmp, 'zoo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'lib.py'),
      [
        'import torch.nn as nn',
        'class Tiny(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.conv = nn.Conv2d(3, 8, 3)',
        '    def forward(self, x):',
        '        return self.conv(x)',
        '',
      ].join('\n'),
    );
    const src = [
      'import argparse',
      'import torch',
      'import lib as models',
      'parser = argparse.ArgumentParser()',
      "parser.add_argument('--arch', default='Tiny')",
      'def main():',
      '    args = parser.parse_args()',
      '    model = models.__dict__[args.arch]()',
      '    y = model(torch.randn(1, 3, 32, 32))',
      "if __name__ == '__main__':",
      '    main()',
      '',
    ].join('\n');
    const { result } = run(join(dir, 'main.py'), src);
    const m = result.models.find((x) => x.name === 'Tiny')!;
    // Conv2d(3, 8, 3) on 32×32: 8 maps of 30×30, 3·3·3·8 + 8 = 224 parameters
    expect(m.layers.map((l) => [l.name, l.outputShape?.slice(1), l.params])).toEqual([['conv', [8, 30, 30], 224]]);
    expect(m.totalParams).toBe(224);
  });
});

describe('two models of one library class', () => {
  it('are two models, as the transfer-learning tutorial builds model_ft and model_conv', () => {
    const dir = join(tmp, 'zoo2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'lib.py'),
      [
        'import torch.nn as nn',
        'def tiny():',
        '    return nn.Sequential(nn.Conv2d(3, 8, 3))',
        'class Net(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.conv = nn.Conv2d(3, 8, 3)',
        '    def forward(self, x):',
        '        return self.conv(x)',
        '',
      ].join('\n'),
    );
    const src = [
      'import torch.nn as nn',
      'import lib',
      'model_ft = lib.Net()',
      'model_ft.conv = nn.Conv2d(3, 4, 3)',
      'model_conv = lib.Net()',
      '',
    ].join('\n');
    const { result } = run(join(dir, 'main.py'), src);
    const nets = result.models.filter((m) => m.name === 'Net');
    // Conv2d(3, 4, 3): 3·3·3·4 + 4 = 112 parameters; Conv2d(3, 8, 3): 224
    expect(nets.map((m) => m.totalParams)).toEqual([112, 224]);
  });
});
