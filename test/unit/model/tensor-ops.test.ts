/**
 * Tensor operations in forward() against real PyTorch: test/fixtures/torch/tensor_ops.json
 * (scripts/gen-torch-fixtures.py, torch 1.13) holds inputs and outputs of broadcasting arithmetic,
 * arithmetic with numbers, permute/transpose, squeeze/unsqueeze, reductions, max/min(dim) values
 * and indices, and every piece of chunk/split — plus calls PyTorch refuses, with its message.
 * Each case is checked on the engine op, then written in a module's forward() both as a tensor
 * method and as a torch function, analyzed (shape) and run by the runtime (values); a binary case
 * also with its second operand held by the model (a torch.tensor of its numbers, an nn.Parameter).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import * as E from '../../../src/engine';
import { conventions } from '../../../src/model/conventions';
import { inferLayer } from '../../../src/model/layers';
import { splitPieces, type SplitSpec } from '../../../src/model/layers/axes';
import { runModel } from '../../../src/runtime/forward';
import type { Dim } from '../../../src/shared/dims';
import { expectAllclose } from '../helpers/allclose';

interface Encoded {
  shape: number[];
  data: string;
}
type Args = Record<string, unknown>;
interface Case {
  name: string;
  op: string;
  args: Args;
  inputs: Record<string, Encoded>;
  output: Encoded;
}
interface ErrorCase {
  name: string;
  op: string;
  args: Args;
  shapes: number[][];
  error: string;
}

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'torch', 'tensor_ops.json');
const doc = JSON.parse(readFileSync(FILE, 'utf8')) as { cases: Case[]; errors: ErrorCase[] };

function decode(e: Encoded): E.Tensor {
  const bytes = Buffer.from(e.data, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return E.tensor(e.shape, out, 'fixture');
}

/** Arithmetic is exact up to float32 rounding; sums and means add rounding of their terms. */
const TOL = { atol: 1e-5, rtol: 1e-5 };

const py = (v: unknown): string =>
  v === null || v === undefined
    ? 'None'
    : typeof v === 'boolean'
      ? v
        ? 'True'
        : 'False'
      : Array.isArray(v)
        ? `[${v.map(py).join(', ')}]`
        : String(v);

const SCALAR_SYMBOL: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', pow: '**' };

function splitOf(a: Args): SplitSpec {
  if ('chunks' in a) return { chunks: a['chunks'] as number };
  const s = a['split_size_or_sections'];
  return Array.isArray(s) ? { sizes: s as number[] } : { size: s as number };
}

/** The engine op the case exercises. */
function engineOp(c: Case): E.Tensor {
  const a = c.args;
  const x = c.inputs['input'] ? decode(c.inputs['input']) : null;
  const dim = a['dim'] as number;
  const keepdim = a['keepdim'] as boolean;
  const dims = a['dim'] === null ? null : Array.isArray(a['dim']) ? (a['dim'] as number[]) : [dim];
  switch (c.op) {
    case 'binary':
      return E.binaryBroadcast(decode(c.inputs['a']!), decode(c.inputs['b']!), a['op'] as E.BinaryOp);
    case 'scalar':
      return E.scalarOp(x!, a['op'] as E.ScalarOp, a['value'] as number, a['scalarFirst'] as boolean);
    case 'permute':
      return E.permute(x!, a['dims'] as number[]);
    case 'transpose': {
      const perm = x!.shape.map((_, i) => i);
      const d0 = E.normalizeAxis(a['dim0'] as number, perm.length, 't');
      const d1 = E.normalizeAxis(a['dim1'] as number, perm.length, 't');
      [perm[d0], perm[d1]] = [d1, d0];
      return E.permute(x!, perm);
    }
    case 'squeeze':
    case 'unsqueeze':
      return E.reshape(x!, decode(c.output).shape);
    case 'max_values':
    case 'min_values':
      return E.reduce(x!, c.op === 'max_values' ? 'amax' : 'amin', [dim], keepdim);
    case 'max_indices':
    case 'min_indices':
      return E.reduce(x!, c.op === 'max_indices' ? 'argmax' : 'argmin', [dim], keepdim);
    case 'chunk':
    case 'split': {
      const axis = E.normalizeAxis(dim, x!.shape.length, c.op);
      const pieces = splitPieces(x!.shape[axis]!, splitOf(a), axis);
      if (typeof pieces === 'string') throw new Error(pieces);
      expect(pieces.length, 'the number of pieces').toBe(a['count']);
      const [start, length] = pieces[a['index'] as number]!;
      return E.sliceAxis(x!, dim, start, length);
    }
    default:
      return E.reduce(x!, c.op as E.ReduceOp, dims, keepdim);
  }
}

