#!/usr/bin/env node
/**
 * Generates ConvLens' own sample images into media/samples/ (no downloaded data sets):
 *  - digit-0.png … digit-9.png: 28×28 grayscale, white strokes on black like MNIST: thick
 *    anti-aliased polylines with a slight slant and wobble, drawn in a 20×20 box and then shifted
 *    so the centre of mass is at the image centre (MNIST's own normalisation);
 *  - tshirt, trousers, dress, sneaker, bag: 28×28 grayscale light-on-black silhouettes with some
 *    shading and seams, like Fashion-MNIST;
 *  - shapes-square, -circle, -triangle, -cross, -stripes: 28×28 grayscale, clear edges;
 *  - scene-224.png: 224×224 RGB synthetic scene (gradient sky, sun, mountain, house, checkerboard,
 *    ball): edges in all directions, gradients and colours, good for seeing edge detectors.
 * Deterministic: a seeded PRNG (mulberry32) and fixed geometry, so re-running rewrites identical
 * files. Run: node scripts/make-samples.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'media', 'samples');

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp01 = (v) => Math.min(1, Math.max(0, v));

function writeGray(name, size, values) {
  const data = Buffer.alloc(size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(clamp01(values[i]) * 255);
  writeFileSync(
    join(OUT, name),
    PNG.sync.write({ width: size, height: size, data }, { colorType: 0, inputColorType: 0 }),
  );
}

// ---- drawing primitives (coordinates in pixels, pixel centres at i + 0.5) --------------------

function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : clamp01(((px - ax) * dx + (py - ay) * dy) / len2);
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Anti-aliased thick polyline: coverage falls off linearly over the last pixel of the edge. */
function strokeInto(img, size, pts, width, value = 1) {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let d = Infinity;
      for (let i = 0; i + 1 < pts.length; i++) d = Math.min(d, segDist(x + 0.5, y + 0.5, ...pts[i], ...pts[i + 1]));
      const c = clamp01(width / 2 + 0.5 - d) * value;
      if (c > img[y * size + x]) img[y * size + x] = c;
    }
  }
}

/** Points along an elliptical arc (angles in degrees, y down: 90° is the bottom). */
function arc(cx, cy, rx, ry, a0, a1, n = 24) {
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const a = ((a0 + ((a1 - a0) * i) / n) * Math.PI) / 180;
    pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return pts;
}

function insidePolygon(x, y, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Renders `shade(x, y)` (a value, or undefined for background) with 4×4 supersampling. */
function supersample(size, channels, shade, background) {
  const out = new Float32Array(size * size * channels);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = new Array(channels).fill(0);
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const v = shade(x + (sx + 0.5) / S, y + (sy + 0.5) / S) ?? background;
          for (let c = 0; c < channels; c++) acc[c] += channels === 1 ? v : v[c];
        }
      }
      for (let c = 0; c < channels; c++) out[(y * size + x) * channels + c] = acc[c] / (S * S);
    }
  }
  return out;
}

// ---- digits ----------------------------------------------------------------------------------

/** Strokes of each digit in a unit box (x right, y down). */
const DIGITS = {
  0: [arc(0.5, 0.5, 0.3, 0.46, -90, 275, 40)],
  1: [
    [
      [0.36, 0.22],
      [0.56, 0.04],
    ],
    [
      [0.56, 0.04],
      [0.47, 0.96],
    ],
  ],
  2: [[...arc(0.5, 0.3, 0.28, 0.25, -165, 25, 20), [0.16, 0.95], [0.86, 0.93]]],
  3: [[...arc(0.47, 0.27, 0.26, 0.22, -155, 90, 20), ...arc(0.47, 0.72, 0.31, 0.24, -90, 155, 20)]],
  4: [
    [
      [0.62, 0.96],
      [0.64, 0.04],
      [0.14, 0.66],
      [0.88, 0.66],
    ],
  ],
  5: [[[0.8, 0.05], [0.32, 0.05], [0.26, 0.45], ...arc(0.5, 0.68, 0.3, 0.27, -125, 150, 20)]],
  6: [[[0.7, 0.04], [0.45, 0.24], [0.28, 0.5], ...arc(0.5, 0.72, 0.25, 0.24, 180, 540, 32)]],
  7: [
    [
      [0.14, 0.07],
      [0.86, 0.07],
      [0.42, 0.96],
    ],
  ],
  8: [arc(0.5, 0.27, 0.23, 0.22, 90, 450, 28), arc(0.5, 0.72, 0.29, 0.25, -90, 270, 28)],
  9: [
    arc(0.48, 0.3, 0.26, 0.25, 0, 360, 28),
    [
      [0.74, 0.3],
      [0.68, 0.96],
    ],
  ],
};

