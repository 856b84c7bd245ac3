/**
 * A trained model file read as a model: `.keras` (Keras 3 zip), a full-model legacy `.h5`
 * (tf.keras 2: `model_config` attribute + weights) or `.onnx` (graph + initializers). The
 * architecture comes from the file's own config or graph; no Python source is needed.
 */
import type { Diagnostic } from '../model/diagnostics';
import type { ModelGraph } from '../model/ir';
import type { WeightTensor } from '../io/weightFile';

export type ModelFileFormat = 'keras-zip' | 'keras-legacy-h5' | 'onnx';

export interface ModelFile {
  format: ModelFileFormat;
  /** The display name of the file (for messages). */
  name: string;
  /**
   * The model, with the file's own layer names (Keras layer names; ONNX node names). Null when
   * nothing of it could be read (the diagnostics say why). A graph read only up to an op that is
   * not supported has `partial` set and stops there.
   */
  graph: ModelGraph | null;
  /**
   * The trained tensors, named as runtime/weights.ts `matchWeights` expects for `graph`: Keras
   * layer name + variable name ('kernel', 'gamma', …); ONNX node-derived layer name + the PyTorch
   * parameter name of the layer kind ('weight', 'bias', 'running_mean', …) in PyTorch layouts.
   */
  weights: WeightTensor[];
  /**
   * What the file says that the graph does not: unsupported ops, skipped nodes, shape errors. Each
   * names its layer or node in `node`; `range` is {0, 0} (there is no source text).
   */
  diagnostics: Diagnostic[];
  /** Keras: the Python source the model was read from (the same model, as code). */
  source?: string;
  /** What the file records of where it came from: keras_version, backend, producer, opset… */
  metadata: Record<string, string>;
}

export interface ModelFileOptions {
  /** Input shape without the batch dimension, for files whose input size is not fixed. */
  inputShape?: number[] | null;
}
