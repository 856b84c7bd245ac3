/**
 * Turning pictures into `drawnInput` messages: an image file (dropped on the panel) read with
 * FileReader, decoded by an <img> and scaled down to at most MAX_DRAWING_SIDE on a canvas; and a
 * canvas (the drawing pad) scaled to a given size. Pixels travel as RGBA bytes.
 */
import { MAX_DRAWING_SIDE, type WebviewToHost } from '../../src/shared/protocol';

type Drawn = Extract<WebviewToHost, { type: 'drawnInput' }>;

/** The pixels of a drawable at most `maxSide` on its longer side (or exactly w×h when given). */
export function pixelsOf(
  src: CanvasImageSource,
  sw: number,
  sh: number,
  size: { maxSide: number } | { w: number; h: number },
): Drawn {
  const [w, h] =
    'maxSide' in size
      ? ((s) => [Math.max(1, Math.round(sw * s)), Math.max(1, Math.round(sh * s))])(
          Math.min(1, size.maxSide / Math.max(sw, sh)),
        )
      : [size.w, size.h];
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.imageSmoothingEnabled = true;
  g.imageSmoothingQuality = 'high';
  g.fillStyle = '#000';
  g.fillRect(0, 0, w, h);
  g.drawImage(src, 0, 0, w, h);
  return { type: 'drawnInput', width: w, height: h, pixels: g.getImageData(0, 0, w, h).data };
}

export function readImageFile(file: File): Promise<Drawn> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error('read failed'));
    reader.onload = () => {
      const img = new Image();
      img.onload = () => resolve(pixelsOf(img, img.naturalWidth, img.naturalHeight, { maxSide: MAX_DRAWING_SIDE }));
      img.onerror = () => reject(new Error('not an image'));
      img.src = String(reader.result);
    };
    reader.readAsDataURL(file);
  });
}
