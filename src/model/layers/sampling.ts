/**
 * A spatial transformer's two steps, as PyTorch defines them: F.affine_grid(theta, size) turns
 * (N, 2, 3) affine matrices into a sampling grid (N, H, W, 2) for the size given, and
 * F.grid_sample(x, grid) samples x (N, C, H, W) at the grid's points → (N, C, Hg, Wg), bilinear,
 * zeros outside (PyTorch's defaults; align_corners=False unless given). Keras has no such layers.
 */
import * as E from '../../engine';
import { shapeText, type Dim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type InferResult, type LayerFamily } from './family';

/** size: the (N, C, H, W) the grid is made for (its H and W; null when they are not known). */
export type AffineGridCfg = { kind: 'affineGrid'; size: (number | null)[]; alignCorners: boolean };
export type GridSampleCfg = { kind: 'gridSample'; alignCorners: boolean };

function bad(inp: InferInput, detail: string): InferResult {
  return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail } });
}

function inferGrid(inp: InferInput, c: AffineGridCfg): InferResult {
  const theta = inp.shapes[0]!;
  if (
    theta.length !== 3 ||
    (typeof theta[1] === 'number' && theta[1] !== 2) ||
    (typeof theta[2] === 'number' && theta[2] !== 3)
  )
    return bad(
      inp,
      `Expected a batch of 2D affine matrices of shape Nx2x3 for size ${c.size.join('x')}. Got ${shapeText(theta, inp.conv.batchSymbol)}.`,
    );
  if (c.size.length !== 4) return bad(inp, 'affine_grid only supports 4D sizes here (N, C, H, W)');
  const dim = (d: number | null, s: string): Dim => d ?? { sym: s };
  return result({ out: [theta[0]!, dim(c.size[2]!, 'H'), dim(c.size[3]!, 'W'), 2], formula: '0', rf: null });
}

function inferSample(inp: InferInput, _c: GridSampleCfg): InferResult {
  const [x, g] = inp.shapes;
  if (!x || !g || x.length !== 4 || g.length !== 4 || (typeof g[3] === 'number' && g[3] !== 2))
    return bad(inp, 'grid_sample expects a 4-D input (N, C, H, W) and a grid (N, H, W, 2)');
  return result({ out: [x[0]!, x[1]!, g[1]!, g[2]!], formula: '0', rf: null });
}

export const affineGridFamily: LayerFamily<AffineGridCfg> = {
  kinds: ['affineGrid'],
  infer: inferGrid,
  ...NO_PARAMS,
  run: (ctx, c, [theta]) => {
    const [h, w] = [c.size[2], c.size[3]];
    if (h === null || h === undefined || w === null || w === undefined)
      E.fail('bad-argument', `${ctx.label}: the grid's size is not known`);
    return E.affineGrid(theta!, h, w, c.alignCorners, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const gridSampleFamily: LayerFamily<GridSampleCfg> = {
  kinds: ['gridSample'],
  infer: inferSample,
  ...NO_PARAMS,
  run: (ctx, c, [x, grid]) => E.gridSample(x!, grid!, c.alignCorners, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = AffineGridCfg | GridSampleCfg;
export const families = [affineGridFamily, gridSampleFamily];
