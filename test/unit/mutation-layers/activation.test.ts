/**
 * Activations and the layers that keep the shape, as a user sees them: values against torch 1.13
 * and Keras 3.15 (PyTorch softmax's legacy dim rule when no dim is given, Keras leaky_relu's slope
 * 0.2 by name and 0.3 as a layer, ReLU with its arguments, PReLU's slopes, Rescaling), the refusals
 * and their messages (Keras ReLU's negative arguments, PyTorch PReLU's channel count), PReLU's
 * weights and formulas, and the panel rows.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { panelSpec, paramSpecs } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';
import type { WeightSource } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
/** severity, code, the source text the diagnostic marks, its message */
const messages = (src: string) =>
  analyze(src).diagnostics.map((d) => [d.severity, d.code, src.slice(d.range.from, d.range.to), diagnosticMessage(d)]);
const zeros: WeightSource = () => new Float32Array(0);
function forward(src: string, shape: number[], data: number[], weights: WeightSource = zeros): number[] {
  const graph = analyze(src).models[0]!;
  return Array.from(runModel(graph, tensor(shape, data), weights).at(-1)!.output.data);
}
const close = (got: number[], want: number[]) => {
  expect(got).toHaveLength(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
};

describe('activations: values', () => {
  it('nn.Softmax() without dim on (2, 3): dim 1 (torch 1.13)', () => {
    close(
      forward(torch('nn.Softmax()', '2, 3'), [2, 3], [1, 2, 3, 1, 1, 4]),
      [0.0900306, 0.2447285, 0.6652409, 0.0452785, 0.0452785, 0.909443],
    );
  });
  it('nn.Softmax() without dim on (2, 1, 2): dim 0, the legacy rule for 3-D inputs (torch 1.13)', () => {
    close(
      forward(torch('nn.Softmax()', '2, 1, 2'), [2, 1, 2], [1, 2, 3, 5]),
      [0.1192029, 0.0474259, 0.880797, 0.9525741],
    );
  });
  it('nn.Softmax() and nn.LogSoftmax() without dim on (1, 2, 1, 2): dim 1; dim=-1 the last axis (torch 1.13)', () => {
    const x = [1, 2, 3, 4];
    close(forward(torch('nn.Softmax()', '1, 2, 1, 2'), [1, 2, 1, 2], x), [0.1192029, 0.1192029, 0.880797, 0.880797]);
    close(
      forward(torch('nn.LogSoftmax()', '1, 2, 1, 2'), [1, 2, 1, 2], x),
      [-2.1269281, -2.1269281, -0.126928, -0.126928],
    );
    close(
      forward(torch('nn.Softmax(dim=-1)', '1, 2, 1, 2'), [1, 2, 1, 2], x),
      [0.2689414, 0.7310586, 0.2689414, 0.7310586],
    );
  });
  it('Keras Softmax() acts on the last axis, Softmax(axis=1) on the first after the batch (Keras 3)', () => {
    const x = [1, 2, 3, 5];
    close(forward(keras('layers.Softmax()', '(2, 2)'), [1, 2, 2], x), [0.2689414, 0.7310585, 0.1192029, 0.880797]);
    close(
      forward(keras('layers.Softmax(axis=1)', '(2, 2)'), [1, 2, 2], x),
      [0.1192029, 0.0474259, 0.880797, 0.9525741],
    );
  });
  it("Keras leaky_relu by name slopes 0.2, the LeakyReLU layer 0.3; PyTorch's LeakyReLU 0.01 (Keras 3, torch 1.13)", () => {
    close(forward(keras("layers.Activation('leaky_relu')", '(2,)'), [1, 2], [-2, 3]), [-0.4, 3]);
    close(forward(keras('layers.LeakyReLU()', '(2,)'), [1, 2], [-2, 3]), [-0.6, 3]);
    close(forward(torch('nn.LeakyReLU()', '1, 2'), [1, 2], [-2, 3]), [-0.02, 3]);
    close(forward(torch('nn.LeakyReLU(0.5)', '1, 2'), [1, 2], [-2, 3]), [-1, 3]);
  });
  it("Dense(2, activation='leaky_relu') slopes 0.2 after the layer (Keras 3, identity kernel, no bias)", () => {
    const identity: WeightSource = (_n, p) =>
      p.role === 'kernel' ? new Float32Array([1, 0, 0, 1]) : new Float32Array(2);
    const src = keras("layers.Dense(2, activation='leaky_relu', use_bias=False)", '(2,)');
    close(forward(src, [1, 2], [-2, 3], identity), [-0.4, 3]);
  });
  it('ELU, Hardtanh, GELU and Softplus with their arguments (torch 1.13)', () => {
    close(forward(torch('nn.ELU(2.0)', '1, 2'), [1, 2], [-1, 2]), [-1.2642411, 2]);
    close(forward(torch('nn.Hardtanh(-0.5, 1.5)', '1, 3'), [1, 3], [-2, 0.25, 3]), [-0.5, 0.25, 1.5]);
    close(forward(torch("nn.GELU(approximate='tanh')", '1, 2'), [1, 2], [-1, 1]), [-0.158808, 0.841192]);
    close(forward(torch('nn.GELU()', '1, 2'), [1, 2], [-1, 1]), [-0.1586553, 0.8413447]);
    close(forward(torch('nn.Softplus(beta=2, threshold=1)', '1, 3'), [1, 3], [-1, 0.25, 1]), [0.063464, 0.4870385, 1]);
    close(forward(torch('nn.Softplus()', '1, 3'), [1, 3], [-1, 1, 30]), [0.3132617, 1.3132616, 30]);
  });
  it('an activation the engine does not have is reported by name when run, as a layer or after a Dense', () => {
    const graph = analyze(keras("layers.Activation('log_sigmoid')", '(2,)')).models[0]!;
    expect(() => runModel(graph, tensor([1, 2], [1, 2]), zeros)).toThrow(
      "Activation 'activation': the activation 'log_sigmoid' is not supported by the engine",
    );
    const dense = analyze(keras("layers.Dense(2, activation='log_sigmoid')", '(2,)')).models[0]!;
    expect(() =>
      runModel(dense, tensor([1, 2], [1, 2]), (_n, p) => new Float32Array(p.shape.reduce((a, b) => a * b, 1))),
    ).toThrow("Dense 'dense': the activation 'log_sigmoid' is not supported by the engine");
  });
  it('Keras ReLU(max_value=2, negative_slope=0.5, threshold=1): −1.5, −0.25, 1.5, 2 (Keras 3)', () => {
    close(
      forward(
        keras('layers.ReLU(max_value=2.0, negative_slope=0.5, threshold=1.0)', '(4,)'),
        [1, 4],
        [-2, 0.5, 1.5, 4],
      ),
      [-1.5, -0.25, 1.5, 2],
    );
  });
  it('Rescaling(scale=0.5, offset=-1) and per-channel lists (Keras 3)', () => {
    close(forward(keras('layers.Rescaling(scale=0.5, offset=-1.0)', '(2,)'), [1, 2], [2, 4]), [0, 1]);
    close(forward(keras('layers.Rescaling(scale=[0.5, 2.0], offset=[1.0, 0.0])', '(2,)'), [1, 2], [2, 4]), [2, 8]);
  });
  it('an activation, dropout or Identity keeps the shape with no parameters and the formula 0', () => {
    for (const src of [
      torch('nn.ReLU()', '1, 3, 4'),
      torch('nn.Dropout(0.2)', '1, 3, 4'),
      torch('nn.Identity()', '1, 3, 4'),
    ]) {
      const n = last(src);
      expect([n.outputShape!.slice(1), n.params, n.paramsFormula]).toEqual([[3, 4], 0, '0']);
    }
  });
});

describe('Keras ReLU refusals (Keras 3 raises when the layer is made): errors, not a layer left unread', () => {
  it.each([
    ['max_value=-1', 'max_value', 'max_value=-1 must be a number ≥ 0 or None'],
    ['negative_slope=-0.1', 'negative_slope', 'negative_slope=-0.1 must be a number ≥ 0'],
    ['threshold=-2', 'threshold', 'threshold=-2 must be a number ≥ 0'],
  ])('ReLU(%s) is an error at %s', (arg, _name, detail) => {
    const src = keras(`layers.ReLU(${arg})`, '(4,)');
    expect(messages(src)).toEqual([['error', 'bad-argument', arg.split('=')[1], `ReLU 're_lu': ${detail}`]]);
    expect(last(src).outputShape).toBeNull();
  });
});

describe('PReLU: weights, counts, refusals, values', () => {
  it('Keras PReLU(shared_axes=[1, 2]) on (3, 4, 5): α of shape (1, 1, 5), 5 parameters (Keras 3)', () => {
    const n = last(keras('layers.PReLU(shared_axes=[1, 2])', '(3, 4, 5)'));
    expect([n.params, n.trainableParams, n.paramsFormula]).toEqual([5, 5, '1·1·5 (α)']);
    expect(paramSpecs(n)!.map((p) => [p.name, p.shape, p.role, p.trainable])).toEqual([
      ['alpha', [1, 1, 5], 'alpha', true],
    ]);
  });
  it('Keras PReLU() on (3, 4, 5): α (3, 4, 5), 60 parameters; on (None, 4) with shared_axes=[1]: (1, 4) (Keras 3)', () => {
    expect(last(keras('layers.PReLU()', '(3, 4, 5)')).params).toBe(60);
    const n = last(keras('layers.PReLU(shared_axes=[1])', '(None, 4)'));
    expect([n.params, paramSpecs(n)![0]!.shape]).toEqual([4, [1, 4]]);
  });
  it('Keras PReLU() on (None, 4) has no count (Keras 3 cannot make an α with a None size)', () => {
    const n = last(keras('layers.PReLU()', '(None, 4)'));
    expect([n.params, n.paramsFormula, paramSpecs(n)]).toEqual([null, null, null]);
  });
  it('Keras PReLU runs with the slopes it is given: −2, 2 with α 0.5 → −1, 2 (Keras 3)', () => {
    close(
      forward(keras('layers.PReLU()', '(2,)'), [1, 2], [-2, 2], () => new Float32Array([0.5, 0.5])),
      [-1, 2],
    );
  });
  it('nn.PReLU(3): one weight of 3 trainable slopes; on (1, 3, 1, 1) with 0.25 each: −4, −8, 2 → −1, −2, 2 (torch 1.13)', () => {
    const src = torch('nn.PReLU(3)', '1, 3, 1, 1');
    const n = last(src);
    expect([n.params, n.trainableParams, n.paramsFormula]).toEqual([3, 3, '3']);
    expect(paramSpecs(n)!.map((p) => [p.name, p.shape, p.role, p.trainable])).toEqual([['weight', [3], 'alpha', true]]);
    close(
      forward(src, [1, 3, 1, 1], [-4, -8, 2], () => new Float32Array(3).fill(0.25)),
      [-1, -2, 2],
    );
  });
  it('nn.PReLU(3) takes axis 1 of a 2-D input as the channels, and a 1-D input as one channel (torch 1.13)', () => {
    expect(messages(torch('nn.PReLU(3)', '2, 3'))).toEqual([]);
    expect(last(torch('nn.PReLU(3)', '2, 3')).outputShape!.slice(1)).toEqual([3]);
    // nn.Flatten(0) makes the input 1-D: 'Found parameter numbers = 3 and channel size = 1'
    expect(messages(torch('nn.Flatten(0), nn.PReLU(num_parameters=3)', '2, 3'))).toEqual([
      ['error', 'channel-mismatch', '3', "PReLU '1': expects 3 input channels (num_parameters=3) but receives 1"],
    ]);
  });
  it('nn.PReLU(3) on 4 channels is the error PyTorch raises (parameter numbers = 3, channel size = 4), at num_parameters', () => {
    expect(messages(torch('nn.PReLU(num_parameters=3)', '2, 4, 2, 2'))).toEqual([
      ['error', 'channel-mismatch', '3', "PReLU '0': expects 3 input channels (num_parameters=3) but receives 4"],
    ]);
    expect(messages(torch('nn.PReLU()', '2, 4, 2, 2'))).toEqual([]);
  });
});

describe('the panel rows', () => {
  it('softmax shows probabilities, log_softmax does not', () => {
    expect(panelSpec(last(torch('nn.Softmax(dim=1)', '1, 3')))).toEqual({
      kind: 'dense',
      row: 'activation',
      probabilities: true,
    });
    expect(panelSpec(last(torch('nn.LogSoftmax(dim=1)', '1, 3')))).toEqual({
      kind: 'dense',
      row: 'activation',
      probabilities: false,
    });
  });
  it('other activations explain their slope when they have one', () => {
    expect(panelSpec(last(torch('nn.LeakyReLU(0.5)', '1, 3')))).toEqual({
      kind: 'other',
      row: 'activation',
      explain: { kind: 'activation', fn: 'leaky_relu', alpha: 0.5 },
    });
    expect(panelSpec(last(torch('nn.ReLU()', '1, 3')))).toEqual({
      kind: 'other',
      row: 'activation',
      explain: { kind: 'activation', fn: 'relu', alpha: null },
    });
  });
  it('dropout explains its rate; Identity, Rescaling are other rows; ReLU with arguments and PReLU activation rows', () => {
    expect(panelSpec(last(torch('nn.Dropout(0.3)', '1, 3')))).toEqual({
      kind: 'other',
      row: 'other',
      explain: { kind: 'dropout', rate: 0.3 },
    });
    expect(panelSpec(last(torch('nn.Identity()', '1, 3')))).toEqual({ kind: 'other', row: 'other' });
    expect(panelSpec(last(keras('layers.Rescaling(0.5)', '(3,)')))).toEqual({ kind: 'other', row: 'other' });
    expect(panelSpec(last(keras('layers.ReLU(max_value=6.0)', '(3,)')))).toEqual({ kind: 'other', row: 'activation' });
    expect(panelSpec(last(keras('layers.PReLU()', '(3,)')))).toEqual({ kind: 'other', row: 'activation' });
    expect(panelSpec(last(torch('nn.PReLU()', '1, 3')))).toEqual({ kind: 'other', row: 'activation' });
  });
});
