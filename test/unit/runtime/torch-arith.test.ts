/**
 * Element-wise tensor arithmetic written in forward() and nn.Conv1d/Conv2d's padding_mode, against
 * real PyTorch (test/fixtures/torch-arith/cases.json, written by scripts/gen-torch-arith.py with
 * torch 1.13: `/usr/bin/python3 scripts/gen-torch-arith.py`).
 *
 * Each case's Python source (stored in the fixture) is analyzed with the input shape PyTorch used
 * and run with `runModel` on PyTorch's weights and input: every leaf module's output (PyTorch's
 * forward hooks) and the model's return value are compared, shape and values. A case PyTorch
 * refuses must be an error diagnostic of ours, located on the convolution, saying what PyTorch says.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { Tensor } from '../../../src/engine';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { LayerNode } from '../../../src/model/ir';
import { runModel, type WeightSource } from '../../../src/runtime/forward';
import type { ParamSpec } from '../../../src/runtime/init';
import { expectAllclose } from '../helpers/allclose';
import { decodeTensor, type Encoded } from '../helpers/torchFixtures';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURE = join(REPO, 'test', 'fixtures', 'torch-arith', 'cases.json');

interface Case {
  id: string;
  source: string;
  inputShape: number[];
  input?: Encoded;
  weights?: Record<string, Encoded>;
  layers?: { name: string; type: string; out: Encoded }[];
  output?: Encoded;
  error?: { type: string; message: string };
}

const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { torch: string; cases: Case[] };

/** rtol 1e-4 on each value plus 1e-5 × max|expected| of the tensor (float32 sums in another order). */
function compare(actual: Tensor, expected: Tensor, label: string): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let max = 0;
  for (const v of expected.data) max = Math.max(max, Math.abs(v));
  expectAllclose(actual.data, expected.data, { rtol: 1e-4, atol: 1e-5 * max }, label);
}

/**
 * What of PyTorch's message ours must contain, for each error PyTorch raises (its set of modes is
 * written in our order; its padding checks in the engine's words, with the same numbers).
 */
function expectedPhrases(e: { message: string }): string[] {
  const m = e.message;
  let r: RegExpMatchArray | null;
  if ((r = m.match(/^padding_mode must be one of .*, but got (padding_mode='.*')$/)))
    return ["padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular'", `but got ${r[1]}`];
  if (
    (r = m.match(
      /Padding size should be less than the corresponding input dimension, but got: (padding \(\d+, \d+\)) at dimension (\d+)/,
    ))
  )
    return ['padding size should be less than the corresponding input dimension', r[1]!, `at dimension ${r[2]}`];
  if (m === 'Padding value causes wrapping around more than once.') return ['wraps around more than once'];
  if (m.startsWith('Only "zeros" padding mode is supported for ConvTranspose')) return [m];
  if (m === "padding='same' is not supported for strided convolutions") return ["padding='same'", 'stride'];
  throw new Error(`no expectation for PyTorch's message: ${m}`);
}

