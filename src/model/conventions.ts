/**
 * What differs between Keras and PyTorch, decided once: tensor layout, kernel layouts, parameter
 * names by role, the batch symbol and shape notation. Code that needs one of these asks the
 * framework's record instead of testing `framework === 'keras'`.
 *
 * Keras (TF): channels-last (N, H, W, C); kernels (…k, in, out); Conv2DTranspose (kh, kw, out, in);
 * Dense (in, out); variables kernel/bias/gamma/beta/moving_mean/moving_variance; moving statistics
 * count as (non-trainable) parameters.
 * PyTorch: channels-first (N, C, H, W); weights (out, in/groups, …k); ConvTranspose (in,
 * out/groups, …k); Linear (out, in); weight/bias/running_mean/running_var; running statistics are
 * buffers, not parameters.
 */
import type { Layout } from '../engine/tensor';
import type { Dim, Shape } from '../shared/dims';

export type Framework = 'keras' | 'pytorch';

/** What a parameter tensor is for; names differ per framework, roles do not. */
/** `alpha`: PReLU's learned negative slope. */
export type ParamRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'mean' | 'variance' | 'count' | 'alpha';

export interface Conventions {
  readonly framework: Framework;
  readonly displayName: 'Keras' | 'PyTorch';
  readonly layout: Layout;
  readonly channelsLast: boolean;
  /** The batch dimension as the framework prints it: Keras `None`, PyTorch `N`. */
  readonly batchSymbol: 'None' | 'N';
  readonly kernelLayout: {
    readonly conv1d: 'WIO' | 'OIW';
    readonly conv2d: 'HWIO' | 'OIHW';
    readonly convTranspose2d: 'HWOI' | 'IOHW';
    readonly dense: 'IO' | 'OI';
  };
  /** Parameter names by role (Keras variable names, PyTorch state-dict suffixes). */
  readonly paramName: Readonly<Record<ParamRole, string>>;
  /** BatchNorm's statistics in words, as the framework names them. */
  readonly statisticsName: string;
  /**
   * Whether running statistics (BatchNorm mean/variance) count as parameters: Keras's
   * model.summary() counts them as non-trainable parameters; PyTorch keeps them as buffers,
   * outside model.parameters() (and torchinfo's count).
   */
  readonly statisticsAreParams: boolean;
  /** An input shape without the batch dimension, as a user would write it for a 28×28 gray image. */
  readonly exampleInput: string;
  /** The layout of a batched input of this spatial rank, in words. */
  layoutName(rank: number): string;
  /** Splits a batch-first image/sequence shape into (batch, spatial dims, channels). */
  splitShape(s: Shape): { batch: Dim; spatial: Shape; channels: Dim };
  joinShape(batch: Dim, spatial: Shape, channels: Dim): Shape;
  /** The axis of the channels in a batched shape of this length. */
  channelAxis(rank: number): number;
}

const KERAS: Conventions = {
  framework: 'keras',
  displayName: 'Keras',
  layout: 'channelsLast',
  channelsLast: true,
  batchSymbol: 'None',
  kernelLayout: { conv1d: 'WIO', conv2d: 'HWIO', convTranspose2d: 'HWOI', dense: 'IO' },
  paramName: {
    kernel: 'kernel',
    bias: 'bias',
    gamma: 'gamma',
    beta: 'beta',
    mean: 'moving_mean',
    variance: 'moving_variance',
    count: 'count',
    alpha: 'alpha',
  },
  statisticsName: 'moving mean, variance',
  statisticsAreParams: true,
  exampleInput: '(28, 28, 1)',
  layoutName: (rank) => (rank === 2 ? '4-D (batch, height, width, channels)' : '3-D (batch, steps, channels)'),
  splitShape: (s) => ({ batch: s[0]!, spatial: s.slice(1, -1), channels: s[s.length - 1]! }),
  joinShape: (batch, spatial, channels) => [batch, ...spatial, channels],
  channelAxis: (rank) => rank - 1,
};

const PYTORCH: Conventions = {
  framework: 'pytorch',
  displayName: 'PyTorch',
  layout: 'channelsFirst',
  channelsLast: false,
  batchSymbol: 'N',
  kernelLayout: { conv1d: 'OIW', conv2d: 'OIHW', convTranspose2d: 'IOHW', dense: 'OI' },
  paramName: {
    kernel: 'weight',
    bias: 'bias',
    gamma: 'weight',
    beta: 'bias',
    mean: 'running_mean',
    variance: 'running_var',
    count: 'count',
    alpha: 'weight',
  },
  statisticsName: 'running mean, var',
  statisticsAreParams: false,
  exampleInput: '(1, 28, 28)',
  layoutName: (rank) => (rank === 2 ? '4-D (N, C, H, W)' : '3-D (N, C, L)'),
  splitShape: (s) => ({ batch: s[0]!, spatial: s.slice(2), channels: s[1]! }),
  joinShape: (batch, spatial, channels) => [batch, channels, ...spatial],
  channelAxis: () => 1,
};

export const CONVENTIONS: Readonly<Record<Framework, Conventions>> = { keras: KERAS, pytorch: PYTORCH };

export function conventions(fw: Framework): Conventions {
  return CONVENTIONS[fw];
}

/**
 * The framework's conventions with channels-last activations (its kernel layouts, names and
 * rules unchanged): what the runtime gives a channels-first model's layers that compute the same
 * in either layout (LayerFamily.sameInEitherLayout) while it keeps their activations NHWC.
 */
export function channelsLastTwin(c: Conventions): Conventions {
  if (c.channelsLast) return c;
  return (TWINS[c.framework] ??= {
    ...c,
    layout: 'channelsLast',
    channelsLast: true,
    splitShape: KERAS.splitShape,
    joinShape: KERAS.joinShape,
    channelAxis: KERAS.channelAxis,
  });
}

const TWINS: Partial<Record<Framework, Conventions>> = {};

/** The other framework (for "the same layer in …"). */
export function otherFramework(fw: Framework): Framework {
  return fw === 'keras' ? 'pytorch' : 'keras';
}
