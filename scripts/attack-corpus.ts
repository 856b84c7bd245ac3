/**
 * The attack corpus: hostile and absurd inputs, each run through the `convlens` command as a user
 * would, with what a correct outcome is. Small files are committed in test/fixtures/attack/ (the
 * binary ones written by `tsx scripts/attack-corpus.ts`, which rewrites them identically); large
 * ones are generated here into each run's folder. test/unit/attack/attack.test.ts runs every case
 * in-process (a test per class); scripts/attack-check.ts runs each through the built CLI in a child
 * process and measures its wall time and peak memory.
 *
 * Every case runs in a fresh folder; a run is correct when it ends with exit code 0 and the
 * result the case expects, or with a clean one-line error (no stack trace, no "internal error");
 * nothing is written outside --out, and a file in --out that ConvLens did not write is left as it
 * was.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deflateSync, inflateRawSync } from 'node:zlib';
import { makeZip } from '../test/unit/helpers/zipWriter';

export const ROOT = resolve(__dirname, '..');
export const ATTACK_DIR = join(ROOT, 'test', 'fixtures', 'attack');

export type AttackClass =
  'analyzer' | 'parser' | 'image' | 'weights' | 'model-file' | 'output' | 'terminal' | 'not-a-file';

export interface AttackRun {
  code: number;
  out: string;
  err: string;
}

export interface AttackCase {
  name: string;
  class: AttackClass;
  /** What the input is, in a few words. */
  what: string;
  /** Writes what the case needs into `work` (a fresh folder); returns the command's arguments. */
  prepare(work: string): string[];
  /** 'ok': exit code 0 and `check` passes; 'error': a clean one-line error (exit code 1 or 2). */
  expect: 'ok' | 'error';
  /** Further checks of the result: a problem, or null. */
  check?(r: AttackRun, work: string): string | null;
  /** Files under `work` that must be left byte for byte as they were (relative paths). */
  untouched?: string[];
  /** Only where the platform has it (devices, FIFOs). */
  posixOnly?: boolean;
}

const fixture = (...p: string[]): string => join(ROOT, 'test', 'fixtures', ...p);
const attack = (name: string): string => join(ATTACK_DIR, name);
const DIGIT = join(ROOT, 'media', 'samples', 'digit-3.png');

// ---------------------------------------------------------------------------------------------
// Binary files (small: committed; written by main() below)

function crc32(data: Uint8Array): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const PNG_SIG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function ihdr(w: number, h: number): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, w);
  v.setUint32(4, h);
  d[8] = 8;
  d[9] = 6;
  return pngChunk('IHDR', d);
}

function safetensors(tensors: Record<string, { shape: number[]; data: number[] }>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  let json = JSON.stringify(header);
  while (json.length % 8) json += ' ';
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  out.set(new Uint8Array(new Float32Array(Object.values(tensors).flatMap((t) => t.data)).buffer), 8 + json.length);
  return out;
}

/** The small binary files of the corpus, by name. */
export function smallBinaries(): Record<string, Uint8Array> {
  const idat = pngChunk('IDAT', deflateSync(new Uint8Array([0, 0, 0, 0, 0])));
  const iend = pngChunk('IEND', new Uint8Array(0));
  return {
    // 108 bytes: a 1×1 header, then a second IHDR of 50,000 × 52,000 (10.4 GB of pixels)
    'png-second-ihdr.png': concat(PNG_SIG, ihdr(1, 1), ihdr(50_000, 52_000), idat, iend),
    // one IHDR that declares 2^31 − 1 pixels square
    'png-huge.png': concat(PNG_SIG, ihdr(0x7fffffff, 0x7fffffff), idat, iend),
    // NaN and infinite weights for nan-weights.py
    'nan-weights.safetensors': safetensors({
      '0.weight': { shape: [2, 1, 3, 3], data: [1, Number.NaN, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0] },
      '0.bias': { shape: [2], data: [Number.POSITIVE_INFINITY, 0] },
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Large files: generated into the run's folder

function decorators(n: number): string {
  return `import torch.nn as nn\n\ndef d(f):\n    return f\n\n${'@d\n'.repeat(n)}def g():\n    pass\n\nmodel = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\n# convlens: input_shape=(3, 32, 32)\n`;
}

function manyClasses(n: number): string {
  const out = ['import torch', 'import torch.nn as nn', ''];
  for (let i = 0; i < n; i++)
    out.push(
      `class Block${i}(nn.Module):`,
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 3, 1)',
      '    def forward(self, x):',
      '        for i in range(9000):',
      '            x = x + 0',
      '        return self.conv(x)',
      `b${i} = Block${i}()`,
      `y${i} = b${i}(torch.randn(1, 3, 8, 8))`,
      '',
    );
  return out.join('\n');
}

const SMALL_KERAS = (): Uint8Array => new Uint8Array(readFileSync(fixture('weights', 'keras3_small.keras')));

/** The parts of keras3_small.keras (config.json, metadata, weights), for archives built from it. */
function smallKerasParts(): { config: string; weights: Uint8Array; metadata: string } {
  // a minimal zip reader over the committed fixture (stored or deflated entries)
  const bytes = SMALL_KERAS();
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = v.getUint16(eocd + 10, true);
  let at = v.getUint32(eocd + 16, true);
  const parts: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    const method = v.getUint16(at + 10, true);
    const csize = v.getUint32(at + 20, true);
    const nlen = v.getUint16(at + 28, true);
    const elen = v.getUint16(at + 30, true);
    const clen = v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nlen));
    const lstart = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = bytes.subarray(lstart, lstart + csize);
    parts[name] = method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw.slice();
    at += 46 + nlen + elen + clen;
  }
  return {
    config: new TextDecoder().decode(parts['config.json']),
    weights: parts['model.weights.h5']!,
    metadata: new TextDecoder().decode(parts['metadata.json'] ?? new Uint8Array()),
  };
}

