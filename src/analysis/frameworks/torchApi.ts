/**
 * What PyTorch's own namespaces hold, for code that asks before it uses a name:
 * `'silu' in dir(torch.nn.functional)`, `hasattr(F, 'mish')`. The names are those of
 * torch.nn.functional in PyTorch 2.x (whether ConvLens models each one is another matter:
 * calls.ts and tensorOps.ts say that).
 */
const TORCH_FUNCTIONAL = [
  'adaptive_avg_pool1d adaptive_avg_pool2d adaptive_avg_pool3d adaptive_max_pool1d adaptive_max_pool2d',
  'adaptive_max_pool3d affine_grid alpha_dropout avg_pool1d avg_pool2d avg_pool3d batch_norm bilinear',
  'binary_cross_entropy binary_cross_entropy_with_logits celu conv1d conv2d conv3d conv_transpose1d',
  'conv_transpose2d conv_transpose3d cosine_similarity cross_entropy dropout dropout1d dropout2d dropout3d',
  'elu embedding feature_alpha_dropout fold gelu glu grid_sample group_norm gumbel_softmax hardshrink',
  'hardsigmoid hardswish hardtanh instance_norm interpolate kl_div l1_loss layer_norm leaky_relu linear',
  'local_response_norm log_softmax logsigmoid lp_pool1d lp_pool2d max_pool1d max_pool2d max_pool3d',
  'max_unpool1d max_unpool2d mish mse_loss nll_loss normalize one_hot pad pairwise_distance pixel_shuffle',
  'pixel_unshuffle prelu relu relu6 relu_ rms_norm rrelu scaled_dot_product_attention selu sigmoid silu',
  'smooth_l1_loss softmax softmin softplus softshrink softsign tanh tanhshrink threshold unfold upsample',
  'upsample_bilinear upsample_nearest',
]
  .join(' ')
  .split(' ');

const NAMESPACES: Record<string, readonly string[]> = {
  'torch.nn.functional': TORCH_FUNCTIONAL,
};

/** The names in a framework namespace (a normalized dotted path), or null when not known. */
export function namespaceNames(path: string): readonly string[] | null {
  return NAMESPACES[path] ?? null;
}
