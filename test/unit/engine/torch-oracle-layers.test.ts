/**
 * Engine ops against real PyTorch: test/fixtures/torch/layers.json (scripts/gen-torch-fixtures.py,
 * torch 1.13) holds F.pad in every mode (negative pads, pads equal to the size, 3-D and 4-D
 * inputs), F.pixel_shuffle / F.pixel_unshuffle, F.instance_norm (own and running statistics),
 * F.prelu and F.hardtanh, with inputs and outputs. rtol 1e-5.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  activation,
  batchNorm,
  groupNorm,
  pad,
  pixelShuffle,
  preluChannels,
  tensor,
  type Tensor,
} from '../../../src/engine';
import type { FillMode } from '../../../src/engine';
import { expectAllclose } from '../helpers/allclose';

interface Encoded {
  shape: number[];
  data: string;
}
interface Case {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Record<string, Encoded>;
  output: Encoded;
}

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'torch', 'layers.json');
const cases = (JSON.parse(readFileSync(FILE, 'utf8')) as { cases: Case[] }).cases;

function decode(e: Encoded): Tensor {
  const bytes = Buffer.from(e.data, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return tensor(e.shape, out, 'fixture');
}

/** PyTorch's flat pad (last dimension first) → one [before, after] pair per axis of a rank-r tensor. */
function axisPads(flat: number[], rank: number): [number, number][] {
  const pads: [number, number][] = Array.from({ length: rank }, () => [0, 0]);
  for (let i = 0; i < flat.length / 2; i++) pads[rank - 1 - i] = [flat[2 * i]!, flat[2 * i + 1]!];
  return pads;
}

function run(c: Case): Tensor {
  const x = decode(c.inputs['input']!);
  const t = (k: string) => (c.inputs[k] ? decode(c.inputs[k]).data : null);
  const a = c.args;
  switch (c.op) {
    case 'pad':
      return pad(x, axisPads(a['pad'] as number[], x.shape.length), a['mode'] as FillMode, a['value'] as number);
    case 'pixel_shuffle':
    case 'pixel_unshuffle':
      return pixelShuffle(x, a['factor'] as number, c.op === 'pixel_unshuffle');
    case 'instance_norm': {
      const eps = a['eps'] as number;
      const mean = t('running_mean');
      const variance = t('running_var');
      return mean && variance
        ? batchNorm(x, 'channelsFirst', { gamma: t('weight'), beta: t('bias'), mean, variance, epsilon: eps })
        : groupNorm(x, 'channelsFirst', { groups: x.shape[1]!, gamma: t('weight'), beta: t('bias'), epsilon: eps });
    }
    case 'prelu':
      return preluChannels(x, t('weight')!);
    case 'hardtanh':
      return activation(x, 'hardtanh', { min: a['min_val'] as number, max: a['max_val'] as number });
    default:
      throw new Error(`no engine op for ${c.op}`);
  }
}

describe('padding, pixel shuffle, instance norm, PReLU, hardtanh = PyTorch', () => {
  it('the fixture file covers every op and every padding mode', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(
      new Set(['pad', 'pixel_shuffle', 'pixel_unshuffle', 'instance_norm', 'prelu', 'hardtanh']),
    );
    expect(new Set(cases.filter((c) => c.op === 'pad').map((c) => c.args['mode']))).toEqual(
      new Set(['constant', 'reflect', 'replicate', 'circular']),
    );
  });

  for (const c of cases) {
    it(`${c.op}: ${c.name}`, () => {
      const want = decode(c.output);
      const got = run(c);
      expect(got.shape).toEqual(want.shape);
      expectAllclose(got.data, want.data, { rtol: 1e-5, atol: 1e-6 }, c.name);
    });
  }

  it("reflect refuses pad ≥ size and circular pad > size, with PyTorch's condition in the message", () => {
    const x = tensor([1, 1, 3], [1, 2, 3]);
    expect(() => pad(x, axisPads([3, 0], 3), 'reflect')).toThrow(
      'padding size should be less than the corresponding input dimension, but got: padding (3, 0) at dimension 2',
    );
    expect(() => pad(x, axisPads([0, 4], 3), 'circular')).toThrow('wraps around more than once');
    expect(pad(x, axisPads([3, 3], 3), 'circular').data).toEqual(new Float32Array([1, 2, 3, 1, 2, 3, 1, 2, 3]));
  });
});
