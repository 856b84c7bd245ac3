/**
 * Realistic panel states for the webview tests, built the way the host builds them: a model file
 * analyzed (src/analysis), run by the engine with the frameworks' seeded initial weights
 * (src/runtime), on a bundled sample image decoded like a user's (src/io/image), and each layer
 * turned into a LayerView by src/panel/views.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/analysis/analyze';
import { LineMap } from '../../src/analysis/python/lines';
import type { Tensor } from '../../src/engine';
import { decodeImage, describePreprocessing, toModelInput } from '../../src/io/image';
import type { ModelGraph } from '../../src/model/ir';
import { buildLayerView, layerRows } from '../../src/present/layerView';
import type { HostToWebview, LayerView, ModelState, PanelSettings, PanelState } from '../../src/shared/protocol';
import { runModel, type WeightSource } from '../../src/runtime/forward';
import { initialValue } from '../../src/runtime/init';
import { ROOT } from './harness';

export const SEED = 42;

function samplePath(name: string): string {
  const found = ['media/samples', 'examples/images'].map((d) => join(ROOT, d, name)).find(existsSync);
  if (!found) throw new Error(`sample image ${name} not found under media/samples or examples/images`);
  return found;
}

export interface Run {
  source: string;
  graph: ModelGraph;
  input: Tensor;
  outputs: Tensor[];
  weights: WeightSource;
  preprocessing: string[];
  inputName: string;
}

/** Analyzes a model source and runs it on an image (sized to the model) or on a given tensor. */
export function runSource(source: string, input: { image: string } | { tensor: Tensor }): Run {
  const graph = analyze(source).models[0];
  if (!graph) throw new Error('no model in source');
  const keras = graph.framework === 'keras';
  const s = graph.inputShape as number[];
  let x: Tensor;
  let preprocessing: string[] = [];
  let inputName = 'synthetic input';
  if ('image' in input) {
    const path = samplePath(input.image);
    const img = decodeImage(readFileSync(path), input.image);
    const [h, w, c] = keras ? [s[0]!, s[1]!, s[2]!] : [s[1]!, s[2]!, s[0]!];
    const o = {
      height: h,
      width: w,
      channels: c as 1 | 3,
      layout: keras ? ('channelsLast' as const) : ('channelsFirst' as const),
      scale: 1 as const,
    };
    x = toModelInput(img, o);
    preprocessing = describePreprocessing(img, o).map((p) => p.text);
    inputName = input.image;
  } else x = input.tensor;
  const weights: WeightSource = (node, p) => initialValue(p, node, SEED);
  const outputs = runModel(graph, x, weights).map((r) => r.output);
  return { source, graph, input: x, outputs, weights, preprocessing, inputName };
}

export function runFile(file: string, image: string): Run {
  return runSource(readFileSync(join(ROOT, file), 'utf8'), { image });
}

export function layerView(run: Run, index: number): LayerView {
  const node = run.graph.layers[index]!;
  const inputs = node.inputs.map((i) => (i < 0 ? run.input : run.outputs[i]!));
  return buildLayerView({
    graph: run.graph,
    index,
    inputs,
    output: run.outputs[index]!,
    weights: run.weights,
    weightsInfo: { kind: 'random', seed: SEED },
    preprocessing: run.preprocessing,
  });
}

export function modelState(run: Run, index: number, over: Partial<ModelState> = {}): ModelState {
  return {
    kind: 'model',
    modelName: run.graph.name,
    framework: run.graph.framework,
    layers: layerRows(run.graph, (off) => new LineMap(run.source).position(off).line, new Map()),
    selected: index,
    layer: layerView(run, index),
    inputName: run.inputName,
    busy: false,
    message: null,
    ...over,
  };
}

let runId = 100;

export function stateMsg(state: PanelState, id = ++runId): HostToWebview {
  return { type: 'state', runId: id, state };
}

export function settingsMsg(s: Partial<PanelSettings> = {}): HostToWebview {
  return { type: 'settings', settings: { colormap: 'viridis', normalization: 'per-map', locale: 'en', ...s } };
}

export const SAMPLES: HostToWebview = {
  type: 'samples',
  samples: ['digit-3', 'sneaker', 'tshirt', 'shapes-cross', 'scene-224'].map((id) => ({ id, label: `${id}.png` })),
};

/** A 4×4 one-channel Keras input holding 1…16 (row-major), like the textbook's small grids. */
export function grid4(): Tensor {
  return { shape: [1, 4, 4, 1], data: Float32Array.from({ length: 16 }, (_, i) => i + 1) };
}

export function conv4Source(padding: 'valid' | 'same'): string {
  return `from tensorflow import keras
model = keras.Sequential([
    keras.layers.Conv2D(2, 3, padding='${padding}', activation='relu', input_shape=(4, 4, 1)),
])
`;
}
