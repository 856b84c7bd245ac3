/**
 * What a Keras 3 `config.json` (inside a .keras zip) tells the weight reader: which layer sits at
 * each weights path, and what its numbered variables are called.
 *
 * Keras 3 does not store variable names. It saves each layer's variables as datasets '0', '1', …
 * under a path built from the CLASS name, not the layer name (keras/src/saving/saving_lib.py,
 * _save_container_state): within each container the path is snake_case(class name), suffixed
 * _1, _2… on repeats — 'layers/conv2d', 'layers/conv2d_1', 'layers/batch_normalization'; nested
 * models add 'layers/<model>/layers/<layer>'. Sequential skips its InputLayer (Sequential.layers
 * omits it), Functional keeps it. Replaying that over config.json maps each path to the layer's
 * real name and class. The variable order is Layer.save_own_variables': trainable variables in
 * creation order, then non-trainable (BatchNormalization: gamma, beta, moving_mean, moving_variance).
 */

export interface KerasLayerInfo {
  /** The layer's `name` from the config (what the model source calls it). */
  name: string;
  className: string;
  config: Record<string, unknown>;
}

const MAX_LAYERS = 100_000;
const MAX_DEPTH = 32;

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** keras.src.utils.naming.to_snake_case. */
export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Weights path ('' for the model itself, 'layers/conv2d', 'layers/seq/layers/dense'…) → layer. */
export function kerasLayerPaths(config: unknown): Map<string, KerasLayerInfo> {
  const out = new Map<string, KerasLayerInfo>();
  const visit = (node: Record<string, unknown>, path: string, depth: number): void => {
    const cfg = record(node.config);
    const className = typeof node.class_name === 'string' ? node.class_name : '';
    if (!cfg || out.size >= MAX_LAYERS) return;
    out.set(path, {
      name: typeof cfg.name === 'string' ? cfg.name : (path.split('/').pop() ?? ''),
      className,
      config: cfg,
    });
    const layers = cfg.layers;
    if (!Array.isArray(layers) || depth >= MAX_DEPTH) return;
    const used = new Map<string, number>();
    for (const item of layers) {
      const layer = record(item);
      if (!layer || typeof layer.class_name !== 'string') continue;
      if (className === 'Sequential' && layer.class_name === 'InputLayer') continue;
      const base = snakeCase(layer.class_name);
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      const name = n === undefined ? base : `${base}_${n + 1}`;
      visit(layer, path ? `${path}/layers/${name}` : `layers/${name}`, depth + 1);
    }
  };
  const root = record(config);
  if (root) visit(root, '', 0);
  return out;
}

function flag(cfg: Record<string, unknown>, key: string): boolean {
  return cfg[key] !== false; // Keras defaults: use_bias, center, scale are all True
}

/** Variable names in save order for the layer classes whose variables we know, else undefined. */
export function kerasVariableNames(info: KerasLayerInfo): string[] | undefined {
  const { className, config } = info;
  const bias = flag(config, 'use_bias') ? ['bias'] : [];
  switch (className) {
    case 'Dense':
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
    case 'Conv3DTranspose':
    case 'DepthwiseConv1D':
    case 'DepthwiseConv2D': // Keras 3 calls the depthwise variable 'kernel' (tf.keras 2: 'depthwise_kernel')
      return ['kernel', ...bias];
    case 'SeparableConv1D':
    case 'SeparableConv2D':
      return ['depthwise_kernel', 'pointwise_kernel', ...bias];
    case 'BatchNormalization':
      return [
        ...(flag(config, 'scale') ? ['gamma'] : []),
        ...(flag(config, 'center') ? ['beta'] : []),
        'moving_mean',
        'moving_variance',
      ];
    case 'LayerNormalization':
    case 'GroupNormalization':
      return [...(flag(config, 'scale') ? ['gamma'] : []), ...(flag(config, 'center') ? ['beta'] : [])];
    case 'Embedding':
      return ['embeddings'];
    case 'PReLU':
      return ['alpha'];
    default:
      return undefined;
  }
}
