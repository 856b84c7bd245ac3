/**
 * The trained textbook model shipped in media/models (scripts/train-textbook-cnn.py, real Keras on
 * scikit-learn's handwritten digits) runs in ConvLens as in Keras: examples/textbook_cnn.py with
 * media/models/textbook-cnn.weights.h5 (and the .keras archive) gives Keras's softmax for held-out
 * digits, and the sample digits media/samples/digit-*.png, read through ConvLens's own image path,
 * are recognised as the digits they show, with Keras's probabilities.
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { decodeImage } from '../../../src/io/image';
import { loadWeights } from '../../../src/io/weights';
import { runModel } from '../../../src/runtime/forward';
import { modelInput } from '../../../src/runtime/input';
import { makeWeightSource } from '../../../src/runtime/session';
import { matchWeights } from '../../../src/runtime/weights';
import type { ModelGraph } from '../../../src/model/ir';
import { expectAllclose } from '../helpers/allclose';

interface Fixture {
  oracle: string;
  inputShape: number[];
  digits: { index: number; label: number; input: string; softmax: number[] }[];
  samples: { file: string; digit: number; input: string; softmax: number[]; predicted: number }[];
}

const fixture = JSON.parse(readFileSync('test/fixtures/trained/textbook-digits.json', 'utf8')) as Fixture;
const TOL = { rtol: 1e-4, atol: 1e-6 };
const WEIGHTS = 'media/models/textbook-cnn.weights.h5';
const KERAS = 'media/models/textbook-cnn.keras';

function floats(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

function trainedModel(file: string): { graph: ModelGraph; run: (input: Float32Array) => Float32Array } {
  const graph = analyze(readFileSync('examples/textbook_cnn.py', 'utf8')).models[0]!;
  const wf = loadWeights(new Uint8Array(readFileSync(file)), file);
  const match = matchWeights(graph, wf.tensors);
  expect(match.problems).toEqual([]);
  expect(match.matched).toBe(8); // kernel and bias of conv2d, conv2d_1, dense, dense_1
  const weights = makeWeightSource(0, match, null, graph);
  const run = (input: Float32Array): Float32Array => {
    const layers = runModel(graph, tensor([1, 28, 28, 1], input), weights);
    return layers[layers.length - 1]!.output.data as Float32Array;
  };
  return { graph, run };
}

describe('the trained textbook CNN (media/models) equals Keras', () => {
  const model = trainedModel(WEIGHTS);

  it('ships small enough and with a fixture of 20 held-out digits, two of each class', () => {
    expect(statSync(WEIGHTS).size + statSync(KERAS).size).toBeLessThan(3 * 1024 * 1024);
    expect(fixture.digits).toHaveLength(20);
    expect(fixture.digits.map((d) => d.label).sort()).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
    ]);
  });

  for (const d of fixture.digits) {
    it(`held-out digit #${d.index} (a ${d.label}): Keras's softmax and class`, () => {
      const got = model.run(floats(d.input));
      expectAllclose(got, d.softmax, TOL, `digit #${d.index}`);
      expect(argmax(got)).toBe(argmax(d.softmax));
    });
  }

  for (const s of fixture.samples) {
    it(`${s.file} through ConvLens's image path is a ${s.digit}, with Keras's softmax`, () => {
      const image = decodeImage(new Uint8Array(readFileSync(s.file)), s.file);
      const { input } = modelInput(model.graph, { kind: 'image', name: s.file, image });
      expect(input.shape).toEqual([1, 28, 28, 1]);
      // the 28×28 array Keras was given is the one ConvLens makes from the PNG
      expectAllclose(input.data, floats(s.input), { rtol: 0, atol: 1e-7 }, `${s.file} input`);
      const got = model.run(input.data as Float32Array);
      expectAllclose(got, s.softmax, TOL, s.file);
      expect(s.predicted).toBe(s.digit);
      expect(argmax(got)).toBe(s.digit);
    });
  }

  it('the .keras archive holds the same weights: the same softmax', () => {
    const fromKeras = trainedModel(KERAS);
    for (const d of fixture.digits.slice(0, 4)) {
      expectAllclose(fromKeras.run(floats(d.input)), d.softmax, TOL, `digit #${d.index} from ${KERAS}`);
    }
  });
});
