// The peer of `convlens forward … --layer block2_pool` for the whole-process benchmark:
// VGG16 blocks 1–2 (four 3×3 'same' convolutions with bias and ReLU, two 2×2 max pools) on a
// 224×224×3 input with TensorFlow.js's WebAssembly backend, seeded random weights, the last
// activation written as .npy. Plain Node, no TypeScript loader, so start-up is not penalized.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
const wasm = require('@tensorflow/tfjs-backend-wasm');

const out = process.argv[2] ?? '/tmp/vgg-blocks-tfjs.npy';
wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
await tf.setBackend('wasm');
await tf.ready();
tf.enableProdMode();

let seed = 7;
const random = (n, scale) => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    a[i] = ((seed / 4294967296) * 2 - 1) * scale;
  }
  return a;
};
let x = tf.tensor4d(random(224 * 224 * 3, 1).map(Math.abs), [1, 224, 224, 3]);
let cin = 3;
for (const v of [64, 64, 'M', 128, 128, 'M']) {
  if (v === 'M') {
    x = tf.maxPool(x, 2, 2, 'valid');
    continue;
  }
  const w = tf.tensor4d(random(9 * cin * v, Math.sqrt(6 / (9 * (cin + v)))), [3, 3, cin, v]);
  const b = tf.tensor1d(new Float32Array(v));
  x = tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' });
  cin = v;
}
const data = x.dataSync();
const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${x.shape.join(', ')}), }`;
const pad = 64 - ((10 + header.length + 1) % 64);
const h = Buffer.from(
  `\x93NUMPY\x01\x00` +
    String.fromCharCode((header.length + pad + 1) & 255, (header.length + pad + 1) >> 8) +
    header +
    ' '.repeat(pad) +
    '\n',
  'latin1',
);
writeFileSync(out, Buffer.concat([h, Buffer.from(data.buffer)]));
console.log(`tfjs-wasm: ${x.shape.join('×')} written to ${out}`);
