/**
 * One path from what the user gives — a decoded image or a .npy array — to the model's input
 * tensor (batch 1, the framework's layout) and the preprocessing steps taken on the way, for
 * `convlens forward`/`render` and the explorer panel alike (src/io/image.ts does the pixels).
 *
 * A model whose input size is symbolic takes the image's height and width, or the array's shape:
 * `inputShapeFrom` gives the shape to analyze the model with before asking for its input.
 *
 * A 1-D model (Keras (L, C), PyTorch (C, L): Conv1D, nn.Conv1d…) reads an image as a sequence,
 * top to bottom (`sequenceFromImage`): the image is resized (area averaging) to L rows, and step i
 * is its i-th horizontal band — with 1 channel the band's gray value, with 3 its R, G, B, with
 * any other C the band cut into C columns (the image resized to L×C, as sequence models read
 * MNIST a row at a time). So the textbook's first picture, ten numbers under a kernel of 3, is a
 * digit's ink profile: zeros at the ends, larger values where its strokes are.
 */
import { tensor, type Tensor } from '../engine';
import { describePreprocessing, toModelInput, type DecodedImage, type PreprocessStep } from '../io/image';
import { conventions } from '../model/conventions';
import type { ModelGraph } from '../model/ir';
import { isKnown, shapeText, type Dim } from '../shared/dims';

/** A decoded image; a drawing has no file format and may not say its colour model. */
export type InputImage = Pick<DecodedImage, 'width' | 'height' | 'rgba'> &
  Partial<Pick<DecodedImage, 'format' | 'color' | 'hasAlpha'>>;

export type InputSource =
  | { kind: 'image'; name: string; image: InputImage }
  | { kind: 'array'; name: string; shape: number[]; data: Float32Array };

/** Why an input cannot feed a model: the kind (for localized messages) and an English sentence. */
export type InputProblem =
  | { kind: 'unknown-shape'; model: string; message: string }
  | { kind: 'unknown-channels'; model: string; message: string }
  | { kind: 'image-channels'; model: string; channels: number; message: string }
  | { kind: 'not-an-image'; model: string; shape: string; message: string }
  | { kind: 'array-shape'; model: string; message: string };

