/**
 * 256-entry colour tables packed as RGBA words (little-endian, as ImageData's Uint32 view reads
 * them), so drawing a map is one table lookup per pixel.
 *  - viridis (feature maps): matplotlib's _viridis_data, every 5th entry, linearly interpolated —
 *    the same anchors as src/io/colormap.ts (test/webview/colormap.test.ts keeps them equal);
 *  - magma: matplotlib's _magma_data (BIDS/colormap, CC0), every 5th entry, within 1/255;
 *  - gray: black → white;
 *  - blue-white-red (kernels, diverging): ColorBrewer RdBu-11 reversed, centre pure white, used
 *    with a range symmetric around 0 so white means a zero weight.
 * Index rule as matplotlib's Normalize: t = (v − lo)/(hi − lo) clipped, entry = min(⌊t·256⌋, 255).
 */
import type { PanelSettings } from '../src/shared/protocol';

type Rgb = readonly [number, number, number];

const VIRIDIS: readonly Rgb[] = [
  [0.267004, 0.004874, 0.329415], [0.273809, 0.031497, 0.358853], [0.278791, 0.062145, 0.386592], [0.281924, 0.089666, 0.412415],
  [0.283197, 0.115680, 0.436115], [0.282623, 0.140926, 0.457517], [0.280255, 0.165693, 0.476498], [0.276194, 0.190074, 0.493001],
  [0.270595, 0.214069, 0.507052], [0.263663, 0.237631, 0.518762], [0.255645, 0.260703, 0.528312], [0.246811, 0.283237, 0.535941],
  [0.237441, 0.305202, 0.541921], [0.227802, 0.326594, 0.546532], [0.218130, 0.347432, 0.550038], [0.208623, 0.367752, 0.552675],
  [0.199430, 0.387607, 0.554642], [0.190631, 0.407061, 0.556089], [0.182256, 0.426184, 0.557120], [0.174274, 0.445044, 0.557792],
  [0.166617, 0.463708, 0.558119], [0.159194, 0.482237, 0.558073], [0.151918, 0.500685, 0.557587], [0.144759, 0.519093, 0.556572],
  [0.137770, 0.537492, 0.554906], [0.131172, 0.555899, 0.552459], [0.125394, 0.574318, 0.549086], [0.121148, 0.592739, 0.544641],
  [0.119423, 0.611141, 0.538982], [0.121380, 0.629492, 0.531973], [0.128087, 0.647749, 0.523491], [0.140210, 0.665859, 0.513427],
  [0.157851, 0.683765, 0.501686], [0.180653, 0.701402, 0.488189], [0.208030, 0.718701, 0.472873], [0.239374, 0.735588, 0.455688],
  [0.274149, 0.751988, 0.436601], [0.311925, 0.767822, 0.415586], [0.352360, 0.783011, 0.392636], [0.395174, 0.797475, 0.367757],
  [0.440137, 0.811138, 0.340967], [0.487026, 0.823929, 0.312321], [0.535621, 0.835785, 0.281908], [0.585678, 0.846661, 0.249897],
  [0.636902, 0.856542, 0.216620], [0.688944, 0.865448, 0.182725], [0.741388, 0.873449, 0.149561], [0.793760, 0.880678, 0.120005],
  [0.845561, 0.887322, 0.099702], [0.896320, 0.893616, 0.096335], [0.945636, 0.899815, 0.112838], [0.993248, 0.906157, 0.143936],
];

