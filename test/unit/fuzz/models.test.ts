/**
 * Fuzzing of the model readers and the Python front end (fast-check). Model files (.onnx through
 * our protobuf decoder, .keras zips and legacy .h5 through the Keras reader) are real files
 * mutated; each ends in a ModelFile or an InputError of one line, never the "unexpected error"
 * safety net. Python: random token soup (keywords, layer constructors, brackets, operators,
 * indentation, huge numbers, strings) parses without throwing, and the analyzer returns a result
 * that did not need its own safety net ("analysis failed: …"). Bounded runs, fixed seeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { parsePython } from '../../../src/analysis/python/parse';
import { readModelFile } from '../../../src/modelfile';
import { mutated, ownOutcome, RUNS } from './mutate';

const DIR = join(__dirname, '..', '..', 'fixtures', 'modelfiles');
const read = (...p: string[]): Uint8Array => new Uint8Array(readFileSync(join(DIR, ...p)));

const onnx = ['auto_pad', 'branches', 'misc_ops', 'norm_pool_resize', 'partial_lrn'].map((n) =>
  read('onnx', `${n}.onnx`),
);
const kerasZip = [read('keras', 'separable.keras'), read('keras', 'bn_pool.keras')];
const legacyH5 = [read('keras', 'legacy_seq.h5')];

describe('fuzz: model files end in a model or an InputError', () => {
  it('the seeds are models', () => {
    for (const b of onnx) expect(readModelFile(b, 'm.onnx').graph).not.toBeNull();
    for (const b of kerasZip) expect(readModelFile(b, 'm.keras').graph).not.toBeNull();
    for (const b of legacyH5) expect(readModelFile(b, 'm.h5').graph).not.toBeNull();
  });

  it('ONNX (protobuf)', () => {
    fc.assert(
      fc.property(mutated(onnx), (b) => void ownOutcome(() => readModelFile(b, 'm.onnx'))),
      RUNS(300, 801),
    );
    // random protobuf: field keys with every wire type, lengths past the end, deep nesting
    const varint = (n: number): number[] => {
      const out: number[] = [];
      for (let v = n >>> 0; ; v >>>= 7) {
        if (v < 0x80) return [...out, v];
        out.push((v & 0x7f) | 0x80);
      }
    };
    const field: fc.Arbitrary<number[]> = fc
      .tuple(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 5 }),
        fc.nat(300),
        fc.uint8Array({ maxLength: 40 }),
      )
      .map(([num, wire, n, bytes]) => [...varint((num << 3) | wire), ...varint(n), ...bytes]);
    fc.assert(
      fc.property(fc.array(field, { maxLength: 30 }), (fields) => {
        void ownOutcome(() => readModelFile(new Uint8Array(fields.flat()), 'm.onnx'));
      }),
      RUNS(300, 802),
    );
  });

  it('.keras zip and legacy .h5 model files', () => {
    fc.assert(
      fc.property(mutated(kerasZip), (b) => void ownOutcome(() => readModelFile(b, 'm.keras'))),
      RUNS(120, 901),
    );
    fc.assert(
      fc.property(mutated(legacyH5), (b) => void ownOutcome(() => readModelFile(b, 'm.h5'))),
      RUNS(120, 902),
    );
  });
});

const TOKENS = [
  'import torch',
  'import torch.nn as nn',
  'from tensorflow import keras',
  'from keras import layers',
  'class',
  'def',
  'return',
  'for',
  'while',
  'if',
  'else',
  'in',
  'lambda',
  'yield',
  'with',
  'as',
  'try',
  'except',
  'raise',
  'global',
  'nonlocal',
  'del',
  'assert',
  'async',
  'await',
  'pass',
  'super().__init__()',
  'self',
  'x',
  'model',
  'nn.Module',
  'nn.Conv2d(3, 8, 3)',
  'nn.Sequential(',
  'nn.Linear(',
  'keras.Sequential([',
  'layers.Conv2D(',
  'layers.Dense(',
  'keras.Input(shape=(',
  'torch.randn(1, 3, 32, 32)',
  'range(',
  'len(',
  'sorted(',
  'list(',
  'print(',
  '@property',
  '@',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  '=',
  '==',
  '+',
  '-',
  '*',
  '**',
  '/',
  '//',
  '%',
  '<<',
  '>>',
  '->',
  ':=',
  '...',
  '0',
  '1',
  '3',
  '-1',
  '1e308',
  '10**100',
  '99999999999999999999',
  '0.5',
  'None',
  'True',
  "'same'",
  '"valid"',
  "f'{x}'",
  '"""',
  "'''",
  '#',
  '# convlens: input_shape=(3, 32, 32)',
  '\\',
  '\n',
  '\n    ',
  '\n        ',
  '\t',
  ' ',
];

describe('fuzz: the Python front end on token soup', () => {
  it('parses without throwing and analyzes without the safety net', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), (tokens) => {
        const src = tokens.join(' ');
        parsePython(src);
        const r = analyze(src);
        const failed = r.diagnostics.filter((d) => String(d.args.detail ?? '').startsWith('analysis failed'));
        expect(failed).toEqual([]);
        expect(Array.isArray(r.models)).toBe(true);
      }),
      RUNS(400, 1001),
    );
  });

  it('a well-formed skeleton with token soup in its layer arguments', () => {
    const arg = fc.array(fc.constantFrom(...TOKENS.filter((t) => !t.includes('\n'))), { maxLength: 12 });
    fc.assert(
      fc.property(arg, arg, (a, b) => {
        const src = `import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, ${a.join(' ')}, 3)
        self.fc = nn.Linear(${b.join(' ')})
    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))
model = Net()
y = model(torch.randn(1, 3, 32, 32))
`;
        const r = analyze(src);
        expect(r.diagnostics.filter((d) => String(d.args.detail ?? '').startsWith('analysis failed'))).toEqual([]);
      }),
      RUNS(300, 1002),
    );
  });
});