/** forward()'s return expression and the node holding the result, as a method or a torch function. */
function written(c: Case, form: 'method' | 'torch'): { expr: string; node: string } | null {
  const a = c.args;
  const t = form === 'torch';
  const call = (name: string, rest: string): string =>
    t ? `torch.${name}(x${rest ? `, ${rest}` : ''})` : `x.${name}(${rest})`;
  const node = (name: string, k = 1): string => `${t ? `torch.${name}` : name}#${k}`;
  switch (c.op) {
    case 'scalar': {
      const [op, v, first] = [a['op'] as string, a['value'] as number, a['scalarFirst'] as boolean];
      if (t) return first || op === 'pow' ? null : { expr: `torch.${op}(x, ${v})`, node: `${op}_scalar#1` };
      if (op === 'mul' && v === -1) return { expr: '-x', node: 'mul_scalar#1' };
      const s = SCALAR_SYMBOL[op]!;
      return { expr: first ? `${v} ${s} x` : `x ${s} ${v}`, node: `${op}_scalar#1` };
    }
    case 'permute':
      return {
        expr: call('permute', t ? `(${(a['dims'] as number[]).join(', ')})` : (a['dims'] as number[]).join(', ')),
        node: node('permute'),
      };
    case 'transpose':
      return { expr: call('transpose', `${a['dim0']}, ${a['dim1']}`), node: node('transpose') };
    case 'squeeze':
    case 'unsqueeze':
      return { expr: call(c.op, a['dim'] === null ? '' : String(a['dim'])), node: node(c.op) };
    case 'max_values':
    case 'max_indices':
    case 'min_values':
    case 'min_indices': {
      const [name, part] = c.op.split('_') as [string, string];
      const rest = t ? `dim=${a['dim']}, keepdim=${py(a['keepdim'])}` : `${a['dim']}, ${py(a['keepdim'])}`;
      return {
        expr: `${call(name, rest)}[${part === 'values' ? 0 : 1}]`,
        node: part === 'values' ? node(name) : `${t ? `torch.${name}` : name}.indices#1`,
      };
    }
    case 'chunk':
    case 'split': {
      const first = c.op === 'chunk' ? a['chunks'] : a['split_size_or_sections'];
      const i = a['index'] as number;
      return { expr: `${call(c.op, `${py(first)}, dim=${a['dim']}`)}[${i}]`, node: node(c.op, i + 1) };
    }
    default: {
      if (a['dim'] === null) return { expr: call(c.op, ''), node: node(c.op) };
      const rest = t ? `${py(a['dim'])}, ${py(a['keepdim'])}` : `dim=${py(a['dim'])}, keepdim=${py(a['keepdim'])}`;
      return { expr: call(c.op, rest), node: node(c.op) };
    }
  }
}

function moduleSource(expr: string, init: string | null = null): string {
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    'class Ops(nn.Module):',
    ...(init ? ['    def __init__(self):', '        super().__init__()', `        ${init}`] : []),
    '    def forward(self, x):',
    `        return ${expr}`,
    '',
    'model = Ops()',
  ].join('\n');
}

const BINARY_SYMBOL: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };

/** Analyzed shape with the symbolic batch N as the fixture's batch. */
function concrete(shape: readonly Dim[] | null, batch: number): (number | string)[] | null {
  return shape ? shape.map((d) => (typeof d === 'number' ? d : d.sym === 'N' ? batch : d.sym)) : null;
}

