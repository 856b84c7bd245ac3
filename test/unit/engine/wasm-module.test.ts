/**
 * The generated module src/engine/wasm/kernels.gen.ts (committed, so a fresh clone typechecks)
 * must be exactly what scripts/gen-wasm.mjs assembles from the .wat sources with the pinned wabt:
 * a stale or hand-edited file fails here. Also: the engine finds WebAssembly SIMD on Node 20, and
 * its base64 decoder agrees with Node's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeBase64Loop, simdSupported } from '../../../src/engine/wasm/runtime';
import {
  KERNELS_FMA_SHARED_WASM_BASE64,
  KERNELS_FMA_WASM_BASE64,
  KERNELS_SHARED_WASM_BASE64,
  KERNELS_WASM_BASE64,
} from '../../../src/engine/wasm/kernels.gen';
// @ts-expect-error -- plain .mjs build script without type declarations
import { generate, GENERATED } from '../../../scripts/gen-wasm.mjs';

describe('generated WebAssembly module', () => {
  it('kernels.gen.ts is reproduced byte for byte by scripts/gen-wasm.mjs', async () => {
    const text = (await generate()) as string;
    expect(
      readFileSync(GENERATED as string, 'utf8') === text,
      'stale: run `node scripts/gen-wasm.mjs` (or `npm run build`)',
    ).toBe(true);
  });

  it('both variants are valid modules and the runtime detects SIMD', () => {
    expect(simdSupported()).toBe(true);
    for (const b64 of [KERNELS_WASM_BASE64, KERNELS_SHARED_WASM_BASE64]) {
      const bytes = decodeBase64(b64);
      expect(Buffer.from(bytes).equals(Buffer.from(b64, 'base64'))).toBe(true);
      // the decoder without atob (an environment that has none) gives the same bytes
      expect(Buffer.from(decodeBase64Loop(b64)).equals(Buffer.from(bytes))).toBe(true);
      expect(
        (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(bytes),
      ).toBe(true);
    }
  });
});

describe('base64 decoding', () => {
  it('with atob and without, every kernels module and every padding, as Node decodes it', () => {
    for (const b64 of [
      KERNELS_WASM_BASE64,
      KERNELS_SHARED_WASM_BASE64,
      KERNELS_FMA_WASM_BASE64,
      KERNELS_FMA_SHARED_WASM_BASE64,
    ]) {
      const node = Buffer.from(b64, 'base64');
      expect(Buffer.from(decodeBase64(b64)).equals(node)).toBe(true);
      expect(Buffer.from(decodeBase64Loop(b64)).equals(node)).toBe(true);
    }
    for (let n = 0; n < 8; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes));
      expect(Array.from(decodeBase64Loop(b64))).toEqual(Array.from(bytes));
    }
    expect(() => decodeBase64Loop('ab$d')).toThrow(/bad base64 character at 2/);
  });
});
