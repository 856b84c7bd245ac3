/**
 * The panel's request for one layer (what panelJob runs), built from plain data: the model, the
 * selected layer, the decoded input image, and the weights in use — a loaded file's, or presets
 * on one convolution. Pure: reading the image and wording a problem stay with the caller.
 */
import { describePreprocessing, toModelInput, type DecodedImage, type ModelInputOptions } from '../io/image';
import type { ModelGraph } from '../model/ir';
import type { PresetName } from '../runtime/presets';
import type { WeightMatch } from '../runtime/weights';
import { isKnown } from '../shared/dims';
import type { Locale, WeightsInfo } from '../shared/protocol';
import { fileWeightsOf, type ViewRequest } from './panelJob';
import { preprocessText } from './preprocess';

/** The input image, decoded (sample, file or drawing). */
export type InputImage = Pick<DecodedImage, 'rgba' | 'width' | 'height'> & { format?: DecodedImage['format'] };

/** Weights loaded from a file for one model. */
export interface LoadedWeights {
  match: WeightMatch;
  file: string;
}

/** Presets on the filters of one convolution of a model. */
export interface LayerPresets {
  layer: number;
  presets: (PresetName | null)[];
}

/** Why an image cannot be the model's input. */
export type InputProblem = { problem: 'unknown-shape' } | { problem: 'channels'; channels: number };

/** How an image becomes the model's input: its (H, W, C) in the framework's layout, values in [0, 1]. */
export function inputOptions(graph: Pick<ModelGraph, 'inputShape' | 'framework'>): ModelInputOptions | InputProblem {
  const s = graph.inputShape ?? [];
  const keras = graph.framework === 'keras';
  if (s.length !== 3 || !s.every(isKnown)) return { problem: 'unknown-shape' };
  const [h, w, c] = (keras ? [s[0], s[1], s[2]] : [s[1], s[2], s[0]]) as number[];
  if (c !== 1 && c !== 3) return { problem: 'channels', channels: c! };
  return { height: h!, width: w!, channels: c, layout: keras ? 'channelsLast' : 'channelsFirst', scale: 1 };
}

/** What the panel says about the weights: presets on the shown layer, else the file's, else random. */
export function weightsInfoFor(index: number, weights: LoadedWeights | null, preset: LayerPresets | null): WeightsInfo {
  if (preset && preset.layer === index) return { kind: 'preset', presets: preset.presets };
  return weights ? { kind: 'file', file: weights.file } : { kind: 'random', seed: 0 };
}

export interface RequestParts {
  graph: ModelGraph;
  index: number;
  image: InputImage;
  options: ModelInputOptions;
  weights: LoadedWeights | null;
  preset: LayerPresets | null;
  locale: Locale;
}

/** The request for the layer at `index`: the image as the model's input, the steps that made it, the weights. */
export function viewRequest(p: RequestParts): ViewRequest {
  const input = toModelInput(p.image, p.options);
  const { width, height, format } = p.image;
  const steps = describePreprocessing({ width, height, ...(format ? { format } : {}) }, p.options).map((st) => preprocessText(st, p.locale));
  return {
    graph: p.graph, index: p.index, input, seed: 0, fileWeights: fileWeightsOf(p.weights?.match ?? null), preset: p.preset,
    weightsInfo: weightsInfoFor(p.index, p.weights, p.preset), preprocessing: steps,
  };
}
