/** What every weight-file reader returns: named float32 tensors in file order (see weights.ts). */

export interface WeightTensor {
  /** Full name as stored: 'features.0.weight', 'layers/conv2d/vars/0', 'conv2d/kernel:0'. */
  name: string;
  /** The layer it belongs to: 'features.0' (PyTorch) or the Keras layer name. */
  layer: string;
  /** 'weight' | 'bias' | 'running_mean' … (PyTorch), 'kernel' | 'gamma' … (Keras), or a Keras variable index '0', '1' when the class is unknown. */
  param: string;
  shape: number[];
  data: Float32Array;
  /** Stored element type as the format spells it ('F16', 'BF16', '<f4', 'bfloat16'...). */
  dtype?: string;
  /** Set when the stored values were integers or booleans (e.g. num_batches_tracked), not floats. */
  nonFloat?: true;
}

export interface WeightFile {
  format: 'safetensors' | 'keras3-h5' | 'keras-zip' | 'keras-legacy-h5' | 'onnx';
  /** In file order: data order (safetensors), model order (Keras). */
  tensors: WeightTensor[];
  /** safetensors `__metadata__`; Keras: keras_version, backend when stored. */
  metadata?: Record<string, string>;
}