function write(work: string, name: string, data: Uint8Array | string): string {
  const path = join(work, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

function copy(work: string, from: string, name = from.split('/').pop()!): string {
  const path = join(work, name);
  copyFileSync(from, path);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Checks

/** The models of `summary --json` output. */
function models(r: AttackRun): { name: string; totalParams: number | null; layers: { name: string }[] }[] | null {
  try {
    return (JSON.parse(r.out) as { models: never[] }).models;
  } catch {
    return null;
  }
}

/** `summary --json` lists a PyTorch model of one 3→8 3×3 convolution and a ReLU: 224 parameters. */
function theSmallModel(r: AttackRun): string | null {
  const m = models(r);
  if (!m) return `summary --json did not print JSON: ${r.out.slice(0, 200)}`;
  const model = m.find((x) => x.name === 'model');
  if (!model) return `no model named "model" in ${m.map((x) => x.name).join(', ')}`;
  return model.totalParams === 3 * 8 * 9 + 8 ? null : `the model has ${model.totalParams} parameters, not 224`;
}

function index(work: string, out = 'out'): { layer: string; file: string }[] | null {
  const p = join(work, out, 'index.json');
  if (!existsSync(p)) return null;
  return (JSON.parse(readFileSync(p, 'utf8')) as { layers: { layer: string; file: string }[] }).layers;
}

// ---------------------------------------------------------------------------------------------
// The cases

export const CASES: AttackCase[] = [
  // -- the analyzer: tiny files that would run for minutes
  {
    name: 'hang-builtins',
    class: 'analyzer',
    what: 'len(range(100000)) called 60,000 times',
    prepare: (w) => ['summary', '--json', copy(w, attack('hang-builtins.py'))],
    expect: 'ok',
    check: theSmallModel,
  },
  {
    name: 'hang-sorted',
    class: 'analyzer',
    what: 'sorted() of 100,000 items, 10,000 times, before the model',
    prepare: (w) => ['summary', '--json', copy(w, attack('hang-sorted.py'))],
    expect: 'ok',
    // the model comes after the loop, which Python would take minutes to finish: the analysis
    // stops at its budget and says so on the file's first line
    check: (r) =>
      /"message": "ConvLens: analysis stopped after [\d,]+ steps"/.test(r.out)
        ? null
        : `no warning of the stop: ${r.out}`,
  },
  {
    name: 'hang-recursion',
    class: 'analyzer',
    what: 'a call tree that doubles at each level',
    prepare: (w) => ['summary', '--json', copy(w, attack('hang-recursion.py'))],
    expect: 'ok',
    check: theSmallModel,
  },
  {
    name: 'many-classes',
    class: 'analyzer',
    what: '300 classes whose forward loops 9,000 times (generated)',
    prepare: (w) => ['check', write(w, 'classes.py', manyClasses(300))],
    expect: 'ok',
    check: (r) => (/stopped|steps/.test(r.out + r.err) ? null : `no word of the analysis being stopped: ${r.out}`),
  },
  // -- the parser
  {
    name: 'decorators',
    class: 'parser',
    what: '40,000 decorators on one function, 120 KB (generated)',
    prepare: (w) => ['summary', '--json', write(w, 'decorators.py', decorators(40_000))],
    expect: 'ok',
    check: theSmallModel,
  },
  {
    name: 'deep-parentheses',
    class: 'parser',
    what: '50,000 nested parentheses (generated)',
    prepare: (w) => [
      'summary',
      '--json',
      write(
        w,
        'parens.py',
        `x = ${'('.repeat(50_000)}1${')'.repeat(50_000)}\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\n# convlens: input_shape=(3, 32, 32)\n`,
      ),
    ],
    expect: 'ok',
    check: theSmallModel,
  },
  // -- images given as --input
  {
    name: 'png-second-ihdr',
    class: 'image',
    what: 'a 93-byte PNG whose second IHDR declares 10.4 GB',
    prepare: (w) => [
      'forward',
      join(ROOT, 'examples', 'mnist_convnet.py'),
      '--input',
      copy(w, attack('png-second-ihdr.png')),
      '--out',
      join(w, 'out'),
    ],
    expect: 'error',
    check: (r) => (/IHDR/.test(r.err) ? null : `the error does not name the IHDR: ${r.err}`),
  },
  {
    name: 'png-huge',
    class: 'image',
    what: 'a PNG header of 2^31 − 1 × 2^31 − 1 pixels',
    prepare: (w) => [
      'forward',
      join(ROOT, 'examples', 'mnist_convnet.py'),
      '--input',
      copy(w, attack('png-huge.png')),
      '--out',
      join(w, 'out'),
    ],
    expect: 'error',
    check: (r) => (/limit|too large|over/.test(r.err) ? null : `the error does not name the limit: ${r.err}`),
  },
  // -- weight files given as --weights
  {
    name: 'keras-bomb-inflate',
    class: 'weights',
    what: 'a .keras whose entry inflates far past its size',
    prepare: (w) => forwardWith(w, copy(w, fixture('weights', 'keras_bomb_inflate.keras'))),
    expect: 'error',
  },
  {
    name: 'keras-bomb-declared',
    class: 'weights',
    what: 'a .keras whose entry declares 100× its compressed size',
    prepare: (w) => forwardWith(w, copy(w, fixture('weights', 'keras_bomb_declared.keras'))),
    expect: 'error',
  },
  {
    name: 'h5-chunked-bomb',
    class: 'weights',
    what: '137 KB of gzip chunks declaring 128 MB',
    prepare: (w) => forwardWith(w, copy(w, fixture('weights', 'h5_chunked_bomb.weights.h5'))),
    expect: 'error',
  },
  {
    name: 'h5-external-link',
    class: 'weights',
    what: 'an HDF5 external link',
    prepare: (w) => forwardWith(w, copy(w, fixture('weights', 'h5_external_link.weights.h5'))),
    expect: 'error',
    check: (r) => (/is not a function/.test(r.err) ? `a JavaScript error leaked: ${r.err}` : null),
  },
  {
    name: 'btree-bomb',
    class: 'weights',
    what: 'an HDF5 B-tree that points back at itself',
    prepare: (w) => forwardWith(w, copy(w, fixture('weights', 'hdf5_btree_bomb.h5'))),
    expect: 'error',
  },
  {
    name: 'nan-weights',
    class: 'weights',
    what: 'NaN and infinite weights',
    prepare: (w) => [
      'forward',
      write(
        w,
        'nan.py',
        'import torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(1, 2, 3))\n# convlens: input_shape=(1, 8, 8)\n',
      ),
      '--input',
      DIGIT,
      '--weights',
      copy(w, attack('nan-weights.safetensors')),
      '--input-shape',
      '1,8,8',
      '--out',
      join(w, 'out'),
    ],
    expect: 'ok',
    check: (r) =>
      /NaN/.test(r.err + r.out) && /infinite|Infinity|inf/i.test(r.err + r.out)
        ? null
        : `no warning of NaN and infinite values: ${r.err}`,
  },
  // -- model files
  {
    name: 'nested-config',
    class: 'model-file',
    what: 'a .keras whose config.json nests 30,000 brackets (generated)',
    prepare: (w) => {
      const { weights } = smallKerasParts();
      const nested = '{"a":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}';
      const zip = makeZip([
        { name: 'config.json', data: nested, deflate: true },
        { name: 'model.weights.h5', data: weights },
      ]);
      return ['summary', write(w, 'deep.keras', zip)];
    },
    expect: 'error',
    check: (r) => (/nests deeper/.test(r.err) ? null : `not refused for its depth: ${r.err}`),
  },
  {
    name: 'duplicate-entries',
    class: 'model-file',
    what: 'a .keras with two config.json entries: the last counts, as in Python',
    prepare: (w) => {
      const { config, weights, metadata } = smallKerasParts();
      const zip = makeZip([
        { name: 'metadata.json', data: metadata },
        { name: 'config.json', data: '{"this": "is not the config Python reads"}' },
        { name: 'config.json', data: config },
        { name: 'model.weights.h5', data: weights },
      ]);
      return ['summary', '--json', write(w, 'dup.keras', zip)];
    },
    expect: 'ok',
    check: (r) => {
      const m = models(r);
      return m && m.length === 1 && m[0]!.layers.length > 0
        ? null
        : `the last config.json was not read: ${r.out.slice(0, 300)}`;
    },
  },
  {
    name: 'huge-tensor-h5',
    class: 'model-file',
    what: 'a legacy .h5 model declaring a 65,536 × 65,536 weight tensor',
    prepare: (w) => ['summary', copy(w, fixture('modelfiles', 'keras', 'hostile_huge_tensor.h5'))],
    expect: 'error',
    check: (r) => (/element limit/.test(r.err) ? null : `not refused for its size: ${r.err}`),
  },
  // -- forward's output folder
  {
    name: 'module-called-twice',
    class: 'output',
    what: 'LeNet calls self.pool twice: two activations, two files',
    prepare: (w) => ['forward', copy(w, join(ROOT, 'examples', 'lenet.py')), '--input', DIGIT, '--out', join(w, 'out')],
    expect: 'ok',
    check: (_r, w) => {
      const idx = index(w);
      if (!idx) return 'no index.json';
      const files = idx.map((e) => e.file);
      if (new Set(files).size !== files.length) return 'two layers share one file';
      const pools = idx.filter((e) => e.layer === 'pool');
      return pools.length === 2 ? null : `${pools.length} files for the two calls of self.pool: ${files.join(', ')}`;
    },
  },
  {
    name: 'path-names',
    class: 'output',
    what: 'layer names that are paths, a device name and 300 characters',
    prepare: (w) => [
      'forward',
      copy(w, attack('path-traversal.py')),
      '--input',
      DIGIT,
      '--input-shape',
      '8,8,1',
      '--out',
      join(w, 'a', 'b', 'out'),
    ],
    expect: 'ok',
    check: (_r, w) => {
      for (const p of ['/tmp/convlens-attack-absolute.npy', join(w, '..', 'convlens-attack-escaped.npy')])
        if (existsSync(p)) return `a file was written outside --out: ${p}`;
      const idx = index(w, join('a', 'b', 'out'));
      if (!idx) return 'no index.json';
      const files = idx.map((e) => e.file);
      if (files.some((f) => f.includes('/') || f.includes('\\') || f.length > 120))
        return `unsafe file names: ${files.join(', ')}`;
      return files.length === 4 ? null : `${files.length} files for 4 layers`;
    },
  },
  {
    name: 'foreign-file-in-out',
    class: 'output',
    what: '--out holds a file ConvLens did not write',
    prepare: (w) => {
      write(w, join('out', 'conv2d.npy'), 'not ours');
      return ['forward', join(ROOT, 'examples', 'mnist_convnet.py'), '--input', DIGIT, '--out', join(w, 'out')];
    },
    expect: 'error',
    untouched: [join('out', 'conv2d.npy')],
    check: (r) => (/--force/.test(r.err) ? null : `the refusal does not mention --force: ${r.err}`),
  },
  // -- the terminal
  {
    name: 'terminal-injection',
    class: 'terminal',
    what: 'layer names with ANSI escapes, a newline and a bidirectional override',
    prepare: (w) => ['summary', copy(w, attack('terminal-injection.py'))],
    expect: 'ok',
    check: (r) => {
      const all = r.out + r.err;
      // eslint-disable-next-line no-control-regex
      if (/[\u001b\u202e]/.test(all)) return 'an escape or override reached the terminal';
      return all.split('\n').some((l) => l.startsWith('forged.py')) ? 'a forged line' : null;
    },
  },
  {
    name: 'terminal-injection-check',
    class: 'terminal',
    what: 'the same names through `check`',
    prepare: (w) => ['check', copy(w, attack('terminal-injection.py'))],
    expect: 'ok',
    check: (r) => {
      const all = r.out + r.err;
      // eslint-disable-next-line no-control-regex
      if (/[\u001b\u202e]/.test(all)) return 'an escape or override reached the terminal';
      return all.split('\n').some((l) => l.startsWith('forged.py')) ? 'a forged line' : null;
    },
  },
  // -- paths that are not regular files
  {
    name: 'dev-zero',
    class: 'not-a-file',
    what: '/dev/zero as FILE',
    prepare: () => ['summary', '/dev/zero'],
    expect: 'error',
    posixOnly: true,
  },
  {
    name: 'dev-zero-input',
    class: 'not-a-file',
    what: '/dev/zero as --input',
    prepare: (w) => [
      'forward',
      join(ROOT, 'examples', 'mnist_convnet.py'),
      '--input',
      '/dev/zero',
      '--out',
      join(w, 'out'),
    ],
    expect: 'error',
    posixOnly: true,
  },
  {
    name: 'fifo-input',
    class: 'not-a-file',
    what: 'a FIFO nobody writes as --input',
    prepare: (w) => {
      execFileSync('mkfifo', [join(w, 'fifo.png')]);
      return [
        'forward',
        join(ROOT, 'examples', 'mnist_convnet.py'),
        '--input',
        join(w, 'fifo.png'),
        '--out',
        join(w, 'out'),
      ];
    },
    expect: 'error',
    check: (r) => (/FIFO/.test(r.err) ? null : `not refused as a pipe: ${r.err}`),
    posixOnly: true,
  },
  {
    name: 'folder-as-file',
    class: 'not-a-file',
    what: 'a folder as FILE',
    prepare: (w) => {
      mkdirSync(join(w, 'dir.py'));
      return ['check', join(w, 'dir.py')];
    },
    expect: 'error',
  },
];

function forwardWith(work: string, weights: string): string[] {
  return [
    'forward',
    join(ROOT, 'examples', 'mnist_convnet.py'),
    '--input',
    DIGIT,
    '--weights',
    weights,
    '--out',
    join(work, 'out'),
  ];
}

/**
 * Problems with a run (empty: correct): the exit code, the shape of its error, the case's own
 * check. The caller adds what it measured (time, memory) and what changed on disk.
 */
export function judge(c: AttackCase, r: AttackRun, work: string): string[] {
  const problems: string[] = [];
  if (c.expect === 'ok' && r.code !== 0) problems.push(`exit code ${r.code}: ${r.err.trim()}`);
  if (c.expect === 'error') {
    if (r.code !== 1 && r.code !== 2) problems.push(`exit code ${r.code}, expected an error (1 or 2)`);
    const err = r.err.trim();
    if (err.length === 0) problems.push('no error message');
    if (err.includes('\n')) problems.push(`an error of ${err.split('\n').length} lines`);
  }
  if (/\n\s+at |internal error|TypeError|RangeError|ReferenceError/.test(r.err))
    problems.push(`a stack trace or internal error: ${r.err.slice(0, 200)}`);
  const own = c.check?.(r, work);
  if (own) problems.push(own);
  return problems;
}

/**
 * Every file under `work` outside the folders named `out` (where forward writes), with its
 * contents: what a run must leave as it was.
 */
export function snapshot(work: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (name !== 'out') walk(p);
      } else if (st.isFile()) files.set(p.slice(work.length + 1), readFileSync(p).toString('base64'));
      else files.set(p.slice(work.length + 1), `special file ${st.mode}`); // a FIFO is never opened
    }
  };
  walk(work);
  return files;
}

