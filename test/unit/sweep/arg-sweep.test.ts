/**
 * The argument sweep: every layer ConvLens models, each constructor argument varied over its legal
 * values and its default and written three ways (positional, keyword, defaults omitted), against
 * what the real framework computed for the same source line (test/fixtures/sweep/torch.json from
 * scripts/gen-arg-sweep-torch.py with PyTorch 2.x, keras.json from scripts/gen-arg-sweep-keras.py
 * with Keras 3). Each case's line is analyzed as a user writes it, inside a one-layer Sequential,
 * and checked on: the output shape; total, trainable and non-trainable parameter counts; the
 * parameter tensors' names and shapes; and the output values when run on the engine with the same
 * seeded weights and input the framework had. A configuration the framework refuses must be an
 * error (or an unsupported-argument warning for an argument it does not know); an argument
 * ConvLens does not model must be an unsupported-argument warning located at the argument, and is
 * listed below with the reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { paramSpecs } from '../../../src/model/nodes';
import { runModel } from '../../../src/runtime/forward';
import { expectAllclose } from '../helpers/allclose';

type Spec = [number[], number, number];
interface Output {
  shape: number[];
  data?: string;
  stats?: { sum: number; absSum: number; min: number; max: number };
  every7?: string;
}
interface Case {
  family: string;
  layer: string;
  style: 'keyword' | 'positional' | 'omitted';
  source: string;
  input: number[];
  error?: string;
  params?: Record<string, Spec>;
  buffers?: Record<string, Spec>;
  counts?: { total: number; trainable: number; nonTrainable: number };
  output?: Output;
}
interface Fixture {
  generator: string;
  cases: Case[];
}

/** fnv-1a of a parameter's name: its seed, as in the generators. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(s, 'utf8')) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The generators' seeded values: a 32-bit LCG, lo + (hi − lo)·(s >> 8)/2²⁴, rounded to float32. */
function fill(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * ((s >>> 8) / 16777216);
  }
  return out;
}

