// Assembles the engine's WebAssembly kernels (src/engine/wasm/*.wat, hand-written) with the npm
// `wabt` package (wat2wasm compiled to JS: no native binary, no download) and writes them as
// base64 into src/engine/wasm/kernels.gen.ts, so the engine loads them with no fs and no fetch.
//
// Two variants are emitted from the same sources, differing only in the imported memory: plain
// (used on one thread, and wherever SharedArrayBuffer is unavailable) and shared (the
// worker_threads pool in src/worker/threads.ts runs the same code on a SharedArrayBuffer).
// A tiny SIMD module is emitted too, for the run-time SIMD probe (WebAssembly.validate).
//
// Each variant is emitted a second time with fused multiply-adds (relaxed SIMD): every
// `(f32x4.add X (f32x4.mul Y Z))` of the sources becomes `(f32x4.relaxed_madd Y Z X)`, nothing
// else changes. The runtime uses them where WebAssembly.validate accepts a relaxed-SIMD probe
// (also emitted), the plain ones elsewhere.
//
// The generated file is committed, so a fresh clone typechecks before any build. It is
// reproducible: same sources + the pinned wabt version ⇒ same bytes. `--check` compares instead
// of writing (exit 1 when stale); test/unit/engine/wasm-module.test.ts runs that check.
//
// Usage: node scripts/gen-wasm.mjs [--check]
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'src/engine/wasm');
export const GENERATED = join(dir, 'kernels.gen.ts');
const outFile = GENERATED;
const require = createRequire(import.meta.url);

/** Memory: imported, grown from JS. 65536 pages = the 4 GiB wasm32 limit; JS sets the real cap. */
const HEADERS = {
  plain: '(import "env" "memory" (memory 1))',
  shared: '(import "env" "memory" (memory 1 65536 shared))',
};

const PROBE = '(module (func (result v128) (f32x4.add (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))))';

const RELAXED_PROBE =
  '(module (func (result v128) (f32x4.relaxed_madd (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))))';

/** End (exclusive) of the s-expression or token starting at i (after any whitespace). */
function skipExpr(text, i) {
  while (/\s/.test(text[i])) i++;
  if (text[i] !== '(') {
    while (i < text.length && !/[\s()]/.test(text[i])) i++;
    return i;
  }
  let depth = 0;
  for (; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
    else if (text[i] === ';' && text[i + 1] === ';') i = text.indexOf('\n', i);
  }
  throw new Error('unbalanced parentheses');
}

/** Rewrites every (f32x4.add X (f32x4.mul Y Z)) as (f32x4.relaxed_madd Y Z X); returns [text, count]. */
export function fuseMultiplyAdds(text) {
  const ADD = '(f32x4.add ';
  const MUL = '(f32x4.mul ';
  let out = '';
  let count = 0;
  let i = 0;
  for (;;) {
    const at = text.indexOf(ADD, i);
    if (at < 0) return [out + text.slice(i), count];
    out += text.slice(i, at);
    const xEnd = skipExpr(text, at + ADD.length);
    let m = xEnd;
    while (/\s/.test(text[m])) m++;
    const mulEnd = text.startsWith(MUL, m) ? skipExpr(text, m) : -1;
    let close = mulEnd;
    if (mulEnd > 0) while (/\s/.test(text[close])) close++;
    if (mulEnd < 0 || text[close] !== ')') {
      out += ADD;
      i = at + ADD.length;
      continue;
    }
    const yEnd = skipExpr(text, m + MUL.length);
    const zEnd = skipExpr(text, yEnd);
    const [x] = fuseMultiplyAdds(text.slice(at + ADD.length, xEnd).trim());
    const [y] = fuseMultiplyAdds(text.slice(m + MUL.length, yEnd).trim());
    const [z] = fuseMultiplyAdds(text.slice(yEnd, zEnd).trim());
    out += `(f32x4.relaxed_madd ${y} ${z} ${x})`;
    count++;
    i = close + 1;
  }
}

function base64Lines(bytes) {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = [];
  for (let i = 0; i < b64.length; i += 96) lines.push(`  '${b64.slice(i, i + 96)}'`);
  return lines.join(',\n');
}

export async function generate() {
  const wabt = await require('wabt')();
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.wat'))
    .sort();
  const body = sources.map((f) => `;; ---- ${f}\n${readFileSync(join(dir, f), 'utf8')}`).join('\n');
  const assemble = (name, text) => {
    const features = { simd: true, threads: true, relaxed_simd: true };
    const mod = wabt.parseWat(name, text, features);
    try {
      mod.validate(features);
      return mod.toBinary({ log: false, write_debug_names: false }).buffer;
    } finally {
      mod.destroy();
    }
  };
  const plain = assemble('kernels.wat', `(module ${HEADERS.plain}\n${body}\n)`);
  const shared = assemble('kernels-shared.wat', `(module ${HEADERS.shared}\n${body}\n)`);
  const probe = assemble('probe.wat', PROBE);
  const [fmaBody, fused] = fuseMultiplyAdds(body);
  if (fused === 0) throw new Error('no f32x4 multiply-add found to fuse');
  const fmaPlain = assemble('kernels-fma.wat', `(module ${HEADERS.plain}\n${fmaBody}\n)`);
  const fmaShared = assemble('kernels-fma-shared.wat', `(module ${HEADERS.shared}\n${fmaBody}\n)`);
  const relaxedProbe = assemble('relaxed-probe.wat', RELAXED_PROBE);
  const wabtVersion = JSON.parse(readFileSync(require.resolve('wabt/package.json'), 'utf8')).version;
  return `/**
 * GENERATED by scripts/gen-wasm.mjs (wabt ${wabtVersion}) from ${sources.map((s) => `src/engine/wasm/${s}`).join(', ')}.
 * Do not edit: change the .wat sources and run \`npm run build\` (or \`node scripts/gen-wasm.mjs\`).
 * test/unit/engine/wasm-module.test.ts fails when this file is stale.
 */

/** The kernels with a plain imported memory (${plain.length} bytes). */
export const KERNELS_WASM_BASE64 = [
${base64Lines(plain)},
].join('');

/** The same kernels importing a shared memory, for the worker_threads pool (${shared.length} bytes). */
export const KERNELS_SHARED_WASM_BASE64 = [
${base64Lines(shared)},
].join('');

/** ${PROBE} */
export const SIMD_PROBE_WASM_BASE64 = '${Buffer.from(probe).toString('base64')}';

/** The kernels with fused multiply-adds (relaxed SIMD; ${fused} f32x4.relaxed_madd), plain memory (${fmaPlain.length} bytes). */
export const KERNELS_FMA_WASM_BASE64 = [
${base64Lines(fmaPlain)},
].join('');

/** The same with a shared memory (${fmaShared.length} bytes). */
export const KERNELS_FMA_SHARED_WASM_BASE64 = [
${base64Lines(fmaShared)},
].join('');

/** ${RELAXED_PROBE} */
export const RELAXED_PROBE_WASM_BASE64 = '${Buffer.from(relaxedProbe).toString('base64')}';
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const text = await generate();
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  if (check) {
    if (current !== text) {
      console.error(`${outFile} is stale: run node scripts/gen-wasm.mjs`);
      process.exit(1);
    }
    console.log('kernels.gen.ts is up to date');
  } else if (current !== text) {
    writeFileSync(outFile, text);
    console.log(`wrote ${outFile}`);
  }
}