/** What changed on disk outside --out, and which files that had to stay were touched. */
export function diskProblems(work: string, before: Map<string, string>, untouched: Map<string, string>): string[] {
  const problems: string[] = [];
  const after = snapshot(work);
  for (const [p, v] of after) if (before.get(p) !== v) problems.push(`written outside --out: ${p}`);
  for (const p of before.keys()) if (!after.has(p)) problems.push(`deleted outside --out: ${p}`);
  for (const [p, v] of untouched) {
    const now = existsSync(join(work, p)) ? readFileSync(join(work, p)).toString('base64') : null;
    if (now !== v) problems.push(`overwritten or removed: ${p}`);
  }
  return problems;
}

/** The contents of a case's `untouched` files before it runs. */
export function untouchedBefore(c: AttackCase, work: string): Map<string, string> {
  return new Map((c.untouched ?? []).map((p) => [p, readFileSync(join(work, p)).toString('base64')]));
}

/** Writes the small binary files of the corpus into test/fixtures/attack/. */
if (process.argv[1]?.endsWith('attack-corpus.ts')) {
  for (const [name, bytes] of Object.entries(smallBinaries())) {
    writeFileSync(attack(name), bytes);
    console.log(`wrote ${attack(name)} (${bytes.length} bytes)`);
  }
}
