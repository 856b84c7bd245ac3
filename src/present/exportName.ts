/** File names proposed for what the user exports: `<model>-<layer>.png`, safe on every file system. */

/** Characters kept from a model or layer name; the rest become `_` (`layer1.0.conv1` stays as it is). */
function safe(part: string): string {
  return part
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[.]+/, '_')
    .slice(0, 80);
}

/** `lenet-conv1.png`; the layer alone when there is no model name. */
export function featureMapFileName(model: string | null, layer: string, ext: 'png' | 'svg' = 'png'): string {
  const parts = [model, layer].filter((p): p is string => !!p && p.trim() !== '').map(safe);
  return `${parts.join('-') || 'feature-maps'}.${ext}`;
}
