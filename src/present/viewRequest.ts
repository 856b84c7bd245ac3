/**
 * The panel's request for one layer (what panelJob runs), built from plain data: the model, the
 * selected layer, the decoded input image — made into the model's input by the same path as the
 * CLI's (runtime/input.ts) — and the weights in use: a loaded file's, or presets on one
 * convolution. Pure: reading the image and wording a problem stay with the caller.
 */
import type { ModelGraph } from '../model/ir';
import { defaultSequenceShape, InputMismatch, modelInput, type InputImage } from '../runtime/input';
import type { PresetName } from '../runtime/presets';
import type { WeightMatch } from '../runtime/weights';
import { allKnown } from '../shared/dims';
import type { Locale, WeightsInfo } from '../shared/protocol';
import { fileWeightsOf, type ViewRequest } from './panelJob';
import { preprocessText } from './preprocess';

export type { InputImage };

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

/** What the panel says about the weights: presets on the shown layer, else the file's, else random. */
export function weightsInfoFor(index: number, weights: LoadedWeights | null, preset: LayerPresets | null): WeightsInfo {
  if (preset && preset.layer === index) return { kind: 'preset', presets: preset.presets };
  return weights ? { kind: 'file', file: weights.file } : { kind: 'random', seed: 0 };
}

/** Identities of loaded weight matches: a new load is new weights, even from the same file. */
const matchIds = new WeakMap<WeightMatch, number>();
let nextMatchId = 1;

/** Which weights a request runs with, for the worker's activation cache: a loaded file's identity, or the seed's. */
export function weightsKeyOf(weights: LoadedWeights | null): string {
  if (!weights) return 'seed:0';
  let id = matchIds.get(weights.match);
  if (id === undefined) {
    id = nextMatchId++;
    matchIds.set(weights.match, id);
  }
  return `file:${id}:${weights.file}`;
}

export interface RequestParts {
  graph: ModelGraph;
  index: number;
  image: InputImage;
  weights: LoadedWeights | null;
  preset: LayerPresets | null;
  locale: Locale;
  /** The activation cache's bound in MiB (the worker's default when not given). */
  cacheMb?: number;
  /**
   * The model analyzed again with a given input shape (without batch): a 1-D model of unknown
   * length is shown with DEFAULT_SEQUENCE_LENGTH steps. Without it such a model stays unknown.
   */
  reanalyze?: (inputShape: number[]) => ModelGraph | null;
}

/**
 * The model inputs made from each image, by what they depend on (the framework's layout and the
 * input shape): moving through the layers of one model on one image makes its input once. The
 * tensor is only read (requests are copied to the worker).
 */
const inputsMade = new WeakMap<InputImage, Map<string, ReturnType<typeof modelInput>>>();

function madeInput(graph: ModelGraph, image: InputImage): ReturnType<typeof modelInput> {
  const key = JSON.stringify([graph.framework, graph.inputShape]);
  let byShape = inputsMade.get(image);
  const kept = byShape?.get(key);
  if (kept) return kept;
  const made = modelInput(graph, { kind: 'image', name: 'input', image });
  if (!byShape) inputsMade.set(image, (byShape = new Map()));
  if (byShape.size >= 4) byShape.clear();
  byShape.set(key, made);
  return made;
}

/**
 * The request for the layer at `index`: the image as the model's input (a 1-D model reads it as
 * a sequence, top to bottom: runtime/input.ts), the steps that made it, the weights. The panel shows models whose input size is known (it draws their geometry);
 * anything else is an InputMismatch for the caller to word.
 */
export function viewRequest(p: RequestParts): ViewRequest {
  const seq = p.reanalyze ? defaultSequenceShape(p.graph) : null;
  const graph = (seq && p.reanalyze?.(seq)) || p.graph;
  const s = graph.inputShape;
  if (!s || !allKnown(s))
    throw new InputMismatch({
      kind: 'unknown-shape',
      model: graph.name,
      message: `${graph.name}: the input shape is not known`,
    });
  const made = madeInput(graph, p.image);
  const input = made.input;
  const steps = made.steps.map((st) => preprocessText(st, p.locale));
  return {
    graph,
    index: p.index,
    input,
    seed: 0,
    weightsKey: weightsKeyOf(p.weights),
    ...(p.cacheMb !== undefined ? { cacheMb: p.cacheMb } : {}),
    fileWeights: fileWeightsOf(p.weights?.match ?? null),
    preset: p.preset,
    weightsInfo: weightsInfoFor(p.index, p.weights, p.preset),
    preprocessing: steps,
  };
}
