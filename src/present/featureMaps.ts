/**
 * Feature maps as one picture: every channel of a layer's output as a labelled tile, with a
 * colormap legend — the same look as the panel, for `convlens render` and "Export Feature Maps".
 */
import type { Tensor } from '../engine';
import { colormaps, type FeatureColormap } from './colormap';
import { renderFeatureMapGrid, type FeatureMap } from './grid';
import { renderFeatureMapSvg, type SvgLocale } from './featureMapSvg';
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

export interface MapImageOptions {
  normalize: 'per-map' | 'per-layer';
  title: string;
  /** The feature maps' colour map (the `convlens.colormap` setting); default viridis. */
  colormap?: FeatureColormap;
}

export interface MapSvgOptions extends MapImageOptions {
  locale?: SvgLocale;
}

function render(v: TensorView, o: MapImageOptions): MapImage {
  const more = v.totalChannels > v.shape[0] ? ` (first ${v.shape[0]} of ${v.totalChannels} channels)` : '';
  const g = renderFeatureMapGrid(maps(v), {
    normalize: o.normalize,
    colormap: colormaps[o.colormap ?? 'viridis'],
    title: `${o.title}${more}`,
  });
  return { width: g.width, height: g.height, rgba: g.rgba, tiles: g.tiles.length };
}

function renderSvg(v: TensorView, o: MapSvgOptions): { svg: string; tiles: number } {
  const ko = o.locale === 'ko';
  const more =
    v.totalChannels > v.shape[0]
      ? ko
        ? ` (채널 ${v.totalChannels}개 중 처음 ${v.shape[0]}개)`
        : ` (first ${v.shape[0]} of ${v.totalChannels} channels)`
      : '';
  const g = renderFeatureMapSvg(maps(v), {
    normalize: o.normalize,
    colormap: colormaps[o.colormap ?? 'viridis'],
    title: `${o.title}${more}`,
    ...(o.locale ? { locale: o.locale } : {}),
  });
  return { svg: g.svg, tiles: g.tiles };
}

export function featureMapImage(layer: LayerNode, output: Tensor, o: MapImageOptions): MapImage {
  return render(toView(output, layer.spec.framework), o);
}

export function viewImage(view: LayerView, o: MapImageOptions): MapImage {
  return render(view.output, o);
}

/** The same picture as SVG, its text as text (any script, e.g. Korean titles). */
export function featureMapSvg(layer: LayerNode, output: Tensor, o: MapSvgOptions): { svg: string; tiles: number } {
  return renderSvg(toView(output, layer.spec.framework), o);
}

export function viewSvg(view: LayerView, o: MapSvgOptions): { svg: string; tiles: number } {
  return renderSvg(view.output, o);
}
