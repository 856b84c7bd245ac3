/**
 * Whole models against the real frameworks: every fixture model's layers, names, output
 * shapes, parameter and buffer counts equal what PyTorch (forward hooks, scripts/gen-torch-models.py)
 * and the Keras port tfjs-layers (scripts/gen-keras-oracle.ts) report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { Dim } from '../../../src/shared/dims';

interface OracleLayer {
  name: string;
  type: string;
  /** A list of shapes when the module returned several tensors. */
  outputShape: (number | null)[] | (number | null)[][];
  params: number;
  /** PyTorch buffers (running statistics); absent in the Keras oracle, where they are parameters. */
  buffers?: number;
  /** Keras: the layer's trainable weights' size (moving statistics are not). */
  trainable?: number;
  /** A Keras model used as a layer: its own rows (scripts/gen-keras-models.py). */
  layers?: OracleLayer[];
}

/**
 * A nested model's rows in its place: ConvLens lists the layers it applies, which are not the
 * nested model's own InputLayer (the outer model's tensor goes straight to its first layer).
 */
function flat(layers: OracleLayer[], nested = false): OracleLayer[] {
  return layers.flatMap((l) => (l.layers ? flat(l.layers, true) : nested && l.type === 'InputLayer' ? [] : [l]));
}
interface OracleModel {
  name: string;
  framework: string;
  inputShape: number[];
  layers: OracleLayer[];
  totalParams: number | null;
  trainableParams?: number;
  /** PyTorch: parameters with requires_grad=False. */
  nonTrainableParams?: number;
  buffers?: number;
  error?: unknown;
}
interface Oracle {
  file: string;
  models: OracleModel[];
  error?: string;
  expectedToFail?: boolean;
  failedModule?: string;
  actualInFeatures?: number;
  declaredInFeatures?: number;
}

