/**
 * Whole process, source text to activations: `convlens forward` on VGG16 blocks 1–2 (the Keras
 * fixture, 224×224×3 image, seeded weights) against the same ops in a TensorFlow.js WebAssembly
 * script (scripts/bench/vgg-blocks-tfjs.mjs), each a fresh `node` process, interleaved, medians.
 * Then the peak memory (max RSS) of a full VGG16 forward at 224×224 through `convlens forward`.
 * Goals (issue 8): ConvLens no slower than the tfjs-wasm script; peak memory under 800 MB.
 *
 * Usage: npm run build && tsx scripts/bench-process.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const out = mkdtempSync(join(tmpdir(), 'convlens-bench-'));
if (!existsSync('dist/cli.js')) {
  console.error('bench-process: dist/cli.js is missing; run npm run build first');
  process.exit(2);
}

const convlens = [
  'dist/cli.js',
  'forward',
  'test/fixtures/models/keras/vgg16.py',
  '--input',
  'media/samples/scene-224.png',
  '--layer',
  'block2_pool',
  '--out',
  join(out, 'cl'),
];
const peer = ['scripts/bench/vgg-blocks-tfjs.mjs', join(out, 'tfjs.npy')];

function wall(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr.toString().slice(0, 500)}`);
  return performance.now() - t;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

wall(convlens);
wall(peer);
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < RUNS; i++) {
  a.push(wall(convlens));
  b.push(wall(peer));
}
const ma = median(a);
const mb = median(b);
console.log(`VGG16 blocks 1–2, whole process (${RUNS} runs each, interleaved, median):`);
console.log(`  convlens forward (source → activations)  ${ma.toFixed(0).padStart(6)} ms`);
console.log(`  tfjs-wasm script (the same ops)          ${mb.toFixed(0).padStart(6)} ms`);
console.log(
  `  ratio tfjs ÷ convlens: ${(mb / ma).toFixed(2)}× ${ma <= mb ? '(goal met: no slower)' : '(goal NOT met)'}`,
);

const time = spawnSync(
  '/usr/bin/time',
  [
    '-f',
    '%M',
    process.execPath,
    'dist/cli.js',
    'forward',
    'test/fixtures/models/keras/vgg16.py',
    '--input',
    'media/samples/scene-224.png',
    '--layer',
    'predictions',
    '--out',
    join(out, 'full'),
  ],
  { encoding: 'utf8' },
);
if (time.status === 0) {
  const kb = Number(time.stderr.trim().split('\n').pop());
  console.log(
    `VGG16 full forward at 224×224 (convlens forward): peak memory ${(kb / 1024).toFixed(0)} MB ${kb / 1024 < 800 ? '(goal met: < 800 MB)' : '(goal NOT met)'}`,
  );
} else {
  console.log('VGG16 full forward: peak memory not measured (/usr/bin/time is missing: apt-get install -y time)');
}
