/**
 * Keras arguments whose values are computed when the program runs (loaded from a file): what
 * ConvLens can still show. Keras 3 owns no weights for a Normalization given mean= and variance=
 * (count_params() = 0, keras-readers.json), whatever their values, and keeps the input's shape.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { runModel } from '../../../src/runtime/forward';

const src = (layer: string) =>
  `import numpy as np\nfrom tensorflow.keras import layers, models\nstats = np.load('stats.npy')\nmodel = models.Sequential([layers.Input(shape=(2, 3)), ${layer}])\n`;

describe('Normalization with mean= and variance= read at run time', () => {
  for (const layer of [
    'layers.Normalization(mean=stats[0], variance=stats[1])',
    'layers.Normalization(mean=[1.0, stats[0], 3.0], variance=[1.0, 4.0, 9.0])',
    'layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[stats[1], 4.0, 9.0])',
  ]) {
    it(`${layer}: (2, 3), no weights; the values are not computed, and say why`, () => {
      const graph = analyze(src(layer)).models[0]!;
      const node = graph.layers.at(-1)!;
      expect([node.outputShape?.slice(1), node.params]).toEqual([[2, 3], 0]);
      expect(() => runModel(graph, tensor([1, 2, 3], [1, 2, 3, 4, 5, 6]), () => new Float32Array(0))).toThrow(
        'the mean= and variance= it was given could not be read',
      );
    });
  }
});

describe('a Lambda whose function cannot be followed', () => {
  it('is left unread, saying its function could not be followed (English and Korean)', () => {
    const code =
      'import mystery\nfrom tensorflow.keras import layers, models\nx = layers.Input(shape=(4, 3))\ny = layers.Lambda(lambda t: mystery.op(t))(x)\nmodel = models.Model(x, y)\n';
    const r = analyze(code);
    const d = r.diagnostics.filter((x) => x.code === 'unreadable-layer');
    expect(d.map((x) => diagnosticMessage(x))).toEqual([
      "Lambda 'lambda': its function could not be followed; shapes after it are not computed",
    ]);
    expect(diagnosticMessage(d[0]!, 'ko')).toBe("Lambda 'lambda': 인자를 읽을 수 없어 이후의 크기는 계산하지 않습니다");
  });
});
