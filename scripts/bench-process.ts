/**
 * Whole process, source text to activations: `convlens forward` on VGG16 blocks 1–2 (the Keras
 * fixture, 224×224×3 image, seeded weights) against the same ops in a TensorFlow.js WebAssembly
 * script (scripts/bench/vgg-blocks-tfjs.mjs), each a fresh `node` process, interleaved, medians;
 * and the same blocks from the PyTorch fixture (channels-first, ReLU as modules of their own).
 * Then the full VGG16 (138 M parameters, torchvision's definition in the PyTorch fixture) at
 * 224×224, whole process, against PyTorch running the same file (scripts/bench/vgg16-torch.py:
 * inference mode, the same .npy input), interleaved: time and peak memory (max RSS).
 * Goals: blocks 1–2 at least 1.5× faster than the tfjs-wasm script; the full VGG16 no slower
 * than PyTorch's whole process, at no more than 0.6× its peak memory. The PyTorch part needs
 * /usr/bin/python3 with torch and numpy (Debian's python3-torch) and /usr/bin/time; without
 * them it says so and is left out.
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
// the same blocks in PyTorch's layout (torchvision's definition, NCHW), separate ReLU modules
const torchBlocks = [
  'dist/cli.js',
  'forward',
  'test/fixtures/models/torch/vgg16.py',
  '--input',
  'media/samples/scene-224.png',
  '--layer',
  'features.9',
  '--out',
  join(out, 'cl-torch'),
];

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
wall(torchBlocks);
const a: number[] = [];
const b: number[] = [];
const tb: number[] = [];
for (let i = 0; i < RUNS; i++) {
  a.push(wall(convlens));
  b.push(wall(peer));
  tb.push(wall(torchBlocks));
}
const ma = median(a);
const mb = median(b);
const mt = median(tb);
console.log(`VGG16 blocks 1–2, whole process (${RUNS} runs each, interleaved, median):`);
console.log(`  convlens forward (source → activations)  ${ma.toFixed(0).padStart(6)} ms`);
console.log(`  tfjs-wasm script (the same ops)          ${mb.toFixed(0).padStart(6)} ms`);
console.log(
  `  ratio tfjs ÷ convlens: ${(mb / ma).toFixed(2)}× ${mb / ma >= 1.5 ? '(goal met: ≥ 1.5×)' : '(goal NOT met: ≥ 1.5×)'}`,
);
console.log(
  `  convlens forward, PyTorch's definition (NCHW, ReLU modules) ${mt.toFixed(0).padStart(4)} ms: ${(mt / ma).toFixed(2)}× the channels-last run`,
);

/** Wall time and peak memory (KB) of one process, through /usr/bin/time. */
function timed(cmd: string, args: string[]): { ms: number; kb: number } | null {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.error || r.status !== 0) return null;
  return { ms, kb: Number(r.stderr.trim().split('\n').pop()) };
}

const torchFile = 'test/fixtures/models/torch/vgg16.py';
const npyInput = join(out, 'vgg-input.npy');
const python = '/usr/bin/python3';
const made = spawnSync(
  python,
  [
    '-c',
    `import numpy as np; np.save(${JSON.stringify(npyInput)}, np.random.RandomState(0).rand(1, 3, 224, 224).astype('float32'))`,
  ],
  { encoding: 'utf8' },
);
const hasTorch =
  made.status === 0 && existsSync('/usr/bin/time') && spawnSync(python, ['-c', 'import torch']).status === 0;
if (!hasTorch) {
  console.log(
    'VGG16 full forward vs PyTorch: not measured (needs /usr/bin/python3 with torch and numpy, and /usr/bin/time: apt-get install -y python3-torch time)',
  );
} else {
  const ours = [
    process.execPath,
    [
      'dist/cli.js',
      'forward',
      torchFile,
      '--input',
      npyInput,
      '--layer',
      'classifier.6',
      '--out',
      join(out, 'full'),
      '--force',
    ],
  ] as const;
  const theirs = [python, ['scripts/bench/vgg16-torch.py', torchFile, npyInput, join(out, 'torch.npy')]] as const;
  const full = Math.max(3, Math.ceil(RUNS / 2));
  const c: { ms: number; kb: number }[] = [];
  const p: { ms: number; kb: number }[] = [];
  for (let i = 0; i < full; i++) {
    const x = timed(ours[0], [...ours[1]]);
    const y = timed(theirs[0], [...theirs[1]]);
    if (!x || !y) throw new Error(`the full VGG16 run failed (${!x ? 'convlens forward' : 'PyTorch'})`);
    c.push(x);
    p.push(y);
  }
  const cm = median(c.map((r) => r.ms));
  const pm = median(p.map((r) => r.ms));
  const cMem = Math.max(...c.map((r) => r.kb)) / 1024;
  const pMem = Math.max(...p.map((r) => r.kb)) / 1024;
  console.log(
    `VGG16 full forward at 224×224, whole process (${full} runs each, interleaved; time median, memory max):`,
  );
  console.log(`  convlens forward        ${cm.toFixed(0).padStart(6)} ms  ${cMem.toFixed(0).padStart(5)} MB`);
  console.log(`  PyTorch (same file)     ${pm.toFixed(0).padStart(6)} ms  ${pMem.toFixed(0).padStart(5)} MB`);
  console.log(
    `  time PyTorch ÷ convlens ${(pm / cm).toFixed(2)}× ${cm <= pm ? '(goal met: no slower)' : '(goal NOT met: no slower)'}; memory convlens ÷ PyTorch ${(cMem / pMem).toFixed(2)}× ${cMem <= 0.6 * pMem ? '(goal met: ≤ 0.6×)' : '(goal NOT met: ≤ 0.6×)'}`,
  );
}

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
