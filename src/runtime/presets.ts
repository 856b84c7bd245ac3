/**
 * Preset kernels for learning: classic 3×3 image filters a user can assign to a convolution's
 * filters to see "a filter detects a feature". Values are the textbook definitions
 * (Sobel, Laplacian 4-neighbour, box blur, sharpen, emboss, identity).
 */
export const PRESETS = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  sobel_x: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sobel_y: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  laplacian: [0, 1, 0, 1, -4, 1, 0, 1, 0],
  blur: [1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
  emboss: [-2, -1, 0, -1, 1, 1, 0, 1, 2],
} as const satisfies Record<string, readonly number[]>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPreset(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/**
 * A 3×3 preset resized to the layer's kernel (centred, zero elsewhere; a kernel smaller than
 * 3×3 takes the centre), as a row-major kh×kw array.
 */
export function presetKernel(name: PresetName, kh: number, kw: number): Float32Array {
  const src = PRESETS[name];
  const out = new Float32Array(kh * kw);
  const oy = Math.floor((kh - 3) / 2);
  const ox = Math.floor((kw - 3) / 2);
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 3; x++) {
      const ty = y + oy;
      const tx = x + ox;
      if (ty >= 0 && ty < kh && tx >= 0 && tx < kw) out[ty * kw + tx] = src[y * 3 + x]!;
    }
  }
  return out;
}

/**
 * Writes presets into a convolution kernel in the framework's layout: filter f gets
 * presets[f % presets.length] on every input channel, divided by the number of input channels
 * (so on an RGB image it filters the channel mean); a null entry keeps that filter's own
 * weights from `base`. Returns the new kernel.
 */
export function applyPresets(
  base: Float32Array,
  shape: readonly number[],
  layout: 'HWIO' | 'OIHW',
  presets: readonly (PresetName | null)[],
): Float32Array {
  const [kh, kw, cin, cout] =
    layout === 'HWIO' ? [shape[0]!, shape[1]!, shape[2]!, shape[3]!] : [shape[2]!, shape[3]!, shape[1]!, shape[0]!];
  const out = Float32Array.from(base);
  for (let f = 0; f < cout; f++) {
    const name = presets[f % presets.length];
    if (!name) continue;
    const k = presetKernel(name, kh, kw);
    for (let ci = 0; ci < cin; ci++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const idx = layout === 'HWIO' ? ((y * kw + x) * cin + ci) * cout + f : ((f * cin + ci) * kh + y) * kw + x;
          out[idx] = k[y * kw + x]! / cin;
        }
      }
    }
  }
  return out;
}

/** A bias with the preset filters' entries set to zero. */
export function presetBias(base: Float32Array, presets: readonly (PresetName | null)[]): Float32Array {
  const out = Float32Array.from(base);
  for (let f = 0; f < out.length; f++) if (presets[f % presets.length]) out[f] = 0;
  return out;
}
