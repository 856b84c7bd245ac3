/**
 * ONNX files read as models, against onnxruntime: for every fixture of scripts/gen-onnx-models.py
 * (torch.onnx.export and onnx.helper models), every layer's output from runModel with the file's
 * own weights equals onnxruntime's value for that node (every node output was made a graph
 * output), every output shape is onnxruntime's, and the parameters and buffers of the layers are
 * the initializers the weighted ops read. The partial model stops exactly at its unsupported op.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/engine';
import { readModelFile } from '../../../src/modelfile';
import { readOnnx } from '../../../src/modelfile/onnx/read';
import { runModel } from '../../../src/runtime/forward';
import { makeWeightSource } from '../../../src/runtime/session';
import { matchWeights } from '../../../src/runtime/weights';
import { paramSpecs } from '../../../src/model/nodes';
import { allKnown } from '../../../src/shared/dims';
import { expectAllclose } from '../helpers/allclose';
import { readNpz } from '../helpers/npz';

const DIR = 'test/fixtures/modelfiles/onnx';

interface Meta {
  inputShape: number[];
  nodes: { name: string; op: string; output: string; key: string | null }[];
  initializers: Record<string, number>;
  weightedParams: number;
}

const MODELS = ['lenet', 'mobilenet_v2', 'resnet_small', 'norm_pool_resize', 'branches', 'auto_pad', 'misc_ops'];

/** Relative error of a against b, scaled by b's largest magnitude. */
function relError(a: Float32Array, b: Float32Array): number {
  let m = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return m / Math.max(scale, 1e-12);
}

describe('ONNX model files against onnxruntime', () => {
  for (const model of MODELS) {
    it(`${model}: every layer equals onnxruntime, shapes and parameters are the file's`, () => {
      const meta = JSON.parse(readFileSync(`${DIR}/${model}.json`, 'utf8')) as Meta;
      const ref = readNpz(`${DIR}/${model}.npz`);
      const { file, outputs } = readOnnx(new Uint8Array(readFileSync(`${DIR}/${model}.onnx`)), `${model}.onnx`);
      expect(file.diagnostics.filter((d) => d.severity === 'error' || d.code === 'unsupported-op')).toEqual([]);
      const graph = file.graph!;
      expect(graph.partial).toBeUndefined();
      const match = matchWeights(graph, file.weights);
      expect(match.problems).toEqual([]);
      expect(match.unused).toEqual([]);
      // parameters + buffers (BatchNorm statistics) are exactly the initializers the weighted ops read
      expect(graph.totalParams! + graph.buffers!).toBe(meta.weightedParams);
      expect(file.weights.reduce((s, w) => s + w.data.length, 0)).toBe(meta.weightedParams);
      for (const l of graph.layers) expect(paramSpecs(l)).not.toBeNull();

      const input = ref.get('input')!;
      const runs = runModel(graph, tensor(input.shape, input.data), makeWeightSource(0, match, null, graph));
      const keyOf = new Map(meta.nodes.map((n) => [n.output, n.key]));
      let worst = 0;
      let compared = 0;
      runs.forEach((r, i) => {
        const key = keyOf.get(outputs[i]!);
        const want = key ? ref.get(key) : undefined;
        expect(want, `onnxruntime value of ${r.layer.name}`).toBeDefined();
        expect(r.output.shape, r.layer.name).toEqual(want!.shape);
        const s = r.layer.outputShape!;
        expect(
          s.map((d, k) => (allKnown([d]) ? d : want!.shape[k])),
          `${r.layer.name} shape`,
        ).toEqual(want!.shape);
        expectAllclose(r.output.data, want!.data, { rtol: 1e-4, atol: 1e-5 }, `${model} ${r.layer.name}`);
        worst = Math.max(worst, relError(r.output.data, want!.data));
        compared++;
      });
      // every float node output of the file is a layer or a folded constant
      expect(compared).toBe(graph.layers.length);
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('lenet: the shape subgraph of x.view(x.size(0), -1) is folded, the batch stays symbolic', () => {
    const file = readModelFile(new Uint8Array(readFileSync(`${DIR}/lenet.onnx`)), 'lenet.onnx');
    const g = file.graph!;
    expect(g.layers.map((l) => l.spec.type)).toEqual([
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'MaxPool',
      'Reshape',
      'Gemm',
      'Relu',
      'Gemm',
      'Relu',
      'Gemm',
    ]);
    expect(g.inputShape).toEqual([3, 32, 32]);
    expect(g.layers[6]!.outputShape).toEqual([expect.objectContaining({ sym: 'N' }), 400]);
    expect(g.totalParams).toBe(62006);
    expect(file.metadata['producer']).toBe('pytorch');
  });

  it('auto_pad: SAME_UPPER / SAME_LOWER become the explicit pads onnxruntime applies', () => {
    const g = readModelFile(new Uint8Array(readFileSync(`${DIR}/auto_pad.onnx`)), 'auto_pad.onnx').graph!;
    const pads = (name: string) => {
      const cfg = g.layers.find((l) => l.name === name)!.spec.cfg as { c: { padding: unknown } };
      return cfg.c.padding;
    };
    // 15 → 8 with a 3×3 stride-2 window: 1 pixel in all, after (SAME_UPPER)
    expect(pads('conv_same_upper')).toEqual([
      [1, 1],
      [1, 1],
    ]);
    // a 4×4 window at stride 1: 3 pixels, the odd one before (SAME_LOWER); the name made safe
    expect(pads('conv_same_lower')).toEqual([
      [2, 1],
      [2, 1],
    ]);
    expect(g.layers.map((l) => l.name)).toContain('Mul_7');
  });

  it('misc_ops: the erf form of GELU (Div, Erf, Add, Mul, Mul) is one Gelu layer', () => {
    const g = readModelFile(new Uint8Array(readFileSync(`${DIR}/misc_ops.onnx`)), 'misc_ops.onnx').graph!;
    expect(g.layers.map((l) => l.spec.type).slice(0, 6)).toEqual([
      'Conv',
      'MaxPool',
      'Gelu',
      'Softsign',
      'Gelu',
      'Sub',
    ]);
    expect(g.layers[4]!.name).toBe('gelu_erf');
  });

  it('partial_lrn: the graph stops at the LRN node with an unsupported-op diagnostic', () => {
    const file = readModelFile(new Uint8Array(readFileSync(`${DIR}/partial_lrn.onnx`)), 'partial_lrn.onnx');
    const g = file.graph!;
    expect(g.partial).toBe(true);
    expect(g.layers.map((l) => l.name)).toEqual(['conv1', 'relu1']);
    expect(file.diagnostics).toEqual([
      expect.objectContaining({ code: 'unsupported-op', node: 'lrn', args: { node: 'lrn', op: 'LRN', detail: '' } }),
    ]);
    expect(file.weights.map((w) => w.name)).toEqual(['conv1.weight']);
    expect(g.totalParams).toBe(4 * 3 * 3 * 3);
  });
});