const ROOT = 'test/fixtures/models';
const cases: { dir: string; oracleFile: string; oracle: Oracle }[] = [];
for (const dir of ['keras', 'torch']) {
  for (const f of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.oracle.json'))) {
    cases.push({ dir, oracleFile: f, oracle: JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8')) as Oracle });
  }
}

function dims(shape: readonly Dim[] | null): (number | string)[] | null {
  return shape ? shape.slice(1).map((d) => (typeof d === 'number' ? d : d.sym)) : null;
}

describe('fixture models against framework oracles', () => {
  it('finds the oracle files', () => {
    expect(cases.filter((c) => c.dir === 'keras').length).toBeGreaterThanOrEqual(7);
    expect(cases.filter((c) => c.dir === 'torch').length).toBeGreaterThanOrEqual(9);
  });

  for (const { dir, oracle } of cases) {
    const source = readFileSync(join(ROOT, dir, oracle.file), 'utf8');
    for (const om of oracle.models) {
      if (om.error || oracle.expectedToFail) continue;
      it(`${dir}/${oracle.file}: ${om.name} — ${flat(om.layers).length} layers, ${om.totalParams?.toLocaleString('en-US')} parameters`, () => {
        const want = flat(om.layers);
        const result = analyze(source);
        const model = result.models.find((m) => (m.variable ?? m.name) === om.name);
        expect(model, `models found: ${result.models.map((m) => m.name).join(', ')}`).toBeDefined();
        expect(model!.framework).toBe(om.framework);
        // functional ops (F.relu#1, torch.flatten#1) are ours; the frameworks list modules/layers only
        const layers = model!.layers.filter((l) => !l.spec.functional);
        expect(layers.map((l) => l.name)).toEqual(want.map((l) => l.name));
        expect(layers.map((l) => l.spec.type)).toEqual(want.map((l) => l.type));
        // a module whose forward returns several tensors is listed at its first one
        const first = (s: OracleLayer['outputShape']): unknown => (Array.isArray(s[0]) ? s[0] : s);
        expect(layers.map((l) => dims(l.outputShape))).toEqual(want.map((l) => first(l.outputShape)));
        expect(layers.map((l) => l.params)).toEqual(want.map((l) => l.params));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(model!.totalParams).toBe(om.totalParams);
        if (om.trainableParams !== undefined) expect(model!.trainableParams).toBe(om.trainableParams);
        // non-trainable: Keras' moving statistics (in its parameters), PyTorch's frozen parameters
        if (om.trainableParams !== undefined && om.totalParams !== null)
          expect(model!.totalParams! - model!.trainableParams!, 'non-trainable parameters').toBe(
            om.nonTrainableParams ?? om.totalParams - om.trainableParams,
          );
        if (want.every((l) => l.trainable !== undefined))
          expect(
            layers.map((l) => l.trainableParams),
            'trainable parameters per layer',
          ).toEqual(want.map((l) => l.trainable));
        expect(layers.map((l) => l.buffers)).toEqual(want.map((l) => l.buffers ?? 0));
        expect(model!.buffers).toBe(om.buffers ?? 0);
      });
    }
  }
});

function lineOf(src: string, offset: number): number {
  return src.slice(0, offset).split('\n').length;
}

describe('fixture models the frameworks reject', () => {
  it('torch/linear_mismatch.py: the layers before the failure match, and fc1 gets the error PyTorch raises, with a fix', () => {
    const oracle = cases.find((c) => c.oracle.file === 'linear_mismatch.py')!.oracle;
    const source = readFileSync(join(ROOT, 'torch', oracle.file), 'utf8');
    const result = analyze(source);
    const model = result.models.find((m) => m.name === oracle.models[0]!.name)!;
    const ran = oracle.models[0]!.layers;
    const layers = model.layers.filter((l) => !l.spec.functional).slice(0, ran.length);
    expect(layers.map((l) => [l.name, dims(l.outputShape), l.params])).toEqual(
      ran.map((l) => [l.name, l.outputShape, l.params]),
    );
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    const d = errors[0]!;
    expect(d.code).toBe('in-features-mismatch');
    expect([d.args.expected, d.args.actual]).toEqual([oracle.declaredInFeatures, oracle.actualInFeatures]);
    expect(source.slice(d.range.from, d.range.to)).toBe('16 * 4 * 4');
    expect(d.fix?.edits).toEqual([{ range: d.range, newText: String(oracle.actualInFeatures) }]);
  });

  it("torch/strided_same_error.py: padding='same' with stride 2 is an error on the line PyTorch raises", () => {
    const oracle = cases.find((c) => c.oracle.file === 'strided_same_error.py')!.oracle as Oracle & {
      errorLine: number;
    };
    const source = readFileSync(join(ROOT, 'torch', oracle.file), 'utf8');
    const errors = analyze(source).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, lineOf(source, d.range.from)])).toEqual([
      ['same-padding-stride', oracle.errorLine],
    ]);
    expect(errors[0]!.fix?.edits[0]?.newText).toBe('1');
  });

  it('torch/reflect_pad_error.py: ReflectionPad2d(3) on a 2×2 map is an error on the module PyTorch fails in, at the dimension it reports', () => {
    const oracle = cases.find((c) => c.oracle.file === 'reflect_pad_error.py')!.oracle;
    const source = readFileSync(join(ROOT, 'torch', oracle.file), 'utf8');
    const result = analyze(source);
    const model = result.models.find((m) => m.name === oracle.models[0]!.name)!;
    const ran = oracle.models[0]!.layers;
    const layers = model.layers.slice(0, ran.length);
    expect(layers.map((l) => [l.name, dims(l.outputShape), l.params])).toEqual(
      ran.map((l) => [l.name, l.outputShape, l.params]),
    );
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, source.slice(d.range.from, d.range.to)])).toEqual([
      ['bad-argument', 'nn.ReflectionPad2d(3)'],
    ]);
    // PyTorch: "… but got: padding (3, 3) at dimension 3 of input 4"
    const torchDim = /padding \((\d+), (\d+)\) at dimension (\d+)/.exec(oracle.error!)!;
    expect(String(errors[0]!.args.detail)).toContain(
      `padding (${torchDim[1]}, ${torchDim[2]}) at dimension ${torchDim[3]} of input (N, 4, 2, 2)`,
    );
    const failedAt = (oracle.models[0] as OracleModel & { failedAt: { name: string } }).failedAt;
    expect(String(errors[0]!.args.layer)).toBe(`ReflectionPad2d '${failedAt.name}'`);
  });

  it('keras/shape_error.py: kernel 5×5 on a 3×3 input is an error at the layer Keras rejects', () => {
    const oracle = cases.find((c) => c.oracle.file === 'shape_error.py')!.oracle;
    const om = oracle.models[0]! as OracleModel & { error: { layer: string; line: number; index: number } };
    const source = readFileSync(join(ROOT, 'keras', oracle.file), 'utf8');
    const result = analyze(source);
    const model = result.models.find((m) => (m.variable ?? m.name) === om.name)!;
    expect(model.layers.slice(0, om.layers.length).map((l) => [l.name, dims(l.outputShape), l.params])).toEqual(
      om.layers.map((l) => [l.name, l.outputShape, l.params]),
    );
    expect(model.layers[om.error.index]!.name).toBe(om.error.layer);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, lineOf(source, d.range.from)])).toEqual([['kernel-too-large', om.error.line]]);
  });
});