export class InputMismatch extends Error {
  override readonly name = 'InputMismatch';
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

/** The model's input shape with batch 1; symbolic height and width take `imageSize` (h, w) when given. */
export function concreteInput(
  graph: ModelGraph,
  imageSize: [number, number] | null,
): { shape: number[] } | { problem: InputProblem } {
  const s = graph.inputShape;
  const model = graph.name;
  if (!s) return { problem: { kind: 'unknown-shape', model, message: `${model}: the input shape is not known` } };
  const conv = conventions(graph.framework);
  const dims: Dim[] = [...s];
  if (dims.length === 3) {
    const { spatial } = conv.splitShape([0, ...dims]);
    const c = conv.channelAxis(4) - 1;
    const [hI, wI] = conv.channelsLast ? [0, 1] : [1, 2];
    if (imageSize) {
      if (!isKnown(spatial[0]!)) dims[hI] = imageSize[0];
      if (!isKnown(spatial[1]!)) dims[wI] = imageSize[1];
    }
    if (!isKnown(dims[c]!)) {
      const layout = conv.channelsLast ? '(H, W, C)' : '(C, H, W)';
      return {
        problem: {
          kind: 'unknown-channels',
          model,
          message: `${model}: the number of input channels is not known; add '# convlens: input_shape=${layout}' or pass --input-shape`,
        },
      };
    }
  }
  if (!dims.every(isKnown))
    return {
      problem: {
        kind: 'unknown-shape',
        model,
        message: `${model}: the input shape ${shapeText(dims)} is not fully known; pass --input-shape or give an image`,
      },
    };
  return { shape: [1, ...(dims as number[])] };
}

/** The input shape (without batch) to analyze a model with when its own is not fully known. */
export function inputShapeFrom(graph: ModelGraph, source: InputSource): number[] | null {
  if (!graph.inputShape || graph.inputShape.every(isKnown)) return null;
  if (source.kind === 'array')
    return (source.shape.length === graph.inputShape.length ? [1, ...source.shape] : source.shape).slice(1);
  const want = concreteInput(graph, [source.image.height, source.image.width]);
  if ('problem' in want) throw new InputMismatch(want.problem);
  return want.shape.slice(1);
}

/** The input tensor for a model whose input shape is known, and how it was made. */
export function modelInput(
  graph: ModelGraph,
  source: InputSource,
  scale: 1 | 255 = 1,
): { input: Tensor; steps: PreprocessStep[] } {
  const conv = conventions(graph.framework);
  if (source.kind === 'array') {
    const want = concreteInput(graph, null);
    if ('problem' in want) throw new InputMismatch(want.problem);
    const shape = source.shape.length === want.shape.length - 1 ? [1, ...source.shape] : source.shape;
    if (shape.length !== want.shape.length || shape.some((d, i) => d !== want.shape[i])) {
      const layout = conv.channelsLast ? 'channels-last (H, W, C)' : 'channels-first (C, H, W)';
      const message = `${source.name} has shape (${source.shape.join(', ')}), the model expects (${want.shape.slice(1).join(', ')}) or (${want.shape.join(', ')}) in the ${layout} layout`;
      throw new InputMismatch({ kind: 'array-shape', model: graph.name, message });
    }
    return { input: tensor(shape, source.data), steps: [] };
  }
  const img = source.image;
  const want = concreteInput(graph, [img.height, img.width]);
  if ('problem' in want) throw new InputMismatch(want.problem);
  if (want.shape.length === 3) return sequenceFromImage(graph, img, want.shape, scale);
  const { spatial, channels } = conv.splitShape(want.shape);
  if (want.shape.length !== 4 || (channels !== 1 && channels !== 3)) {
    const shape = `(${want.shape.slice(1).join(', ')})`;
    const message = `an image can feed models with 1 or 3 input channels and a 2-D input; this model expects ${shape}; give a .npy array instead`;
    throw new InputMismatch(
      want.shape.length !== 4
        ? { kind: 'not-an-image', model: graph.name, shape, message }
        : { kind: 'image-channels', model: graph.name, channels: Number(channels), message },
    );
  }
  const opts = {
    height: spatial[0] as number,
    width: spatial[1] as number,
    channels: channels as 1 | 3,
    layout: conv.layout,
    scale,
  };
  return { input: toModelInput(img, opts), steps: describePreprocessing(img, opts) };
}

/** The length a 1-D model of unknown length is shown with: the textbook's ten numbers. */
export const DEFAULT_SEQUENCE_LENGTH = 10;

/**
 * The input shape (without batch) to show a 1-D model of unknown length with: its channels and
 * DEFAULT_SEQUENCE_LENGTH steps; null for any other model.
 */
export function defaultSequenceShape(graph: ModelGraph): number[] | null {
  const s = graph.inputShape;
  if (!s || s.length !== 2) return null;
  const conv = conventions(graph.framework);
  const [lenAt, cAt] = conv.channelsLast ? [0, 1] : [1, 0];
  if (isKnown(s[lenAt]!) || !isKnown(s[cAt]!)) return null;
  const shape = [0, 0];
  shape[lenAt] = DEFAULT_SEQUENCE_LENGTH;
  shape[cAt] = s[cAt] as number;
  return shape;
}

/** Largest sequence input made from an image (steps × channels). */
export const MAX_SEQUENCE_ELEMENTS = 1 << 22;

/**
 * The image as a 1-D model's input, batch 1 (see the header): `shape` is (1, L, C) channels-last
 * or (1, C, L) channels-first.
 */
export function sequenceFromImage(
  graph: ModelGraph,
  img: InputImage,
  shape: number[],
  scale: 1 | 255 = 1,
): { input: Tensor; steps: PreprocessStep[] } {
  const conv = conventions(graph.framework);
  const { spatial, channels } = conv.splitShape(shape);
  const [len, c] = [spatial[0] as number, channels as number];
  if (len * c > MAX_SEQUENCE_ELEMENTS) {
    const text = `(${shape.slice(1).join(', ')})`;
    throw new InputMismatch({
      kind: 'not-an-image',
      model: graph.name,
      shape: text,
      message: `${graph.name} takes a sequence of shape ${text}, more than an image can give; give a .npy array instead`,
    });
  }
  // C channels other than 3: the gray image resized to L rows × C columns, read row by row
  const opts = {
    height: len,
    width: c === 3 ? 1 : c,
    channels: c === 3 ? (3 as const) : (1 as const),
    layout: 'channelsLast' as const,
    scale,
  };
  // channels-last (1, L, W, ch) holds [step][channel] in both cases
  const bands = toModelInput(img, opts).data;
  let data = bands;
  if (!conv.channelsLast) {
    data = new Float32Array(bands.length);
    for (let i = 0; i < len; i++) for (let k = 0; k < c; k++) data[k * len + i] = bands[i * c + k]!;
  }
  const steps: PreprocessStep[] = describePreprocessing(img, opts).filter((st) => st.step !== 'layout');
  const order = conv.channelsLast ? 'batch, steps, channels' : 'batch, channels, steps';
  steps.push({
    step: 'layout',
    text: `Read as a sequence (${shape.join(', ')}): ${order}; step i is the image's i-th horizontal band, top to bottom`,
    layout: conv.layout,
    shape: [...shape],
  });
  return { input: tensor(shape, data), steps };
}
