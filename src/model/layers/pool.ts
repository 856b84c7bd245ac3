/**
 * Pooling: Keras MaxPooling/AveragePooling (strides default to the pool size; 'same' average
 * pooling divides by the real cells), PyTorch MaxPool/AvgPool (floor or ceil_mode, count_include_pad,
 * dilation for max, pads at most half the kernel), global and adaptive pooling.
 */
import * as E from '../../engine';
import { dimText, isKnown, productDim, type Dim } from '../../shared/dims';
import { otherFramework } from '../conventions';
import {
  NO_PARAMS,
  RunError,
  result,
  stop,
  tuple,
  type InferInput,
  type InferResult,
  type Issue,
  type LayerFacts,
  type LayerFamily,
} from './family';
import { checkRank, enginePadding, nextRF, rankIssue, windowOutput, type PaddingSpec } from './window';

export interface PoolCfg {
  rank: 1 | 2;
  mode: 'max' | 'avg';
  pool: number[];
  strides: number[];
  padding: PaddingSpec;
  dilation: number[];
  ceilMode: boolean;
  countIncludePad: boolean;
  /**
   * PyTorch AvgPool2d divisor_override: every window's sum divided by this number. Modelled where
   * every window lies inside the padded input (ceil_mode=False): the count-including-padding
   * average times kh·kw, over the divisor.
   */
  divisorOverride?: number;
}

export type PoolLayerCfg = { kind: 'pool'; c: PoolCfg };
export type GlobalPoolCfg = { kind: 'globalPool'; mode: 'max' | 'avg'; rank: 1 | 2; keepdims: boolean };
export type AdaptivePoolCfg = { kind: 'adaptivePool'; mode: 'max' | 'avg'; out: (number | null)[] };

/** The real input cells after the last window along each axis (padding cells never count). */
function droppedBorder(c: PoolCfg, spatial: readonly Dim[], out: readonly Dim[]): string[] {
  const dropped: string[] = [];
  for (let i = 0; i < c.rank; i++) {
    const d = spatial[i]!;
    const o = out[i]!;
    if (!isKnown(d) || !isKnown(o)) continue;
    const before = typeof c.padding === 'string' ? 0 : c.padding[i]![0];
    const rem = d - ((o - 1) * c.strides[i]! - before + (c.pool[i]! - 1) * c.dilation[i]! + 1);
    if (rem <= 0) continue;
    const unit = c.rank === 1 ? 'step' : i === 0 ? 'row' : 'column';
    dropped.push(`${rem} ${unit}${rem > 1 ? 's' : ''}`);
  }
  return dropped;
}

function inferPool(inp: InferInput, { c }: PoolLayerCfg): InferResult {
  const bad = checkRank(inp, c.rank);
  if (bad) return stop(bad);
  const { batch, spatial, channels } = inp.conv.splitShape(inp.shapes[0]!);
  const issues: Issue[] = [];
  if (inp.conv.framework === 'pytorch' && typeof c.padding !== 'string') {
    for (let i = 0; i < c.rank; i++) {
      const p = c.padding[i]![0];
      if (p > Math.floor(c.pool[i]! / 2))
        return stop({
          severity: 'error',
          code: 'pool-padding-too-large',
          arg: 'padding',
          args: { layer: inp.label, pad: p, kernel: c.pool[i]! },
        });
    }
  }
  const w = windowOutput(inp, spatial, {
    kernel: c.pool,
    strides: c.strides,
    dilation: c.dilation,
    padding: c.padding,
    ceilMode: c.ceilMode,
  });
  if ('code' in w) return stop(w);
  if (c.padding !== 'same' && !c.ceilMode) {
    const dropped = droppedBorder(c, spatial, w.out);
    if (dropped.length) {
      issues.push({
        severity: 'info',
        code: 'pool-drops-border',
        args: {
          layer: inp.label,
          window: c.pool.join('×'),
          stride: c.strides.join('×'),
          dropped: dropped.join(' and '),
          input: spatial.map(dimText).join('×'),
        },
      });
    }
  }
  const outArea = productDim(w.out);
  const flops = isKnown(outArea) && isKnown(channels) ? outArea * channels * c.pool.reduce((a, b) => a * b, 1) : null;
  return result({
    out: inp.conv.joinShape(batch, w.out, channels),
    params: 0,
    trainable: 0,
    formula: '0',
    flops,
    rf: nextRF(inp.rf, c.pool, c.strides, c.dilation),
    geometry: w.geometry,
    issues,
  });
}

function poolEquivalent({ c }: PoolLayerCfg, facts: LayerFacts): string | null {
  // Keras pooling has no dilation: a dilated PyTorch window has no Keras layer of the same size
  if (c.rank !== 2 || c.dilation.some((d) => d > 1)) return null;
  const k = tuple(c.pool);
  const s = tuple(c.strides);
  if (otherFramework(facts.conv.framework) === 'pytorch') {
    const g = facts.geometry;
    const cls = c.mode === 'max' ? 'MaxPool2d' : 'AvgPool2d';
    if (c.padding === 'same' && g && g.padTop + g.padBottom + g.padLeft + g.padRight > 0) {
      return `# 'same' pooling pads ${g.padTop}/${g.padBottom}/${g.padLeft}/${g.padRight}; PyTorch pads symmetrically:\nnn.${cls}(${k}, stride=${s}, padding=${tuple([g.padTop, g.padLeft])}${c.mode === 'avg' ? ', count_include_pad=False' : ''}, ceil_mode=True)`;
    }
    return `nn.${cls}(${k}${s !== k ? `, stride=${s}` : ''})`;
  }
  const cls = c.mode === 'max' ? 'MaxPooling2D' : 'AveragePooling2D';
  // PyTorch pads each axis symmetrically: (rows, columns)
  const pads = typeof c.padding === 'string' ? [0, 0] : c.padding.map((p) => p[0]);
  const zp = pads.some((p) => p > 0) ? `layers.ZeroPadding2D(${tuple(pads)}), ` : '';
  return `${zp}layers.${cls}(pool_size=${k}${s !== k ? `, strides=${s}` : ''})${c.ceilMode ? "  # ceil_mode=True: use padding='same' when it gives the same size" : ''}`;
}

