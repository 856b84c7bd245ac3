/**
 * Keras layer constructors as users write them — positional, keyword, omitted, aliases — against
 * Keras 3 itself: the output shape, parameter and trainable counts and the auto name Keras gives
 * each layer (test/fixtures/mutation/keras-readers.json, written by
 * scripts/gen-keras-reader-oracle.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';

interface Case {
  layer: string;
  input: number[];
  name: string;
  output: number[];
  params: number;
  trainable: number;
  error?: string;
}
const ORACLE = JSON.parse(readFileSync('test/fixtures/mutation/keras-readers.json', 'utf8')) as {
  keras: string;
  cases: Case[];
};

describe(`Keras layer arguments against Keras ${ORACLE.keras}`, () => {
  it('reads the oracle', () => {
    expect(ORACLE.cases.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of ORACLE.cases) {
    const src = `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=(${c.input.join(', ')},)), ${c.layer}])\n`;
    if (c.error !== undefined) {
      // Keras refuses the layer when it is called: it is left unread, with a diagnostic naming it
      it(`${c.layer} on (${c.input.join(', ')}) is refused`, () => {
        const r = analyze(src);
        const node = r.models[0]!.layers.at(-1)!;
        expect(node.outputShape ?? null).toBeNull();
        expect(r.diagnostics.map((d) => d.code)).toContain('unreadable-layer');
      });
      continue;
    }
    it(`${c.layer} on (${c.input.join(', ')}) → (${c.output.join(', ')}), ${c.params} parameters`, () => {
      const r = analyze(src);
      const node = r.models[0]!.layers.at(-1)!;
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect({
        name: node.name,
        output: node.outputShape?.slice(1),
        params: node.params,
        trainable: node.trainableParams,
      }).toEqual({ name: c.name, output: c.output, params: c.params, trainable: c.trainable });
    });
  }
});
