/**
 * Peak memory (and time) of a VGG16 forward pass at 224×224 through the engine: the 13 3×3
 * 'same' convolutions (bias and ReLU applied in the kernels, as the conv layers do) and 5 max
 * pools of VGG16's feature stack — and with --dense its three dense layers too — on random
 * weights (the numbers do not matter, the sizes do), batch 1. Only the current activation is kept
 * alive, as a model runner would.
 *
 * Peak memory = the process's maximum resident set (process.resourceUsage().maxRSS): Node
 * itself, the weights (14.7 M parameters in the conv stack; 138 M = 553 MB as float32 with the
 * dense layers, whose first kernel is over the default element cap, raised here for it), the
 * activations and the kernels' wasm memory.
 *
 * Usage: npx tsx scripts/bench-vgg16.ts [fast|threads|reference] [--dense]
 */
import {
  activation,
  conv2d,
  dense,
  flatten,
  pool2d,
  setKernelPath,
  setMaxElements,
  tensor,
  type Tensor,
} from '../src/engine';
import { enableEngineThreads, disableEngineThreads } from '../src/worker/threads';

const mode = process.argv[2] ?? 'fast';
const featuresOnly = !process.argv.includes('--dense');
if (!featuresOnly) setMaxElements(1 << 27);
if (mode === 'threads') enableEngineThreads(2);
else setKernelPath(mode === 'reference' ? 'reference' : 'fast');

const CFG: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

let seed = 1;
function random(n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    a[i] = ((seed / 4294967296) * 2 - 1) * scale;
  }
  return a;
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
let x: Tensor = tensor([1, 224, 224, 3], random(224 * 224 * 3, 1));
let cin = 3;
const started = performance.now();
for (const item of CFG) {
  if (item === 'M') {
    x = pool2d(x, { layout: 'channelsLast', mode: 'max', poolSize: 2 });
    continue;
  }
  const k = tensor([3, 3, cin, item], random(9 * cin * item, Math.sqrt(2 / (9 * cin))));
  const b = tensor([item], random(item, 0.01));
  x = conv2d(x, k, { layout: 'channelsLast', padding: 'same', bias: b, activation: 'relu' });
  cin = item;
}
if (!featuresOnly) {
  x = flatten(x);
  for (const [units, act] of [
    [4096, 'relu'],
    [4096, 'relu'],
    [1000, 'softmax'],
  ] as const) {
    const w = tensor([x.shape[1]!, units], random(x.shape[1]! * units, Math.sqrt(2 / x.shape[1]!)));
    x = activation(dense(x, w, { bias: tensor([units], random(units, 0.01)), kernelLayout: 'IO' }), act);
  }
}
const ms = performance.now() - started;
const peak = process.resourceUsage().maxRSS * 1024;
console.log(
  `VGG16 ${featuresOnly ? 'features (13 conv + 5 pool)' : 'full (13 conv + 5 pool + 3 dense)'} at 224×224, kernels: ${mode}`,
);
console.log(`  output [${x.shape.join(', ')}], ${ms.toFixed(0)} ms`);
console.log(
  `  peak resident memory ${mb(peak)} (now: rss ${mb(process.memoryUsage().rss)}, array buffers ${mb(process.memoryUsage().arrayBuffers)})`,
);
console.log(`  target < 800 MB: ${peak < 800 * 2 ** 20 ? 'MET' : 'NOT MET'}`);
disableEngineThreads();