export const poolFamily: LayerFamily<PoolLayerCfg> = {
  sameInEitherLayout: ({ c }) => c.rank === 2,
  freshOutput: () => true,
  kinds: ['pool'],
  infer: inferPool,
  ...NO_PARAMS,
  run: (ctx, { c }, [x]) => {
    const torch = ctx.conv.framework === 'pytorch';
    const common = {
      layout: ctx.conv.layout,
      mode: c.mode,
      ceilMode: c.ceilMode,
      countIncludePad: torch && c.countIncludePad,
      torchPadRule: torch,
      name: ctx.label,
    };
    if (c.rank === 1) {
      const padding = typeof c.padding === 'string' ? (c.padding === 'causal' ? 'valid' : c.padding) : c.padding[0]!;
      return E.pool1d(x!, {
        ...common,
        poolSize: c.pool[0]!,
        stride: c.strides[0]!,
        dilation: c.dilation[0]!,
        padding,
      });
    }
    const override = c.mode === 'avg' && torch ? (c.divisorOverride ?? null) : null;
    const y = E.pool2d(x!, {
      ...common,
      ...(override !== null ? { countIncludePad: true } : {}),
      poolSize: [c.pool[0]!, c.pool[1]!],
      strides: [c.strides[0]!, c.strides[1]!],
      dilations: [c.dilation[0]!, c.dilation[1]!],
      padding: enginePadding(c.padding, 2),
    });
    if (override !== null) {
      const f = (c.pool[0]! * c.pool[1]!) / override;
      for (let i = 0; i < y.data.length; i++) y.data[i] = y.data[i]! * f;
    }
    return y;
  },
  equivalent: poolEquivalent,
  inputHint: ({ c }) => ({ rank: c.rank, channels: null }),
  panel: (cfg) => {
    const c = cfg.c;
    return {
      kind: 'pool',
      row: 'pool',
      pool: { mode: c.mode, other: { kind: 'pool', c: { ...c, mode: c.mode === 'max' ? 'avg' : 'max' } } },
    };
  },
};

export const globalPoolFamily: LayerFamily<GlobalPoolCfg> = {
  kinds: ['globalPool'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    if (s.length !== c.rank + 2) return stop(rankIssue(inp, c.rank, s));
    const { batch, channels } = inp.conv.splitShape(s);
    const out = c.keepdims ? inp.conv.joinShape(batch, new Array<Dim>(c.rank).fill(1), channels) : [batch, channels];
    return result({ out, formula: '0', rf: null });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    if (c.rank === 2) return E.globalPool2d(x!, ctx.conv.layout, c.mode, c.keepdims);
    // a sequence as a height-1 image; with keepdims the pooled step stays as one
    const y = E.globalPool2d(E.seqAsImage(ctx.label, x!, ctx.conv.layout), ctx.conv.layout, c.mode, c.keepdims);
    return c.keepdims ? E.imageAsSeq(y, ctx.conv.layout) : y;
  },
  equivalent: () => null,
  panel: () => ({ kind: 'other', row: 'pool' }),
};

export const adaptivePoolFamily: LayerFamily<AdaptivePoolCfg> = {
  sameInEitherLayout: (c) => c.out.length === 2,
  kinds: ['adaptivePool'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    const rank = c.out.length;
    if (s.length !== rank + 2 && s.length !== rank + 1) return stop(rankIssue(inp, rank === 1 ? 1 : 2, s));
    // PyTorch also takes an unbatched (C, H, W) / (C, L) input: its sizes follow the channels
    if (s.length === rank + 1)
      return result({ out: [s[0]!, ...c.out.map((d, i) => d ?? s[i + 1]!)], formula: '0', rf: null });
    const { batch, spatial, channels } = inp.conv.splitShape(s);
    return result({
      out: inp.conv.joinShape(
        batch,
        c.out.map((d, i) => d ?? spatial[i]!),
        channels,
      ),
      formula: '0',
      rf: null,
    });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    if (c.out.length === 1) {
      // a sequence as a height-1 image: only the length is pooled
      const img = E.seqAsImage(ctx.label, x!, ctx.conv.layout);
      const len = img.shape[ctx.conv.layout === 'channelsLast' ? 2 : 3]!;
      return E.imageAsSeq(E.adaptivePool2d(img, ctx.conv.layout, c.mode, [1, c.out[0] ?? len]), ctx.conv.layout);
    }
    if (c.out.length !== 2)
      throw new RunError(ctx.label, `${ctx.label}: ${c.out.length}-D adaptive pooling is not supported by the engine`);
    const v = E.imageView(ctx.label, x!, ctx.conv.layout);
    return E.adaptivePool2d(x!, ctx.conv.layout, c.mode, [c.out[0] ?? v.h, c.out[1] ?? v.w]);
  },
  equivalent: () => null,
  panel: () => ({ kind: 'other', row: 'pool' }),
};

export type Cfg = PoolLayerCfg | GlobalPoolCfg | AdaptivePoolCfg;
export const families = [poolFamily, globalPoolFamily, adaptivePoolFamily];