describe(`forward() arithmetic and padding_mode = real PyTorch ${doc.torch}`, () => {
  it('covers every operator, broadcasting and each padding_mode on Conv1d and Conv2d', () => {
    const ids = doc.cases.map((c) => c.id);
    for (const id of ['sub', 'mul', 'div', 'rsub', 'rdiv', 'pow', 'neg', 'alpha', 'inplace_methods', 'se_block'])
      expect(ids).toContain(id);
    for (const mode of ['zeros', 'reflect', 'replicate', 'circular'])
      for (const conv of ['conv1d', 'conv2d']) expect(ids).toContain(`${conv}_${mode}`);
  });

  for (const c of doc.cases.filter((x) => !x.error)) {
    it(c.id, () => {
      const result = analyze(c.source, { inputShape: c.inputShape });
      const model = result.models.find((m) => m.name === 'Net') ?? result.models.find((m) => m.name === 'model');
      expect(model, `${c.id}: models found: ${result.models.map((m) => m.name).join(', ')}`).toBeDefined();
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => diagnosticMessage(d))).toEqual([]);
      expect(model!.partial ?? false).toBe(false);

      const weights = new Map(Object.entries(c.weights!).map(([k, v]) => [k, decodeTensor(v)]));
      const used = new Set<string>();
      const source: WeightSource = (node: LayerNode, p: ParamSpec) => {
        const key = `${node.name}.${p.name}`;
        const w = weights.get(key);
        if (!w) throw new Error(`${c.id}: no tensor '${key}' (has: ${[...weights.keys()].join(', ')})`);
        expect(p.shape, `${key}: shape`).toEqual(w.shape);
        used.add(key);
        return w.data;
      };
      const runs = runModel(model!, decodeTensor(c.input!), source);

      // our module layers, named as PyTorch's hooks are (the k-th call of a module is <name>@k)
      const calls = new Map<string, number>();
      const ours = new Map<string, Tensor>();
      for (const r of runs) {
        if (r.layer.spec.functional || r.layer.name.includes('#')) continue;
        const k = (calls.get(r.layer.name) ?? 0) + 1;
        calls.set(r.layer.name, k);
        ours.set(k === 1 ? r.layer.name : `${r.layer.name}@${k}`, r.output);
      }
      expect([...ours.keys()]).toEqual(c.layers!.map((l) => l.name));
      for (const l of c.layers!) compare(ours.get(l.name)!, decodeTensor(l.out), `${c.id}: ${l.name} (${l.type})`);
      compare(runs[runs.length - 1]!.output, decodeTensor(c.output!), `${c.id}: output`);
      expect([...weights.keys()].filter((k) => !used.has(k))).toEqual([]);
    });
  }

  for (const c of doc.cases.filter((x) => x.error)) {
    it(`${c.id}: ${c.error!.type} as PyTorch raises it`, () => {
      const result = analyze(c.source, { inputShape: c.inputShape });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.length, `${c.id}: no error for PyTorch's "${c.error!.message}"`).toBeGreaterThan(0);
      const d = errors[0]!;
      const text = diagnosticMessage(d);
      for (const phrase of expectedPhrases(c.error!))
        expect(text.toLowerCase(), `${c.id}: ${text}`).toContain(phrase.toLowerCase());
      // located on the value of the layer's padding_mode (or padding) argument
      const lines = c.source.split('\n');
      const line = lines.findIndex((l) => l.includes('self.c = '));
      const at = c.source.slice(0, d.range.from).split('\n').length - 1;
      expect(at, `${c.id}: diagnostic on line ${at + 1}`).toBe(line);
      const value = c.source.slice(d.range.from, d.range.to);
      expect(lines[line]!.includes(`padding_mode=${value}`) || lines[line]!.includes(`padding=${value}`), value).toBe(
        true,
      );
    });
  }

  it('a padding_mode whose value cannot be read is said, on the layer, never taken as zeros', () => {
    const src = `import torch.nn as nn
import config

model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, padding_mode=config.MODE), nn.ReLU())
# convlens: input_shape=(1, 8, 8)
`;
    const r = analyze(src);
    expect(r.models[0]!.layers[0]!.spec.cfg).toEqual({ kind: 'unknown', reason: 'its padding_mode could not be read' });
    const d = r.diagnostics.find((x) => x.code === 'unreadable-layer');
    expect(d && diagnosticMessage(d)).toContain('padding_mode could not be read');
    expect(src.slice(d!.range.from, d!.range.to)).toContain('padding_mode=config.MODE');
  });

  it('an in-place method not modelled on a traced tensor stops the trace there, saying so (its values are not taken as unchanged)', () => {
    const src = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 2, 3, padding=1)

    def forward(self, x):
        y = self.c(x)
        y.add_(1)
        y.clamp_(min=0)
        return y

model = Net()
# convlens: input_shape=(1, 8, 8)
`;
    const r = analyze(src);
    const m = r.models[0]!;
    expect(m.partial).toBe(true);
    expect(m.layers.map((l) => l.spec.type)).toEqual(['Conv2d', 'add_scalar']);
    const d = r.diagnostics.find((x) => x.code === 'model-partial');
    expect(d && diagnosticMessage(d)).toContain('Tensor.clamp_');
    expect(src.slice(d!.range.from, d!.range.to)).toBe('y.clamp_(min=0)');
  });
});
