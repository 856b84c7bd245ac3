/**
 * Layer values against real Keras 3: for each fixture with a <file>.values.json (written by
 * scripts/gen-keras-models.py, which runs the file with Keras, sets seeded weights and records
 * every layer's output on a seeded batch of two), the file is analyzed, run on our engine with
 * the same weights (matched by layer and Keras variable name) and input, and every layer's
 * output is compared. The weight set our graph asks for must equal the one Keras has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { paramSpecs } from '../../../src/model/nodes';
import { runModel } from '../../../src/runtime/forward';
import { expectAllclose } from '../helpers/allclose';

interface Arr {
  shape: number[];
  data: string;
}
interface ValuesFile {
  file: string;
  models: { name: string; input: Arr; weights: Record<string, Arr>; outputs: Record<string, Arr> }[];
}

const DIR = 'test/fixtures/models/keras';

function f32(a: Arr): Float32Array {
  const b = Buffer.from(a.data, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

const FILES = ['layers_1d.py', 'layers_2d.py', 'nested_models.py', 'normalization.py'];

describe('Keras layers run on the engine equal real Keras, layer by layer', () => {
  for (const file of FILES) {
    const values = JSON.parse(readFileSync(join(DIR, `${file}.values.json`), 'utf8')) as ValuesFile;
    const source = readFileSync(join(DIR, file), 'utf8');
    for (const vm of values.models) {
      it(`${file}: ${vm.name} — ${Object.keys(vm.outputs).join(', ')}`, () => {
        const graph = analyze(source).models.find((m) => m.name === vm.name)!;
        expect(graph).toBeDefined();
        const layers = graph.layers.filter((l) => !l.spec.functional);
        const asked = layers.flatMap((l) => (paramSpecs(l) ?? []).map((p) => `${l.name}/${p.name}`));
        expect(asked.sort()).toEqual(Object.keys(vm.weights).sort());
        const runs = runModel(graph, tensor(vm.input.shape, f32(vm.input)), (node, p) => {
          const w = vm.weights[`${node.name}/${p.name}`];
          if (!w) throw new Error(`no Keras weight ${node.name}/${p.name}`);
          expect(w.shape).toEqual(p.shape);
          return f32(w);
        });
        const byName = new Map(runs.map((r) => [r.layer.name, r.output]));
        for (const [name, want] of Object.entries(vm.outputs)) {
          const got = byName.get(name);
          expect(got, `layer ${name}`).toBeDefined();
          expect(got!.shape, `${name} shape`).toEqual(want.shape);
          const expected = f32(want);
          expectAllclose(got!.data, expected, { rtol: 1e-4, atol: 1e-5 * Math.max(1, maxAbs(expected)) }, name);
        }
      });
    }
  }
});
