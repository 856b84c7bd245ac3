/** Top-level chunking: where a new top-level statement starts, and where it does not. */
import { describe, expect, it } from 'vitest';
import { splitTopLevel } from '../../../src/analysis/python/chunks';
import { analyze } from '../../../src/analysis/analyze';

function heads(src: string): string[] {
  return splitTopLevel(src).map((c) => src.slice(c.from, c.to).split('\n')[0]!);
}

describe('splitTopLevel', () => {
  it('one chunk per top-level statement; lines inside brackets, strings and continuations never start one', () => {
    const src = [
      'import torch',
      'x = foo(1,',
      'bar)',
      's = """doc',
      'y = 2 in a string',
      '"""',
      "t = 'a # not a comment ('",
      'z = 1 + \\',
      'w',
      '# a comment at column 0',
      'class A:',
      '    pass',
      '',
    ].join('\n');
    expect(heads(src)).toEqual([
      'import torch',
      'x = foo(1,',
      's = """doc',
      "t = 'a # not a comment ('",
      'z = 1 + \\',
      'class A:',
    ]);
  });

  it('decorators stay with their def, and elif/else/except/finally with their statement', () => {
    const src =
      '@torch.no_grad()\ndef f(x):\n    return x\nif a:\n    b = 1\nelif c:\n    b = 2\nelse:\n    b = 3\ntry:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n';
    const cs = splitTopLevel(src);
    expect(cs.map((c) => [src.slice(c.from, c.to).split('\n')[0], c.defName])).toEqual([
      ['@torch.no_grad()', 'f'],
      ['if a:', null],
      ['try:', null],
    ]);
  });

  it('chunks cover the source exactly', () => {
    const src = '\n\n# header\nimport x\n\n\ndef g():\n    pass\n';
    const cs = splitTopLevel(src);
    expect(cs[0]!.from).toBe(0);
    expect(cs[cs.length - 1]!.to).toBe(src.length);
    for (let i = 1; i < cs.length; i++) expect(cs[i]!.from).toBe(cs[i - 1]!.to);
  });
});

describe('functions parsed on first call', () => {
  it('a top-level builder function, called after its definition, and a decorated one', () => {
    const r = analyze(
      'from tensorflow import keras\n@some.decorator\ndef build(n=4):\n    return keras.Sequential([keras.layers.Dense(n, input_shape=(3,))])\nmodel = build()\n',
    );
    expect(r.models.map((m) => [m.name, m.layers[0]!.outputShape?.slice(1)])).toEqual([['model', [4]]]);
  });

  it('`if __name__ == "__main__":` blocks run', () => {
    const r = analyze(
      'import torch, torch.nn as nn\nclass N(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(1, 2, 3)\n    def forward(self, x):\n        return self.c(x)\nif __name__ == "__main__":\n    N()(torch.randn(1, 1, 5, 5))\n',
    );
    expect(r.models[0]!.layers[0]!.outputShape?.slice(1)).toEqual([2, 3, 3]);
  });
});