function f32(b64: string): Float32Array {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Arguments ConvLens does not model: the case must carry an `unsupported-argument` warning on the
 * argument's value (its text is the second entry), and its values are not compared.
 */
interface Unsupported {
  framework: 'torch' | 'keras';
  layer: RegExp;
  /** Matches the source line of the cases it covers; its first group is the argument's value text. */
  arg: RegExp;
  reason: string;
}
const UNSUPPORTED: Unsupported[] = [
  {
    framework: 'torch',
    layer: /MaxPool[12]d$/,
    arg: /return_indices=(True)/,
    reason: 'return_indices=True: ConvLens gives the pooled tensor alone, PyTorch a (values, indices) pair',
  },
  {
    framework: 'torch',
    layer: /^MaxPool[12]d$/,
    arg: /^nn\.MaxPool[12]d\((?:[^,]+, ){4}(True)/,
    reason: 'return_indices=True (positional): ConvLens gives the pooled tensor alone',
  },
  {
    framework: 'torch',
    layer: /^AdaptiveMaxPool[12]d$/,
    arg: /^nn\.AdaptiveMaxPool[12]d\([^,]+, (True)\)/,
    reason: 'return_indices=True (positional): ConvLens gives the pooled tensor alone',
  },
  {
    framework: 'torch',
    layer: /^Upsample$/,
    arg: /('bicubic')/,
    reason: "Upsample mode='bicubic' is not computed (only 'nearest' and 'bilinear')",
  },
  {
    framework: 'torch',
    layer: /^F\.max_pool[12]d$/,
    arg: /(?:return_indices=(True)|^F\.max_pool[12]d\(x(?:, [^,]+){5}, (True)\)$)/,
    reason: 'F.max_pool return_indices=True: ConvLens gives the pooled tensor alone',
  },
  {
    framework: 'torch',
    layer: /^F\.interpolate$/,
    arg: /('bicubic')/,
    reason: "F.interpolate mode='bicubic' is not computed (only 'nearest' and 'bilinear')",
  },
  {
    framework: 'torch',
    layer: /^F\.interpolate$/,
    arg: /(?:antialias=(True)|^F\.interpolate\(x(?:, (?:\([^)]*\)|[^,]+)){5}, (True)\)$)/,
    reason: 'F.interpolate antialias=True: ConvLens resizes without the antialiasing filter',
  },
  {
    framework: 'keras',
    layer: /./,
    arg: /('channels_first')/,
    reason: "data_format='channels_first': ConvLens reads Keras layers channels last",
  },
  {
    framework: 'keras',
    layer: /^UpSampling2D$/,
    arg: /('bicubic')/,
    reason: "UpSampling2D interpolation='bicubic' is not computed (only 'nearest' and 'bilinear')",
  },
  {
    framework: 'keras',
    layer: /^Resizing$/,
    arg: /(?:crop_to_aspect_ratio=|'bilinear', )(True)/,
    reason: 'Resizing crop_to_aspect_ratio=True: ConvLens stretches the image to the new size',
  },
];

/**
 * Configurations whose shapes and counts are checked but whose values the engine does not compute:
 * running them must fail with this located message (never a wrong value).
 */
const NOT_RUN: { framework: 'torch' | 'keras'; layer: RegExp; source: RegExp; message: RegExp }[] = [
  {
    framework: 'keras',
    layer: /^LayerNormalization$/,
    source: /\[1, 2\]/,
    message: /normalizing axes other than the last ones is not supported/,
  },
];

function unsupportedFor(framework: 'torch' | 'keras', c: Case): Unsupported | undefined {
  return UNSUPPORTED.find((u) => u.framework === framework && u.layer.test(c.layer) && u.arg.test(c.source));
}

function program(framework: 'torch' | 'keras', c: Case): string {
  if (c.family === 'functional')
    return `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass Model(nn.Module):\n    def forward(self, x):\n        return ${c.source}\n\n\nmodel = Model()\n`;
  if (framework === 'torch')
    return `import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(\n    ${c.source},\n)\n`;
  const shape = c.input.slice(1).join(', ');
  return `import keras\nfrom keras import layers\n\nmodel = keras.Sequential([\n    keras.Input(shape=(${shape}${c.input.length === 2 ? ',' : ''})),\n    ${c.source},\n])\n`;
}

function load(framework: 'torch' | 'keras'): Fixture {
  return JSON.parse(readFileSync(`test/fixtures/sweep/${framework}.json`, 'utf8')) as Fixture;
}

function runCase(framework: 'torch' | 'keras', c: Case): void {
  const src = program(framework, c);
  const line = src.indexOf(c.source);
  const onLine = (d: { range: { from: number } }) => d.range.from >= line && d.range.from < line + c.source.length;
  const result = analyze(src, framework === 'torch' ? { inputShape: c.input.slice(1) } : {});
  const unsupported = result.diagnostics.filter((d) => d.code === 'unsupported-argument');
  const known = unsupportedFor(framework, c);

  if (c.error !== undefined) {
    // the framework refuses this line: so must we, on that line
    const said = result.diagnostics.filter(
      (d) =>
        (d.severity === 'error' || d.code === 'unsupported-argument' || d.code === 'unreadable-layer') && onLine(d),
    );
    expect(
      said.map((d) => d.code),
      `the framework raises ${c.error}; diagnostics: ${JSON.stringify(result.diagnostics)}`,
    ).not.toEqual([]);
    return;
  }
  if (known) {
    const m = known.arg.exec(c.source)!;
    const text = m.slice(1).find((g) => g !== undefined)!;
    const at = unsupported.map((d) => src.slice(d.range.from, d.range.to));
    expect(at, `${known.reason}: an unsupported-argument warning at ${text}`).toContain(text);
    return;
  }
  expect(unsupported, 'no argument of this line is unmodelled').toEqual([]);
  expect(
    result.diagnostics.filter(
      (d) => d.severity !== 'info' || d.code === 'unreadable-layer' || d.code === 'unknown-layer',
    ),
  ).toEqual([]);
  const model = result.models.find((m) => m.name === 'model' || m.name === 'Model');
  expect(model, `models: ${result.models.map((m) => m.name).join(', ')}`).toBeDefined();
  const layers = model!.layers;
  expect(layers).toHaveLength(1);
  const layer = layers[0]!;
  const out = c.output!;
  expect(layer.outputShape?.slice(1), 'output shape').toEqual(out.shape.slice(1));

  // counts: PyTorch parameters (all trainable) and floating-point buffers; Keras weights
  const counts = c.counts!;
  expect(model!.totalParams, 'total parameters').toBe(counts.total);
  expect(model!.trainableParams, 'trainable parameters').toBe(counts.trainable);
  if (framework === 'torch') expect(model!.buffers, 'non-trainable (buffers)').toBe(counts.nonTrainable);
  else expect(model!.totalParams! - model!.trainableParams!, 'non-trainable').toBe(counts.nonTrainable);

  // the tensors we ask for are the framework's, by name and shape
  const tensors = { ...c.params, ...c.buffers };
  const specs = paramSpecs(layer) ?? [];
  expect(specs.map((p) => p.name).sort(), 'parameter names').toEqual(Object.keys(tensors).sort());
  const notRun = NOT_RUN.find((n) => n.framework === framework && n.layer.test(c.layer) && n.source.test(c.source));
  if (notRun) {
    expect(() =>
      runModel(
        model!,
        tensor(c.input, new Float32Array(c.input.reduce((a, b) => a * b, 1))),
        () => new Float32Array(0),
      ),
    ).toThrow(notRun.message);
    return;
  }
  const runs = runModel(
    model!,
    tensor(
      c.input,
      fill(
        c.input.reduce((a, b) => a * b, 1),
        fnv('input'),
        -2,
        2,
      ),
    ),
    (_, p) => {
      const t = tensors[p.name]!;
      expect(p.shape, `${p.name} shape`).toEqual(t[0]);
      return fill(
        t[0].reduce((a, b) => a * b, 1),
        fnv(p.name),
        t[1],
        t[2],
      );
    },
  );
  const y = runs[runs.length - 1]!.output;
  expect(y.shape, 'run output shape').toEqual(out.shape);
  if (out.data) {
    const want = f32(out.data);
    expectAllclose(y.data, want, { rtol: 1e-4, atol: 1e-5 * Math.max(1, maxAbs(want)) }, 'output');
  } else {
    const s = out.stats!;
    let sum = 0;
    let absSum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of y.data) {
      sum += v;
      absSum += Math.abs(v);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const tol = 1e-4 * Math.max(1, s.absSum);
    expect(Math.abs(sum - s.sum), `sum ${sum} vs ${s.sum}`).toBeLessThanOrEqual(tol);
    expect(Math.abs(absSum - s.absSum), `sum of |y| ${absSum} vs ${s.absSum}`).toBeLessThanOrEqual(tol);
    expect(Math.abs(lo - s.min), 'min').toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(s.min)));
    expect(Math.abs(hi - s.max), 'max').toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(s.max)));
    const want = f32(out.every7!);
    const got = y.data.filter((_, i) => i % 7 === 0);
    expectAllclose(got, want, { rtol: 1e-4, atol: 1e-5 * Math.max(1, maxAbs(want)) }, 'every 7th value');
  }
}

