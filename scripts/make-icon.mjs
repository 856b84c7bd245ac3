// Draws media/icon.png (128×128): a 3×3 kernel "stamp" over a gradient feature map.
// Run: node scripts/make-icon.mjs. Writes a PNG with Node's zlib only.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const S = 128;
const px = new Uint8Array(S * S * 4);
const set = (x, y, [r, g, b, a]) => {
  const i = (y * S + x) * 4;
  const al = a / 255;
  px[i] = Math.round(px[i] * (1 - al) + r * al);
  px[i + 1] = Math.round(px[i + 1] * (1 - al) + g * al);
  px[i + 2] = Math.round(px[i + 2] * (1 - al) + b * al);
  px[i + 3] = Math.max(px[i + 3], a);
};
const rect = (x0, y0, w, h, c) => {
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) if (x >= 0 && y >= 0 && x < S && y < S) set(x, y, c);
};
// Rounded dark background.
for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    const r = 22;
    const cx = Math.min(Math.max(x, r), S - 1 - r);
    const cy = Math.min(Math.max(y, r), S - 1 - r);
    if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, [24, 30, 48, 255]);
  }
}
// A 6×6 feature map of cells, viridis-like gradient.
const cell = 15;
const gap = 2;
const org = 14;
const pal = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
const lerp = (t) => {
  const f = Math.min(Math.max(t, 0), 0.9999) * (pal.length - 1);
  const i = Math.floor(f);
  const u = f - i;
  return pal[i].map((v, k) => Math.round(v + (pal[i + 1][k] - v) * u));
};
for (let r = 0; r < 6; r++) {
  for (let c = 0; c < 6; c++) {
    const t = (Math.sin(r * 0.9) + Math.cos(c * 0.7) + 2) / 4;
    rect(org + c * (cell + gap), org + r * (cell + gap), cell, cell, [...lerp(t), 255]);
  }
}
// The 3×3 stamp: a bright frame with a translucent fill over cells (1..3, 1..3).
const sx = org + 1 * (cell + gap) - 3;
const sy = org + 1 * (cell + gap) - 3;
const sw = 3 * (cell + gap) - gap + 6;
rect(sx, sy, sw, sw, [255, 255, 255, 60]);
for (let t = 0; t < 4; t++) {
  rect(sx + t, sy + t, sw - 2 * t, 1, [255, 120, 80, 255]);
  rect(sx + t, sy + sw - 1 - t, sw - 2 * t, 1, [255, 120, 80, 255]);
  rect(sx + t, sy + t, 1, sw - 2 * t, [255, 120, 80, 255]);
  rect(sx + sw - 1 - t, sy + t, 1, sw - 2 * t, [255, 120, 80, 255]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8;
ihdr[9] = 6;
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) Buffer.from(px.buffer, y * S * 4, S * 4).copy(raw, y * (S * 4 + 1) + 1);
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
