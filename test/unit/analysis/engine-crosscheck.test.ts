/**
 * The analyzer's shapes equal the engine's real output shapes: every fixture model is run
 * layer by layer with the engine (seeded default weights) and each activation's shape is
 * compared with what shape inference predicted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import type { Dim } from '../../../src/shared/dims';
import { initialValue } from '../../../src/runtime/init';
import { runModel, type WeightSource } from '../../../src/runtime/forward';
import { rng, randomArray } from '../helpers/random';

/** Models too large to run in a unit test (over 100 M parameters); their shapes are checked against the oracles only. */
const TOO_LARGE = ['keras/vgg16.py', 'torch/vgg16.py'];

const files = ['keras', 'torch'].flatMap((d) =>
  readdirSync(join('test/fixtures/models', d))
    .filter((f) => f.endsWith('.py'))
    .map((f) => `${d}/${f}`),
);

function concrete(shape: readonly Dim[]): number[] {
  return shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : NaN));
}

describe('analyzer shapes = engine output shapes', () => {
  it('lists the models left out, with the reason', () => {
    const large = files.filter((f) =>
      analyze(readFileSync(join('test/fixtures/models', f), 'utf8')).models.some((m) => (m.totalParams ?? 0) > 100e6),
    );
    expect(large).toEqual(TOO_LARGE);
  });

  for (const f of files.filter((x) => !TOO_LARGE.includes(x))) {
    it(f, () => {
      const result = analyze(readFileSync(join('test/fixtures/models', f), 'utf8'));
      expect(result.models.length).toBeGreaterThan(0);
      for (const model of result.models) {
        // run up to the first layer whose shape is unknown (an error fixture stops there)
        const last = model.layers.findIndex(
          (l) => l.outputShape === null || l.outputShape.slice(1).some((d) => typeof d !== 'number'),
        );
        // a layer the analyzer flags as an error must be where the engine refuses too
        const errorRanges = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.range);
        const flagged = model.layers.findIndex((l) =>
          errorRanges.some((r) => r.from >= l.spec.range.from && r.to <= l.spec.range.to),
        );
        const stopAt = [last, flagged].filter((i) => i >= 0);
        const until = stopAt.length ? Math.min(...stopAt) - 1 : model.layers.length - 1;
        if (until < 0) continue;
        const inShape = concrete([1, ...model.inputShape!]);
        const r = rng(5);
        const x = tensor(
          inShape,
          randomArray(
            r,
            inShape.reduce((a, b) => a * b, 1),
          ),
        );
        const weights: WeightSource = (node, p) => initialValue(p, node, 0);
        if (flagged >= 0 && flagged === Math.min(...stopAt)) {
          expect(() => runModel(model, x, weights, flagged)).toThrow(model.layers[flagged]!.spec.type);
        }
        const runs = runModel(model, x, weights, until);
        expect(runs).toHaveLength(until + 1);
        for (const run of runs) {
          expect([run.layer.name, run.output.shape], `${model.name}: ${run.layer.name}`).toEqual([
            run.layer.name,
            concrete(run.layer.outputShape!),
          ]);
          expect(run.output.data.every(Number.isFinite), `${run.layer.name} is finite`).toBe(true);
        }
      }
    });
  }
});