function renderDigit(d) {
  const rand = mulberry32(1000 + d);
  const slant = 0.08 + rand() * 0.14; // forward lean, as most handwriting has
  const width = 2.3 + rand() * 0.5;
  const phase = rand() * 6.28;
  // Unit box → 20×20 box; shear and a smooth low-amplitude wobble make it look hand-drawn.
  const place = ([u, v], ox, oy) => {
    const wob = 0.025 * Math.sin(phase + 7 * v) + 0.015 * Math.sin(phase * 2 + 11 * u);
    return [ox + 20 * (u + slant * (0.5 - v) + wob), oy + 20 * (v + 0.6 * wob)];
  };
  const draw = (ox, oy) => {
    const img = new Float32Array(28 * 28);
    for (const s of DIGITS[d])
      strokeInto(
        img,
        28,
        s.map((p) => place(p, ox, oy)),
        width,
      );
    return img;
  };
  const first = draw(4, 4);
  let m = 0;
  let mx = 0;
  let my = 0;
  first.forEach((v, i) => {
    m += v;
    mx += v * ((i % 28) + 0.5);
    my += v * (Math.floor(i / 28) + 0.5);
  });
  return draw(4 + 14 - mx / m, 4 + 14 - my / m);
}

// ---- clothing --------------------------------------------------------------------------------

const CLOTHING = {
  tshirt: {
    poly: [
      [9, 3],
      [11.5, 5],
      [16.5, 5],
      [19, 3],
      [25, 5.5],
      [27.2, 11.5],
      [22.5, 13],
      [21.2, 10.5],
      [21.5, 26],
      [6.5, 26],
      [6.8, 10.5],
      [5.5, 13],
      [0.8, 11.5],
      [3, 5.5],
    ],
    base: 0.78,
    seams: [
      [
        [11.5, 5],
        [14, 6.4],
        [16.5, 5],
      ],
      [
        [6.8, 10.5],
        [7.5, 5.5],
      ],
      [
        [21.2, 10.5],
        [20.5, 5.5],
      ],
    ],
  },
  trousers: {
    poly: [
      [8, 1.5],
      [20, 1.5],
      [21.5, 27],
      [15.6, 27],
      [14, 9.5],
      [12.4, 27],
      [6.5, 27],
    ],
    base: 0.72,
    seams: [
      [
        [8, 3.8],
        [20.2, 3.8],
      ],
      [
        [14, 3.8],
        [14, 9.5],
      ],
    ],
  },
  dress: {
    poly: [
      [10.5, 1.5],
      [12, 1.5],
      [12.5, 4],
      [15.5, 4],
      [16, 1.5],
      [17.5, 1.5],
      [18.5, 6],
      [17, 11],
      [24.5, 27],
      [3.5, 27],
      [11, 11],
      [9.5, 6],
    ],
    base: 0.7,
    seams: [
      [
        [11, 11],
        [17, 11],
      ],
    ],
  },
  sneaker: {
    // Side view, toe to the right: heel counter, ankle opening, tongue, laces sloping to the toe.
    poly: [
      [1.2, 21],
      [1.8, 13],
      [4, 12.2],
      [8, 14.6],
      [10.5, 11.4],
      [13.5, 10.2],
      [19, 13.6],
      [24.5, 16.2],
      [27, 18.5],
      [27, 21],
    ],
    base: 0.66,
    sole: [
      [1.2, 20.6],
      [27, 20.6],
      [26.3, 23.2],
      [1.8, 23.2],
    ],
    seams: [
      [
        [12.2, 12.6],
        [14.6, 11.2],
      ],
      [
        [14.6, 13.8],
        [17, 12.6],
      ],
      [
        [17, 15],
        [19.4, 13.8],
      ],
      [
        [2, 18.6],
        [26.6, 18.6],
      ],
    ],
  },
  bag: {
    poly: [
      [3.5, 11],
      [24.5, 11],
      [25.5, 26],
      [2.5, 26],
    ],
    base: 0.68,
    handle: arc(14, 11, 6.5, 7, 180, 360, 20),
    seams: [
      [
        [3.3, 15],
        [24.7, 15],
      ],
      [
        [12.5, 15],
        [12.5, 17.5],
        [15.5, 17.5],
        [15.5, 15],
      ],
    ],
  },
};

