/**
 * Keras layer constructors as users write them — positional, keyword, omitted, aliases — against
 * Keras 3 itself (test/fixtures/mutation/keras-readers.json, written by
 * scripts/gen-keras-reader-oracle.py): the output shape, parameter and trainable counts, the weights'
 * names and shapes, the class and auto name Keras gives each layer; for the constructors Keras
 * refuses, a diagnostic that names the argument and the value Keras names; and a few layers' output
 * values for a given input and weights.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { paramSpecs } from '../../../src/model/nodes';
import { hoverFacts } from '../../../src/present/explain';
import { layerAt } from '../../../src/present/hover';
import { runModel } from '../../../src/runtime/forward';

interface Case {
  layer: string;
  input: number[];
  name: string;
  class: string;
  output: number[];
  params: number;
  trainable: number;
  weights: [string, number[]][];
  rate?: number;
  error?: string;
  arg?: string;
  value?: string;
  written?: string | null;
  /** Built by Keras, not read by ConvLens: the argument the refusal names. */
  unread?: string;
}
interface Run {
  layer: string;
  input: number[];
  data: number[];
  weights: Record<string, number[]>;
  output: number[];
  values: number[];
}
const ORACLE = JSON.parse(readFileSync('test/fixtures/mutation/keras-readers.json', 'utf8')) as {
  keras: string;
  cases: Case[];
  values: Run[];
};

/** A fact Keras' refusal states (matched in its words) and how the message says it. */
const REQUIRES: [RegExp, string][] = [
  [/tuple of (\d+) integers/, 'tuple of $1 ints'],
  [/should have two elements/, 'tuple of 2'],
  [/either 'valid' or 'same'/, "'valid' or 'same'"],
  [/one of \{'same', 'valid'\}/, "'valid', 'same'"],
  [/cannot be (?:None or )?a? ?negative value/, '≥ 0'],
  [/positive integer/, 'positive int'],
  [/or `-1`/, 'or -1'],
  [/int\(\) argument must be/, 'must be an int'],
  [/tuple indices must be integers/, 'must be an int'],
  [/Expected an integer value/, 'int'],
];

const sequential = (c: { layer: string; input: number[] }) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=(${c.input.join(', ')},)), ${c.layer}])\n`;

describe(`Keras layer arguments against Keras ${ORACLE.keras}`, () => {
  it('reads the oracle', () => {
    expect(ORACLE.cases.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of ORACLE.cases) {
    if (c.error !== undefined || c.unread !== undefined) continue;
    it(`${c.layer} on (${c.input.join(', ')}) → (${c.output.join(', ')}), ${c.params} parameters`, () => {
      const r = analyze(sequential(c));
      const node = r.models[0]!.layers.at(-1)!;
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect({
        name: node.name,
        class: node.spec.type,
        output: node.outputShape?.slice(1),
        params: node.params,
        trainable: node.trainableParams,
        weights: (paramSpecs(node) ?? []).map((p) => [p.name, p.shape]),
      }).toEqual({
        name: c.name,
        class: c.class,
        output: c.output,
        params: c.params,
        trainable: c.trainable,
        weights: c.weights,
      });
    });
  }
});

describe(`Dropout rates as Keras ${ORACLE.keras} holds them, in the hover`, () => {
  for (const c of ORACLE.cases.filter((x) => x.rate !== undefined)) {
    it(`${c.layer}: rate=${c.rate}`, () => {
      const src = sequential(c);
      const hit = layerAt(analyze(src), src.indexOf(c.layer) + 1)!;
      expect(hit).not.toBeNull();
      const rate = hoverFacts(hit, 'en', []).arguments.find((a) => a.name === 'rate');
      expect(rate?.value).toBe(String(c.rate));
    });
  }
});

describe(`constructors Keras ${ORACLE.keras} refuses: left unread, the message naming the argument and its value`, () => {
  for (const c of ORACLE.cases) {
    if (c.error === undefined) continue;
    it(`${c.layer} on (${c.input.join(', ')}): Keras says "${c.error}"`, () => {
      const call = c.layer.startsWith('layers.Concatenate') ? `${c.layer}([x, x])` : `${c.layer}(x)`;
      const src = `from tensorflow.keras import layers, models\nx = layers.Input(shape=(${c.input.join(', ')},))\ny = ${call}\nmodel = models.Model(x, y)\n`;
      const r = analyze(src);
      const node = r.models[0]!.layers.at(-1)!;
      expect(node.outputShape ?? null).toBeNull();
      const d = r.diagnostics.filter((x) => x.code === 'unreadable-layer' || x.code === 'bad-argument');
      expect(d.length).toBe(1);
      const en = diagnosticMessage(d[0]!);
      const ko = diagnosticMessage(d[0]!, 'ko');
      if (c.written === null) {
        // not given (Keras: "missing 1 required positional argument")
        expect(en).toContain(`${c.arg} is required`);
        expect(ko).toContain(`필요한 인자 ${c.arg}`);
        return;
      }
      // the argument and its value as written; Keras' own message names the same value
      expect(en).toContain(`${c.arg}=${c.written}`);
      if (c.value !== undefined) expect(en.replace(/'/g, '')).toContain(c.value);
      // what is wrong: what the argument must be, the fact Keras' message states where it states one
      expect(en).toMatch(/ (must be|is read only as|is not) [^;]+/);
      for (const [keras, ours] of REQUIRES) {
        const m = keras.exec(c.error!);
        if (m) expect(en).toContain(ours.replace('$1', m[1] ?? ''));
      }
      // the Korean message names them as well
      expect(ko).toContain(`${c.arg}=${c.written}`);
      // and the diagnostic marks the value in the editor
      expect(src.slice(d[0]!.range.from, d[0]!.range.to)).toBe(c.written);
    });
  }
});

describe(`constructors Keras ${ORACLE.keras} builds and ConvLens does not read: refused, naming the argument`, () => {
  for (const c of ORACLE.cases.filter((x) => x.unread !== undefined)) {
    it(`${c.layer} on (${c.input.join(', ')}): Keras builds (${c.output.join(', ')}), ${c.params} parameters; ConvLens names ${c.unread}=${c.written}`, () => {
      const src = sequential(c);
      const r = analyze(src);
      expect(r.models[0]!.layers.at(-1)!.outputShape ?? null).toBeNull();
      const d = r.diagnostics.filter((x) => x.code === 'unreadable-layer');
      expect(d.length).toBe(1);
      expect(diagnosticMessage(d[0]!)).toContain(`${c.unread}=${c.written}`);
      expect(diagnosticMessage(d[0]!)).toMatch(/ (must be|is read only as) [^;]+/);
      expect(diagnosticMessage(d[0]!, 'ko')).toContain(`${c.unread}=${c.written}`);
      expect(src.slice(d[0]!.range.from, d[0]!.range.to)).toBe(c.written);
    });
  }
});

describe(`output values against Keras ${ORACLE.keras}`, () => {
  for (const v of ORACLE.values) {
    it(`${v.layer} on (${v.input.join(', ')})`, () => {
      const graph = analyze(sequential(v)).models[0]!;
      const runs = runModel(graph, tensor([1, ...v.input], v.data), (_n, p) =>
        Float32Array.from(v.weights[p.name] ?? []),
      );
      const out = runs.at(-1)!.output;
      expect(out.shape.slice(1)).toEqual(v.output);
      Array.from(out.data).forEach((x, i) => expect(x).toBeCloseTo(v.values[i]!, 5));
    });
  }
});