describe('tensor ops = PyTorch (tensor_ops.json)', () => {
  it('the fixture file has cases of every op and the errors PyTorch raises', () => {
    const ops = new Set(doc.cases.map((c) => c.op));
    for (const op of ['binary', 'scalar', 'permute', 'transpose', 'squeeze', 'unsqueeze', 'mean', 'sum', 'amax'])
      expect(ops.has(op), op).toBe(true);
    for (const op of ['argmax', 'max_values', 'max_indices', 'min_values', 'chunk', 'split'])
      expect(ops.has(op), op).toBe(true);
    expect(doc.errors.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of doc.cases) {
    const want = decode(c.output);
    it(`engine: ${c.op} ${c.name}`, () => {
      const got = engineOp(c);
      expect(got.shape).toEqual(want.shape);
      expectAllclose(got.data, want.data, TOL, c.name);
    });

    if (c.op === 'binary') {
      it(`shape rule: ${c.op} ${c.name}`, () => {
        const shapes = [c.inputs['a']!.shape, c.inputs['b']!.shape];
        const r = inferLayer(
          { kind: 'binary', op: c.args['op'] as E.BinaryOp },
          { conv: conventions('pytorch'), type: 'mul', label: 'mul', shapes, rf: null, argRanges: {} },
        );
        expect(r.issues).toEqual([]);
        expect(r.out).toEqual(want.shape);
      });
      // the other operand a tensor of the model's own: written as numbers, or an nn.Parameter
      for (const held of ['numbers', 'parameter'] as const) {
        const b = decode(c.inputs['b']!);
        const nested = (shape: readonly number[], at: number): string =>
          shape.length === 0
            ? String(b.data[at])
            : `[${Array.from({ length: shape[0]! }, (_, i) => nested(shape.slice(1), at * shape[0]! + i)).join(', ')}]`;
        const literal = `torch.tensor(${nested(b.shape, 0)})`;
        const op = c.args['op'] as string;
        const other = held === 'numbers' ? literal : 'self.w';
        const expr = BINARY_SYMBOL[op] ? `x ${BINARY_SYMBOL[op]} ${other}` : `torch.${op}(x, ${other})`;
        it(`analyzed and run, ${held === 'numbers' ? `x ${op} torch.tensor(…)` : `x ${op} an nn.Parameter`}: ${c.name}`, () => {
          const x = decode(c.inputs['a']!);
          const init = held === 'parameter' ? `self.w = nn.Parameter(${literal})` : null;
          const r = analyze(moduleSource(expr, init), { inputShape: x.shape.slice(1) });
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const model = r.models.find((m) => m.name === 'Ops')!;
          expect(model.layers.map((l) => l.inputs)).toEqual([[-1]]);
          expect(concrete(model.layers[0]!.outputShape, x.shape[0]!)).toEqual(want.shape);
          const runs = runModel(model, x, () => {
            throw new Error('no parameters expected');
          });
          expect(runs[0]!.output.shape).toEqual(want.shape);
          expectAllclose(runs[0]!.output.data, want.data, TOL, c.name);
        });
      }
      continue;
    }

    for (const form of ['method', 'torch'] as const) {
      const w = written(c, form);
      if (!w) continue;
      it(`analyzed and run, ${w.expr}: ${c.op} ${c.name}`, () => {
        const x = decode(c.inputs['input']!);
        const r = analyze(moduleSource(w.expr), { inputShape: x.shape.slice(1) });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const model = r.models.find((m) => m.name === 'Ops');
        expect(model, `models: ${r.models.map((m) => m.name).join(', ')}`).toBeDefined();
        const layer = model!.layers.find((l) => l.name === w.node);
        expect(layer, `nodes: ${model!.layers.map((l) => l.name).join(', ')}`).toBeDefined();
        expect(concrete(layer!.outputShape, x.shape[0]!)).toEqual(want.shape);
        const runs = runModel(model!, x, () => {
          throw new Error('no parameters expected');
        });
        const run = runs.find((q) => q.layer.name === w.node)!;
        expect(run.output.shape).toEqual(want.shape);
        expectAllclose(run.output.data, want.data, TOL, c.name);
      });
    }
  }
});

describe('calls PyTorch refuses are errors with its message', () => {
  for (const e of doc.errors) {
    if (e.op === 'binary') {
      it(`shape rule and engine: ${e.name}`, () => {
        const [sa, sb] = e.shapes as [number[], number[]];
        const r = inferLayer(
          { kind: 'binary', op: e.args['op'] as E.BinaryOp },
          { conv: conventions('pytorch'), type: 'mul', label: 'mul', shapes: [sa, sb], rf: null, argRanges: {} },
        );
        expect(r.out).toBeNull();
        expect(r.issues.map((i) => i.severity)).toEqual(['error']);
        expect(String(r.issues[0]!.args['detail'])).toContain(e.error);
        expect(() => E.binaryBroadcast(E.zeros(sa), E.zeros(sb), 'mul')).toThrow(e.error);
      });
      continue;
    }
    it(`analyzed: ${e.name}`, () => {
      const a = e.args;
      const rest =
        e.op === 'permute'
          ? (a['dims'] as number[]).join(', ')
          : e.op === 'transpose'
            ? `${a['dim0']}, ${a['dim1']}`
            : e.op === 'chunk'
              ? `${a['chunks']}, dim=${a['dim']}`
              : e.op === 'split'
                ? `${py(a['split_size_or_sections'])}, dim=${a['dim']}`
                : String(a['dim']);
      const r = analyze(moduleSource(`x.${e.op}(${rest})`), { inputShape: e.shapes[0]!.slice(1) });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.code)).toEqual(['bad-argument']);
      expect(String(errors[0]!.args['detail'])).toBe(e.error);
    });
  }
});
