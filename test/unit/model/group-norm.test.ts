/**
 * nn.GroupNorm against real PyTorch: test/fixtures/torch/norm.json (scripts/gen-torch-fixtures.py,
 * torch 1.13) holds F.group_norm's input, γ, β and output for each case, and the parameter count
 * of the nn.GroupNorm module. Each case is checked three ways: the engine op, the analyzed layer
 * (shape and parameters), and the analyzed layer run by the runtime with PyTorch's γ and β.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { groupNorm } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';
import { expectAllclose } from '../helpers/allclose';
import { decodeTensor, type Encoded } from '../helpers/torchFixtures';

interface Case {
  name: string;
  op: string;
  args: { num_groups: number; eps: number; affine: boolean; module_params: number };
  inputs: Record<string, Encoded>;
  output: Encoded;
}

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'torch', 'norm.json');
const cases = (JSON.parse(readFileSync(FILE, 'utf8')) as { cases: Case[] }).cases.filter((c) => c.op === 'group_norm');

const decode = decodeTensor;

const TOL = { atol: 1e-5, rtol: 1e-5 };

describe('nn.GroupNorm = PyTorch', () => {
  it('the fixture file has group_norm cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });

  for (const c of cases) {
    const x = decode(c.inputs['input']!);
    const want = decode(c.output);
    const gamma = c.inputs['weight'] ? decode(c.inputs['weight']).data : null;
    const beta = c.inputs['bias'] ? decode(c.inputs['bias']).data : null;
    const channels = x.shape[1]!;

    it(`engine: ${c.name}`, () => {
      const got = groupNorm(x, 'channelsFirst', { groups: c.args.num_groups, gamma, beta, epsilon: c.args.eps });
      expect(got.shape).toEqual(want.shape);
      expectAllclose(got.data, want.data, TOL, c.name);
    });

    it(`analyzed and run: ${c.name}`, () => {
      const src = [
        'import torch.nn as nn',
        `# convlens: input_shape=(${x.shape.slice(1).join(', ')})`,
        `model = nn.Sequential(nn.GroupNorm(${c.args.num_groups}, ${channels}, eps=${c.args.eps}, affine=${c.args.affine ? 'True' : 'False'}))`,
      ].join('\n');
      const r = analyze(src);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const graph = r.models[0]!;
      const layer = graph.layers[0]!;
      expect(layer.spec.type).toBe('GroupNorm');
      expect(layer.outputShape?.slice(1)).toEqual(x.shape.slice(1));
      expect(layer.params).toBe(c.args.module_params);
      expect(graph.totalParams).toBe(c.args.module_params);
      const runs = runModel(graph, x, (_node, p) => {
        const v = p.name === 'weight' ? gamma : p.name === 'bias' ? beta : null;
        if (!v) throw new Error(`unexpected parameter ${p.name}`);
        return v;
      });
      expect(runs[0]!.output.shape).toEqual(want.shape);
      expectAllclose(runs[0]!.output.data, want.data, TOL, c.name);
    });
  }

  it('num_channels not divisible by num_groups is an error, as PyTorch raises at construction', () => {
    const r = analyze(
      'import torch.nn as nn\n# convlens: input_shape=(8, 4, 4)\nmodel = nn.Sequential(nn.GroupNorm(3, 8))',
    );
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['bad-argument']);
    expect(errors[0]!.args['detail']).toBe('num_channels=8 must be divisible by num_groups=3');
  });
});