function renderClothing(spec, seed) {
  const rand = mulberry32(seed);
  const grain = Array.from({ length: 28 }, () => (rand() - 0.5) * 0.03); // woven-texture rows
  const img = supersample(
    28,
    1,
    (x, y) => {
      if (spec.sole && insidePolygon(x, y, spec.sole)) return 0.95;
      if (!insidePolygon(x, y, spec.poly)) return undefined;
      // Light from the top left: brighter upper-left, darker lower-right, plus row texture.
      return spec.base + 0.12 * (1 - y / 28) - 0.06 * (x / 28) + grain[Math.floor(y)];
    },
    0,
  );
  const seams = new Float32Array(28 * 28);
  for (const s of spec.seams) strokeInto(seams, 28, s, 0.9, 0.25);
  if (spec.handle) strokeInto(img, 28, spec.handle, 1.8, spec.base);
  // Seams are darker lines, only where there is fabric.
  for (let i = 0; i < img.length; i++) if (img[i] > 0.2) img[i] = Math.max(0, img[i] - seams[i]);
  return img;
}

// ---- shapes ----------------------------------------------------------------------------------

const SHAPES = {
  square: (x, y) => x >= 7 && x < 21 && y >= 7 && y < 21,
  circle: (x, y) => Math.hypot(x - 14, y - 14) <= 8.5,
  triangle: (x, y) =>
    insidePolygon(x, y, [
      [14, 4.5],
      [23.5, 22.5],
      [4.5, 22.5],
    ]),
  cross: (x, y) => (x >= 11 && x < 17 && y >= 4 && y < 24) || (y >= 11 && y < 17 && x >= 4 && x < 24),
  stripes: (x) => Math.floor(x / 3) % 2 === 1 && x >= 3 && x < 25,
};

// ---- scene -----------------------------------------------------------------------------------

function sceneColor(x, y) {
  const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
  if (Math.hypot(x - 172, y - 46) <= 22) return [250, 208, 60];
  if (y < 140) {
    // Mountain in front of the sky.
    if (
      insidePolygon(x, y, [
        [-10, 140],
        [58, 62],
        [132, 140],
      ])
    ) {
      return y < 84 &&
        insidePolygon(x, y, [
          [39, 84],
          [58, 62],
          [77, 84],
        ])
        ? [235, 238, 245]
        : [104, 108, 128];
    }
  }
  // House: roof, door, window with a frame, brick wall.
  if (
    insidePolygon(x, y, [
      [98, 106],
      [140, 70],
      [182, 106],
    ])
  )
    return [92, 52, 36];
  if (x >= 110 && x < 170 && y >= 106 && y < 176) {
    if (x >= 132 && x < 148 && y >= 140) return [60, 36, 24];
    if (x >= 116 && x < 134 && y >= 114 && y < 132) {
      return Math.abs(x - 125) < 1 || Math.abs(y - 123) < 1 ? [240, 240, 240] : [150, 200, 235];
    }
    return [178, 62, 48];
  }
  if (y < 140) return mix([38, 88, 168], [172, 210, 240], y / 140);
  // Checkerboard on the ground (10-px squares) and a blue ball.
  if (x >= 12 && x < 92 && y >= 158 && y < 214)
    return (Math.floor((x - 12) / 10) + Math.floor((y - 158) / 10)) % 2 ? [20, 20, 20] : [245, 245, 245];
  if (Math.hypot(x - 196, y - 192) <= 18) {
    const shade = 1 - 0.45 * clamp01(Math.hypot(x - 190, y - 186) / 24);
    return [40 * shade, 90 * shade, 230 * shade];
  }
  return mix([78, 150, 62], [34, 92, 36], (y - 140) / 84);
}

// ---- main ------------------------------------------------------------------------------------

mkdirSync(OUT, { recursive: true });
const written = [];
for (let d = 0; d <= 9; d++) {
  writeGray(`digit-${d}.png`, 28, renderDigit(d));
  written.push(`digit-${d}.png`);
}
Object.entries(CLOTHING).forEach(([name, spec], i) => {
  writeGray(`${name}.png`, 28, renderClothing(spec, 2000 + i));
  written.push(`${name}.png`);
});
for (const [name, inside] of Object.entries(SHAPES)) {
  writeGray(
    `shapes-${name}.png`,
    28,
    supersample(28, 1, (x, y) => (inside(x, y) ? 1 : undefined), 0),
  );
  written.push(`shapes-${name}.png`);
}
{
  const rgb = supersample(224, 3, sceneColor, [0, 0, 0]);
  const data = Buffer.alloc(224 * 224 * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(255, Math.max(0, rgb[i])));
  writeFileSync(
    join(OUT, 'scene-224.png'),
    PNG.sync.write({ width: 224, height: 224, data }, { colorType: 2, inputColorType: 2 }),
  );
  written.push('scene-224.png');
}
console.log(`make-samples: wrote ${written.length} images to media/samples/`);
