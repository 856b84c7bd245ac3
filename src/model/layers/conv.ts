/**
 * Convolutions: Keras Conv1D/Conv2D, Conv1DTranspose/Conv2DTranspose, DepthwiseConv1D/2D,
 * SeparableConv1D/2D, PyTorch Conv1d/Conv2d/ConvTranspose1d/ConvTranspose2d. The 1-D depthwise,
 * separable and transposed ones run as their 2-D op on a height-1 image. PyTorch refuses padding='same' with a stride
 * above 1 (as PyTorch raises); Keras kernels are (…k, in, out), PyTorch weights (out, in/g, …k).
 */
import * as E from '../../engine';
import { EngineError } from '../../engine/errors';
import { transposeAxisGeometry, type Geometry2D } from '../../engine/geometry';
import { UNKNOWN_DIM, addDim, dimText, isKnown, mulDim, productDim, type Dim } from '../../shared/dims';
import { otherFramework } from '../conventions';
import { activate } from './activation';
import {
  MUL,
  inputChannels,
  result,
  stop,
  tuple,
  type InferInput,
  type InferResult,
  type Issue,
  type LayerFacts,
  type LayerFamily,
  type ParamSpec,
  type RunContext,
  RunError,
} from './family';
import { checkRank, enginePadding, nextRF, windowOutput, type PaddingSpec } from './window';

export interface ConvCfg {
  rank: 1 | 2;
  /** Output channels (Keras filters, PyTorch out_channels); for DepthwiseConv2D: null. */
  filters: number | null;
  /** PyTorch in_channels; null for Keras (inferred). */
  inChannels: number | null;
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: PaddingSpec;
  groups: number;
  useBias: boolean;
  activation: string | null;
  transposed: boolean;
  outputPadding: number[] | null;
  /** Keras DepthwiseConv2D (filters = in·multiplier) and SeparableConv2D (depthwise then 1×1). */
  depthwise: 'none' | 'depthwise' | 'separable';
  depthMultiplier: number;
  /**
   * PyTorch padding_mode as written (absent: 'zeros'). 'reflect', 'replicate' and 'circular' pad
   * the input with F.pad's modes, then convolve without padding; a value PyTorch refuses is the
   * error it raises.
   */
  paddingMode?: string;
}

/** The padding_mode values nn.Conv1d/Conv2d accept; nn.ConvTranspose1d/2d accept only 'zeros'. */
export const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];