describe('what the sweep does not compare', () => {
  const fixtures = { torch: load('torch'), keras: load('keras') };
  it('every unmodelled argument and engine gap listed covers sweep cases (printed with its reason)', () => {
    const lines: string[] = [];
    for (const u of UNSUPPORTED) {
      const n = fixtures[u.framework].cases.filter((c) => !c.error && u.layer.test(c.layer) && u.arg.test(c.source));
      expect(n.length, `${u.framework} ${u.layer} ${u.arg}`).toBeGreaterThan(0);
      lines.push(`${u.framework}: ${n.length} cases, unsupported-argument: ${u.reason}`);
    }
    for (const r of NOT_RUN) {
      const n = fixtures[r.framework].cases.filter((c) => !c.error && r.layer.test(c.layer) && r.source.test(c.source));
      expect(n.length, `${r.framework} ${r.layer} ${r.source}`).toBeGreaterThan(0);
      lines.push(`${r.framework}: ${n.length} cases, values not computed: ${r.message.source}`);
    }
    console.log(
      `Arguments the sweep checks as unmodelled (a warning at the argument) or not run:\n  ${lines.join('\n  ')}`,
    );
  });
});

for (const framework of ['torch', 'keras'] as const) {
  const fixture = load(framework);
  const families = [...new Set(fixture.cases.map((c) => c.family))];
  describe(`${framework} argument sweep (${fixture.generator})`, () => {
    for (const family of families) {
      const cases = fixture.cases.filter((c) => c.family === family);
      describe(`${family}: ${cases.length} cases`, () => {
        for (const c of cases) it(`${c.style}: ${c.source} on ${JSON.stringify(c.input)}`, () => runCase(framework, c));
      });
    }
  });
}