const MAGMA: readonly Rgb[] = [
  [0.001462, 0.000466, 0.013866], [0.007588, 0.006356, 0.044973], [0.018815, 0.016026, 0.084584], [0.035520, 0.028397, 0.125209],
  [0.056615, 0.042160, 0.167446], [0.078815, 0.054184, 0.211667], [0.102815, 0.063010, 0.257854], [0.129380, 0.067935, 0.305443],
  [0.159018, 0.068354, 0.352688], [0.191460, 0.064818, 0.396152], [0.225302, 0.060445, 0.431742], [0.258857, 0.059706, 0.457710],
  [0.291366, 0.064553, 0.475462], [0.322899, 0.073782, 0.487408], [0.353773, 0.085373, 0.495501], [0.384299, 0.097855, 0.501002],
  [0.414709, 0.110431, 0.504662], [0.445163, 0.122724, 0.506901], [0.475780, 0.134577, 0.507921], [0.506629, 0.145958, 0.507806],
  [0.537755, 0.156894, 0.506551], [0.569172, 0.167454, 0.504105], [0.600868, 0.177743, 0.500394], [0.632805, 0.187893, 0.495332],
  [0.664915, 0.198075, 0.488836], [0.697098, 0.208501, 0.480835], [0.729216, 0.219437, 0.471279], [0.761077, 0.231214, 0.460162],
  [0.792427, 0.244242, 0.447543], [0.822926, 0.259016, 0.433573], [0.852126, 0.276106, 0.418573], [0.879464, 0.296125, 0.403118],
  [0.904281, 0.319610, 0.388137], [0.925937, 0.346844, 0.374959], [0.944006, 0.377643, 0.365136], [0.958464, 0.411324, 0.360014],
  [0.969680, 0.446936, 0.360311], [0.978210, 0.483612, 0.366025], [0.984622, 0.520713, 0.376698], [0.989363, 0.557873, 0.391671],
  [0.992785, 0.594891, 0.410283], [0.995122, 0.631696, 0.431951], [0.996580, 0.668256, 0.456192], [0.997254, 0.704611, 0.482635],
  [0.997285, 0.740772, 0.510983], [0.996727, 0.776795, 0.541039], [0.995680, 0.812706, 0.572645], [0.994222, 0.848540, 0.605696],
  [0.992440, 0.884330, 0.640099], [0.990570, 0.920049, 0.675675], [0.988717, 0.955742, 0.712242], [0.987053, 0.991438, 0.749504],
];

const BWR_HEX = [0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xffffff, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f];

export type MapName = PanelSettings['colormap'] | 'blue-white-red';

/** The RGB bytes of a table (256 × 3), interpolated like src/io/colormap.ts. */
function rgbTable(anchors: readonly Rgb[]): Uint8Array {
  const out = new Uint8Array(256 * 3);
  const segments = anchors.length - 1;
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * segments;
    const k = Math.min(Math.floor(pos), segments - 1);
    const f = pos - k;
    const a = anchors[k]!;
    const b = anchors[k + 1]!;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round((a[c]! + (b[c]! - a[c]!) * f) * 255);
  }
  return out;
}

function anchorsOf(name: MapName): readonly Rgb[] {
  switch (name) {
    case 'viridis': return VIRIDIS;
    case 'magma': return MAGMA;
    case 'gray': return [[0, 0, 0], [1, 1, 1]];
    case 'blue-white-red': return BWR_HEX.map((h) => [((h >> 16) & 255) / 255, ((h >> 8) & 255) / 255, (h & 255) / 255] as const);
  }
}

function pack(rgb: Uint8Array): Uint32Array {
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++) out[i] = (0xff << 24 | rgb[i * 3 + 2]! << 16 | rgb[i * 3 + 1]! << 8 | rgb[i * 3]!) >>> 0;
  return out;
}

const cache = new Map<MapName, Uint32Array>();

/** The packed table of a colour map (built once). */
export function lut(name: MapName): Uint32Array {
  let t = cache.get(name);
  if (!t) cache.set(name, (t = pack(rgbTable(anchorsOf(name)))));
  return t;
}

/** Packed colour of NaN: a neutral grey, neither low nor high. */
export const NAN_WORD = (0xff << 24 | 128 << 16 | 128 << 8 | 128) >>> 0;

/** [r, g, b] of a packed word. */
export function rgbOf(word: number): [number, number, number] {
  return [word & 255, (word >>> 8) & 255, (word >>> 16) & 255];
}

/** Black or white, whichever reads better on a packed colour (WCAG relative luminance). */
export function inkOn(word: number): '#000' | '#fff' {
  const [r, g, b] = rgbOf(word).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000' : '#fff';
}