/** [before, after] per spatial axis as PyTorch pads for padding_mode: 'same' puts the extra cell after. */
export function modePadding(c: ConvCfg): [number, number][] {
  return c.kernel.map((k, i) => {
    if (c.padding === 'same') {
      const total = (k - 1) * c.dilation[i]!;
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    if (typeof c.padding === 'string') return [0, 0];
    return [c.padding[i]![0], c.padding[i]![1]];
  });
}

/**
 * What PyTorch raises for a convolution's padding_mode: a value it does not know, a mode other
 * than 'zeros' on a transposed convolution (at construction), and at the call a reflect padding
 * not smaller than the input or a circular one wrapping around more than once.
 */
function paddingModeIssue(inp: InferInput, c: ConvCfg, spatial: readonly Dim[], shape: readonly Dim[]): Issue | null {
  const mode = c.paddingMode ?? 'zeros';
  if (mode === 'zeros') return null;
  const issue = (detail: string): Issue => ({
    severity: 'error',
    code: 'bad-argument',
    arg: 'padding_mode',
    args: { layer: inp.label, detail },
  });
  if (!(PADDING_MODES as readonly string[]).includes(mode))
    return issue(
      `padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', but got padding_mode='${mode}'`,
    );
  if (c.transposed) return issue(`Only "zeros" padding mode is supported for ConvTranspose${c.rank}d`);
  const pads = modePadding(c);
  const first = shape.length - c.rank;
  // the last axis first, as F.pad checks them
  for (let i = c.rank - 1; i >= 0; i--) {
    const d = spatial[i]!;
    const [before, after] = pads[i]!;
    if (!isKnown(d) || (before === 0 && after === 0)) continue;
    const p = E.padProblem(mode as E.FillMode, d, before, after);
    if (p)
      return issue(
        `padding_mode='${mode}': ${p} at dimension ${first + i} of input [${shape.map(dimText).join(', ')}]`,
      );
  }
  return null;
}

export type ConvLayerCfg = { kind: 'conv'; c: ConvCfg };

function mismatchFix(inp: InferInput, arg: string, actual: number): Pick<Issue, 'fix'> {
  const range = inp.argRanges[arg];
  return range
    ? {
        fix: {
          title: { en: `Set ${arg} to ${actual}`, ko: `${arg}를 ${actual}(으)로 바꾸기` },
          edits: [{ range, newText: String(actual) }],
        },
      }
    : {};
}

function badArgument(inp: InferInput, e: EngineError): Issue {
  return {
    severity: 'error',
    code: 'bad-argument',
    args: { layer: inp.label, detail: e.message.replace(`${inp.label}: `, '') },
  };
}

/** Transposed convolution sizes, symbolic when the input is. */
function transposedOut(inp: InferInput, c: ConvCfg, spatial: readonly Dim[]): Dim[] | Issue {
  const out: Dim[] = [];
  for (let i = 0; i < c.rank; i++) {
    const d = spatial[i]!;
    const pad: 'valid' | 'same' | number =
      typeof c.padding === 'string' ? (c.padding === 'causal' ? 'valid' : c.padding) : c.padding[i]![0];
    const op = c.outputPadding ? c.outputPadding[i] : undefined;
    try {
      if (isKnown(d)) {
        out.push(
          transposeAxisGeometry(inp.label, {
            inSize: d,
            kernel: c.kernel[i]!,
            stride: c.strides[i]!,
            dilation: c.dilation[i]!,
            padding: pad,
            ...(op !== undefined ? { outputPadding: op } : {}),
          }).out,
        );
        continue;
      }
    } catch (e) {
      if (e instanceof EngineError) return badArgument(inp, e);
      throw e;
    }
    const eff = (c.kernel[i]! - 1) * c.dilation[i]! + 1;
    const s = c.strides[i]!;
    if (typeof pad === 'number') out.push(addDim(mulDim(addDim(d, -1), s), eff - 2 * pad + (op ?? 0)));
    else if (op !== undefined)
      out.push(addDim(mulDim(addDim(d, -1), s), eff - 2 * (pad === 'same' ? Math.floor(eff / 2) : 0) + op));
    else out.push(pad === 'same' ? mulDim(d, s) : addDim(mulDim(d, s), Math.max(eff - s, 0)));
  }
  return out;
}

/** Parameter count, its formula and FLOPs once the input channels are known. */
function counts(
  c: ConvCfg,
  cin: number,
  cout: number,
  outArea: Dim,
): { params: number; formula: string; flops: number | null } {
  const kArea = c.kernel.reduce((a, b) => a * b, 1);
  const kText = c.kernel.join(MUL);
  const bias = c.useBias ? cout : 0;
  const biasText = c.useBias ? ` + ${bias}` : '';
  const m = c.depthMultiplier;
  if (c.depthwise === 'depthwise') {
    return {
      params: kArea * cin * m + bias,
      formula: `${kText}${MUL}${cin}${MUL}${m}${biasText}`,
      flops: isKnown(outArea) ? 2 * outArea * cout * kArea : null,
    };
  }
  if (c.depthwise === 'separable') {
    const pw = cin * m * cout;
    return {
      params: kArea * cin * m + pw + bias,
      formula: `${kText}${MUL}${cin}${MUL}${m} + ${cin * m}${MUL}${cout}${biasText}`,
      flops: isKnown(outArea) ? 2 * outArea * (cin * m * kArea + pw) : null,
    };
  }
  const perGroup = cin / c.groups;
  return {
    params: kArea * perGroup * cout + bias,
    formula: `${kText}${MUL}${c.groups > 1 ? `(${cin}/${c.groups})` : cin}${MUL}${cout}${biasText}`,
    flops: isKnown(outArea) ? 2 * outArea * cout * kArea * perGroup : null,
  };
}

function infer(inp: InferInput, { c }: ConvLayerCfg): InferResult {
  const rankIssue = checkRank(inp, c.rank);
  if (rankIssue) return stop(rankIssue);
  const { batch, spatial, channels: cin } = inp.conv.splitShape(inp.shapes[0]!);
  const issues: Issue[] = [];
  const inChannels = c.inChannels ?? (isKnown(cin) ? cin : null);
  if (c.inChannels !== null && isKnown(cin) && cin !== c.inChannels) {
    issues.push({
      severity: 'error',
      code: 'channel-mismatch',
      arg: 'in_channels',
      args: { layer: inp.label, expected: c.inChannels, actual: cin, arg: `in_channels=${c.inChannels}` },
      ...mismatchFix(inp, 'in_channels', cin),
    });
  }
  if (inChannels !== null && inChannels % c.groups !== 0) {
    return stop(
      {
        severity: 'error',
        code: 'bad-argument',
        args: { layer: inp.label, detail: `groups=${c.groups} does not divide the ${inChannels} input channels` },
      },
      { issues },
    );
  }
  if (c.filters !== null && c.depthwise === 'none' && c.filters % c.groups !== 0) {
    const arg = inp.conv.framework === 'pytorch' ? 'out_channels' : 'filters';
    return stop(
      {
        severity: 'error',
        code: 'bad-argument',
        arg: 'groups',
        args: {
          layer: inp.label,
          detail: `groups=${c.groups} does not divide the ${c.filters} output channels (${arg})`,
        },
      },
      { issues },
    );
  }
  if (inp.conv.framework === 'pytorch' && c.padding === 'same' && c.strides.some((s) => s > 1) && !c.transposed) {
    const pads = c.kernel.map((k, i) => Math.floor(((k - 1) * c.dilation[i]!) / 2));
    const suggestion = pads.every((p) => p === pads[0]) ? String(pads[0]) : `(${pads.join(', ')})`;
    const range = inp.argRanges['padding'];
    const fix = range
      ? {
          fix: {
            title: { en: `Use padding=${suggestion}`, ko: `padding=${suggestion}(으)로 바꾸기` },
            edits: [{ range, newText: suggestion }],
          },
        }
      : {};
    return stop(
      {
        severity: 'error',
        code: 'same-padding-stride',
        arg: 'padding',
        args: { layer: inp.label, stride: c.strides.join('×'), suggestion },
        ...fix,
      },
      { issues },
    );
  }
  if (inp.conv.framework === 'pytorch') {
    const modeIssue = paddingModeIssue(inp, c, spatial, inp.shapes[0]!);
    if (modeIssue) return stop(modeIssue, { issues });
  }
  let outSpatial: Dim[];
  let geometry: Geometry2D | null = null;
  if (c.transposed) {
    const t = transposedOut(inp, c, spatial);
    if (!Array.isArray(t)) return stop(t, { issues });
    outSpatial = t;
  } else {
    const w = windowOutput(inp, spatial, {
      kernel: c.kernel,
      strides: c.strides,
      dilation: c.dilation,
      padding: c.padding,
      ceilMode: false,
    });
    if ('code' in w) return stop(w, { issues });
    outSpatial = w.out;
    geometry = w.geometry;
  }
  const cout: Dim | null =
    c.depthwise === 'depthwise'
      ? inChannels !== null
        ? inChannels * c.depthMultiplier
        : mulDim(cin, c.depthMultiplier)
      : c.filters;
  // filters the code computes from something unknown (an argument, a file) are unknown, not an error;
  // a transposed convolution multiplies the kernel once per input position, not per output position
  const macArea = productDim(c.transposed ? spatial : outSpatial);
  const n = inChannels !== null && cout !== null && isKnown(cout) ? counts(c, inChannels, cout, macArea) : null;
  const rf = c.transposed ? null : nextRF(inp.rf, c.kernel, c.strides, c.dilation);
  return result({
    out: inp.conv.joinShape(batch, outSpatial, cout ?? UNKNOWN_DIM),
    params: n?.params ?? null,
    trainable: n?.params ?? null,
    formula: n?.formula ?? null,
    flops: n?.flops ?? null,
    rf,
    geometry,
    issues,
  });
}

function paramsWithoutInput({ c }: ConvLayerCfg): number | null {
  if (c.inChannels === null || c.filters === null) return null;
  return counts(c, c.inChannels, c.filters, { sym: '?' }).params;
}

function params({ c }: ConvLayerCfg, facts: LayerFacts): ParamSpec[] | null {
  const cin = c.inChannels ?? inputChannels(facts);
  if (cin === null) return null;
  const names = facts.conv.paramName;
  const k = c.kernel;
  const kernel = (name: string, shape: number[]): ParamSpec => ({ name, shape, role: 'kernel', trainable: true });
  const bias = (n: number): ParamSpec[] =>
    c.useBias ? [{ name: names.bias, shape: [n], role: 'bias', trainable: true }] : [];
  if (c.depthwise === 'depthwise')
    return [kernel('kernel', [...k, cin, c.depthMultiplier]), ...bias(cin * c.depthMultiplier)];
  const cout = c.filters;
  if (cout === null) return null;
  if (c.depthwise === 'separable') {
    return [
      kernel('depthwise_kernel', [...k, cin, c.depthMultiplier]),
      kernel('pointwise_kernel', [...k.map(() => 1), cin * c.depthMultiplier, cout]),
      ...bias(cout),
    ];
  }
  const g = c.groups;
  // Keras: (…k, in/g, out), transposed (…k, out, in); PyTorch: (out, in/g, …k), transposed (in, out/g, …k)
  const shape = facts.conv.channelsLast
    ? c.transposed
      ? [...k, cout, cin]
      : [...k, cin / g, cout]
    : c.transposed
      ? [cin, cout / g, ...k]
      : [cout, cin / g, ...k];
  return [kernel(names.kernel, shape), ...bias(cout)];
}

/** A 1-D depthwise, separable or transposed convolution as the 2-D one over a height-1 image. */
function runLifted(ctx: RunContext, c: ConvCfg, x: E.Tensor): E.Tensor {
  const { layout, channelsLast } = ctx.conv;
  const lift = (t: E.Tensor): E.Tensor =>
    // Keras kernels (k, …) get a leading 1; PyTorch weights (out, in, k) a 1 before k
    channelsLast
      ? { shape: [1, ...t.shape], data: t.data }
      : { shape: [...t.shape.slice(0, 2), 1, t.shape[2]!], data: t.data };
  const pad: PaddingSpec = typeof c.padding === 'string' ? c.padding : [[0, 0] as const, c.padding[0]!];
  const c2: ConvCfg = {
    ...c,
    rank: 2,
    kernel: [1, c.kernel[0]!],
    strides: [1, c.strides[0]!],
    dilation: [1, c.dilation[0]!],
    padding: pad,
    outputPadding: c.outputPadding ? [0, c.outputPadding[0]!] : null,
  };
  const params = new Map([...ctx.params()].map(([k, v]) => [k, k === ctx.conv.paramName.bias ? v : lift(v)]));
  const y = run({ ...ctx, params: () => params }, { kind: 'conv', c: c2 }, [E.seqAsImage(ctx.label, x, layout)]);
  return E.imageAsSeq(y, layout);
}

function run(ctx: RunContext, { c }: ConvLayerCfg, [x]: E.Tensor[]): E.Tensor {
  const mode = c.paddingMode ?? 'zeros';
  if (mode !== 'zeros' && !c.transposed) {
    // PyTorch: F.pad(x, …, mode) and a convolution without padding
    if (!(PADDING_MODES as readonly string[]).includes(mode))
      throw new RunError(ctx.label, `${ctx.label}: padding_mode='${mode}' is not one PyTorch accepts`);
    const pads = modePadding(c);
    const none: [number, number] = [0, 0];
    const all = ctx.conv.channelsLast ? [none, ...pads, none] : [none, none, ...pads];
    const padded = E.pad(x!, all, mode as E.FillMode, 0, ctx.label);
    const plain: ConvCfg = { ...c, padding: pads.map(() => none), paddingMode: 'zeros' };
    return run(ctx, { kind: 'conv', c: plain }, [padded]);
  }
  if (c.rank === 1 && (c.depthwise !== 'none' || c.transposed)) return runLifted(ctx, c, x!);
  const w = ctx.params();
  const bias = w.get(ctx.conv.paramName.bias) ?? null;
  const { layout, kernelLayout, paramName } = ctx.conv;
  const name = ctx.label;
  const pair = (v: number[]): [number, number] => [v[0]!, v[1]!];
  // ReLU and ReLU6 are applied by the convolution itself as it stores its results (no pass of
  // their own); other activations, and transposed convolutions', run after it.
  const fused = !c.transposed && (c.activation === 'relu' || c.activation === 'relu6') ? c.activation : null;
  let y: E.Tensor;
  if (c.depthwise !== 'none') {
    const dw = E.depthwiseConv2d(x!, w.get(c.depthwise === 'depthwise' ? 'kernel' : 'depthwise_kernel')!, {
      layout,
      strides: pair(c.strides),
      dilations: pair(c.dilation),
      padding: enginePadding(c.padding, 2),
      bias: c.depthwise === 'depthwise' ? bias : null,
      name,
      ...(c.depthwise === 'depthwise' ? { activation: fused } : {}),
    });
    y =
      c.depthwise === 'separable'
        ? E.conv2d(dw, w.get('pointwise_kernel')!, { layout, bias, kernelLayout: 'HWIO', name, activation: fused })
        : dw;
  } else if (c.transposed) {
    // Keras pads by mode; PyTorch by its symmetric int per axis
    const padding =
      typeof c.padding === 'string'
        ? c.padding === 'same'
          ? 'same'
          : 'valid'
        : ([c.padding[0]![0], c.padding[1]![0]] as [number, number]);
    // a Keras output_padding, 0 included, switches to the sizes (in − 1)·s + d(k − 1) + 1 − 2·pad + op
    y = E.conv2dTranspose(x!, w.get(paramName.kernel)!, {
      layout,
      strides: pair(c.strides),
      dilations: pair(c.dilation),
      padding,
      ...(c.outputPadding ? { outputPadding: pair(c.outputPadding) } : {}),
      groups: c.groups,
      bias,
      kernelLayout: kernelLayout.convTranspose2d,
      name,
    });
  } else if (c.rank === 1) {
    y = E.conv1d(x!, w.get(paramName.kernel)!, {
      layout,
      stride: c.strides[0]!,
      dilation: c.dilation[0]!,
      padding: typeof c.padding === 'string' ? c.padding : c.padding[0]!,
      groups: c.groups,
      bias,
      kernelLayout: kernelLayout.conv1d,
      name,
      activation: fused,
    });
  } else {
    y = E.conv2d(x!, w.get(paramName.kernel)!, {
      layout,
      strides: pair(c.strides),
      dilations: pair(c.dilation),
      padding: enginePadding(c.padding, 2),
      groups: c.groups,
      bias,
      kernelLayout: kernelLayout.conv2d,
      name,
      activation: fused,
    });
  }
  return fused ? y : activate(y, c.activation, ctx);
}

const TORCH_ACT: Record<string, string> = {
  relu: 'ReLU',
  relu6: 'ReLU6',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  elu: 'ELU',
  selu: 'SELU',
  gelu: 'GELU',
  softmax: 'Softmax',
  leaky_relu: 'LeakyReLU',
  swish: 'SiLU',
  silu: 'SiLU',
};

/** A fused Keras activation as a PyTorch module after the layer. */
export function torchActivationModule(fn: string | null): string {
  if (!fn || fn === 'linear') return '';
  return fn === 'softmax' ? ', nn.Softmax(dim=1)' : `, nn.${TORCH_ACT[fn] ?? 'ReLU'}()`;
}

/**
 * 'same' becomes an explicit padding: symmetric when the total is even; otherwise a
 * ZeroPad2d/ZeroPadding2D in front, because TF puts the extra pixel bottom/right.
 */
function equivalent({ c }: ConvLayerCfg, facts: LayerFacts): string | null {
  if (c.transposed || c.rank !== 2 || (c.paddingMode ?? 'zeros') !== 'zeros') return null;
  const toTorch = otherFramework(facts.conv.framework) === 'pytorch';
  const g = facts.geometry;
  let pad = '0';
  let prefix = '';
  if (c.padding === 'same' || typeof c.padding !== 'string') {
    // on an unknown input size 'same' pads d(k − 1) per axis, the extra cell after, when the
    // stride is 1; with a stride the padding depends on the size, so there is no fixed equivalent
    const p = g
      ? [g.padTop, g.padBottom, g.padLeft, g.padRight]
      : typeof c.padding !== 'string'
        ? [c.padding[0]![0], c.padding[0]![1], c.padding[1]![0], c.padding[1]![1]]
        : c.strides.every((x) => x === 1)
          ? modePadding(c).flat()
          : null;
    if (!p) return null;
    if (p[0] === p[1] && p[2] === p[3]) pad = tuple([p[0]!, p[2]!]);
    else {
      prefix = toTorch
        ? `nn.ZeroPad2d((${p[2]}, ${p[3]}, ${p[0]}, ${p[1]})), `
        : `layers.ZeroPadding2D(((${p[0]}, ${p[1]}), (${p[2]}, ${p[3]}))), `;
      pad = toTorch ? '0' : 'valid';
    }
  }
  const k = tuple(c.kernel);
  const s = tuple(c.strides);
  const d = tuple(c.dilation);
  if (toTorch) {
    const known = inputChannels(facts);
    const cin = known === null ? 'in_channels' : String(known);
    const window = `kernel_size=${k}${s !== '1' ? `, stride=${s}` : ''}, padding=${pad}${d !== '1' ? `, dilation=${d}` : ''}`;
    const bias = c.useBias ? '' : ', bias=False';
    if (c.depthwise === 'separable') {
      // the depthwise convolution (no bias), then the 1×1 pointwise one
      const mid = known === null ? `in_channels * ${c.depthMultiplier}` : String(known * c.depthMultiplier);
      return `${prefix}nn.Conv2d(${cin}, ${mid}, ${window}, groups=${cin}, bias=False), nn.Conv2d(${mid}, ${c.filters}, kernel_size=1${bias})${torchActivationModule(c.activation)}`;
    }
    const groups = c.depthwise === 'depthwise' ? `, groups=${cin}` : c.groups > 1 ? `, groups=${c.groups}` : '';
    const cout =
      c.depthwise === 'depthwise'
        ? known === null
          ? `in_channels * ${c.depthMultiplier}`
          : String(known * c.depthMultiplier)
        : String(c.filters);
    return `${prefix}nn.Conv2d(${cin}, ${cout}, ${window}${groups}${bias})${torchActivationModule(c.activation)}`;
  }
  const kerasPad =
    pad === '0'
      ? "'valid'"
      : (g
            ? g.padTop + g.padBottom === (c.kernel[0]! - 1) * c.dilation[0]! &&
              g.padLeft + g.padRight === (c.kernel[1]! - 1) * c.dilation[1]!
            : c.padding === 'same') && c.strides.every((x) => x === 1)
        ? "'same'"
        : null;
  // Keras 'same' puts the extra cell after, as PyTorch's 'same' does: no padding layer in front
  const zp = kerasPad ? '' : pad !== '0' && !prefix ? `layers.ZeroPadding2D(${pad}), ` : '';
  return `${kerasPad === "'same'" ? '' : prefix}${zp}layers.Conv2D(${c.filters}, kernel_size=${k}${s !== '1' ? `, strides=${s}` : ''}, padding=${kerasPad ?? "'valid'"}${d !== '1' ? `, dilation_rate=${d}` : ''}${c.groups > 1 ? `, groups=${c.groups}` : ''}${c.useBias ? '' : ', use_bias=False'})`;
}

export const convFamily: LayerFamily<ConvLayerCfg> = {
  sameInEitherLayout: ({ c }) => c.rank === 2 && !c.transposed,
  freshOutput: () => true,
  kinds: ['conv'],
  infer,
  paramsWithoutInput,
  params,
  run,
  equivalent,
  inputHint: ({ c }) => ({ rank: c.rank, channels: c.inChannels }),
  panel: (cfg) => {
    const c = cfg.c;
    // 1-D and 2-D alike: the panel draws a sequence as a strip of height one
    const kind = !c.transposed ? 'conv' : 'other';
    if (!c.activation || c.activation === 'linear') return { kind, row: 'conv' };
    return { kind, row: 'conv', activation: c.activation, bare: { kind: 'conv', c: { ...c, activation: null } } };
  },
};

/** A plain 2-D convolution whose filters are 2-D images (preset kernels, the stamp). */
export function isPlainConv2d(cfg: { kind: string }): cfg is ConvLayerCfg {
  if (cfg.kind !== 'conv') return false;
  const c = (cfg as ConvLayerCfg).c;
  return c.rank === 2 && c.depthwise === 'none' && !c.transposed;
}

export type Cfg = ConvLayerCfg;
export const families = [convFamily];
