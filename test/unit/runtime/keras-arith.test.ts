/**
 * Keras element-wise merges (Subtract, Multiply, Average, Maximum, Minimum and their functions,
 * with broadcasting) and keras.ops arithmetic, against real Keras
 * (test/fixtures/keras-arith/cases.json, written by scripts/gen-keras-arith.py with Keras 3 on
 * TensorFlow: `/tmp/kvenv/bin/python scripts/gen-keras-arith.py`).
 *
 * Each case's source (stored in the fixture) is analyzed and run with `runModel` on Keras' weights
 * and input: every layer's output (by name) and the model's output are compared, shape and values.
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
const FIXTURE = join(REPO, 'test', 'fixtures', 'keras-arith', 'cases.json');

interface Case {
  id: string;
  source: string;
  inputShape: number[];
  input: Encoded;
  weights: Record<string, Encoded>;
  layers: { name: string; type: string; out: Encoded }[];
  output: Encoded;
}

const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { keras: string; backend: string; cases: Case[] };

/** rtol 1e-4 on each value plus 1e-5 × max|expected| of the tensor (float32 sums in another order). */
function compare(actual: Tensor, expected: Tensor, label: string): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let max = 0;
  for (const v of expected.data) max = Math.max(max, Math.abs(v));
  expectAllclose(actual.data, expected.data, { rtol: 1e-4, atol: 1e-5 * max }, label);
}

describe(`Keras merges and keras.ops arithmetic = real Keras ${doc.keras} (${doc.backend})`, () => {
  for (const c of doc.cases) {
    it(c.id, () => {
      const result = analyze(c.source);
      const model = result.models[0];
      expect(model, c.id).toBeDefined();
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => diagnosticMessage(d))).toEqual([]);
      expect(model!.partial ?? false).toBe(false);
      expect(model!.inputShape).toEqual(c.inputShape);

      const weights = new Map(Object.entries(c.weights).map(([k, v]) => [k, decodeTensor(v)]));
      const used = new Set<string>();
      const source: WeightSource = (node: LayerNode, p: ParamSpec) => {
        const key = `${node.name}.${p.name}`;
        const w = weights.get(key);
        if (!w) throw new Error(`${c.id}: no weight '${key}' (has: ${[...weights.keys()].join(', ')})`);
        expect(p.shape, `${key}: shape`).toEqual(w.shape);
        used.add(key);
        return w.data;
      };
      const runs = runModel(model!, decodeTensor(c.input), source);
      const ours = new Map(runs.map((r) => [r.layer.name, r.output]));
      for (const l of c.layers) {
        const actual = ours.get(l.name);
        expect(actual, `${c.id}: Keras layer ${l.name} (${l.type}) has no counterpart`).toBeDefined();
        compare(actual!, decodeTensor(l.out), `${c.id}: ${l.name} (${l.type})`);
      }
      compare(runs[runs.length - 1]!.output, decodeTensor(c.output), `${c.id}: output`);
      expect([...weights.keys()].filter((k) => !used.has(k))).toEqual([]);
    });
  }
});
