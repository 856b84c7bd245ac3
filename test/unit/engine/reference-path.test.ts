/**
 * The oracle and behaviour suites again, on the pure-TypeScript reference path: the other test
 * files run the engine's default (the WebAssembly SIMD fast path), and the reference path must
 * stay just as exact, since it is the fallback wherever WebAssembly SIMD is missing.
 *
 * The first import switches the path before the suites' modules are evaluated (ES modules run
 * in import order), so every test they register runs with setKernelPath('reference').
 */
import './helpers/use-reference-kernels';
import './tf-oracle-conv.test';
import './tf-oracle-ops.test';
import './torch-oracle.test';
import './textbook.test';
import './errors.test';
import { describe, expect, it } from 'vitest';
import { activeKernels } from '../../../src/engine';

describe('reference path', () => {
  it('is the path these suites ran on', () => {
    expect(activeKernels()).toBe('reference');
  });
});
