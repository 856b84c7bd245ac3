/**
 * Feature maps as one picture: every channel of a layer's output as a labelled tile, with a
 * colormap legend — the same look as the panel, for `convlens render` and "Export Feature Maps".
 */
import type { Tensor } from '../engine';
import { viridis } from './colormap';
import { renderFeatureMapGrid, type FeatureMap } from './grid';
import type { LayerNode } from '../model/ir';
import { toView } from './layerView';
import type { LayerView, TensorView } from '../shared/protocol';

export interface MapImage {
  width: number;
  height: number;
  rgba: Uint8Array;
  tiles: number;
}

function maps(v: TensorView): FeatureMap[] {
  const [c, h, w] = v.shape;
  const out: FeatureMap[] = [];
  for (let i = 0; i < c; i++)
    out.push({
      data: v.data.subarray(i * h * w, (i + 1) * h * w),
      height: h,
      width: w,
      label: c === 1 && h === 1 ? `${w} values` : `#${i}`,
    });
  return out;
}

function render(v: TensorView, o: { normalize: 'per-map' | 'per-layer'; title: string }): MapImage {
  const more = v.totalChannels > v.shape[0] ? ` (first ${v.shape[0]} of ${v.totalChannels} channels)` : '';
  const g = renderFeatureMapGrid(maps(v), { normalize: o.normalize, colormap: viridis, title: `${o.title}${more}` });
  return { width: g.width, height: g.height, rgba: g.rgba, tiles: g.tiles.length };
}

export function featureMapImage(
  layer: LayerNode,
  output: Tensor,
  o: { normalize: 'per-map' | 'per-layer'; title: string },
): MapImage {
  return render(toView(output, layer.spec.framework), o);
}

export function viewImage(view: LayerView, o: { normalize: 'per-map' | 'per-layer'; title: string }): MapImage {
  return render(view.output, o);
}
