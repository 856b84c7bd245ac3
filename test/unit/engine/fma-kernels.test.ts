/**
 * The fused multiply-add kernel variant (relaxed SIMD) and its fallback.
 *
 * - In this process (Node 20: relaxed SIMD is off unless a V8 flag is set), the plain kernels
 *   run; every other fast-path test checks them.
 * - A child process switches relaxed SIMD on (helpers/fma-kernels-child.ts): there the FMA
 *   kernels must be picked, agree with the reference path within the sums' tolerance, and
 *   differ from the plain kernels only in the last bits (where the machine fuses the
 *   multiply-add; an engine may also run relaxed_madd unfused, then they are equal).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fmaKernelsActive, relaxedSimdSupported, setKernelPath } from '../../../src/engine';

describe('FMA kernels', () => {
  it('are used only where relaxed SIMD validates (else the plain kernels run)', () => {
    setKernelPath('fast');
    expect(fmaKernelsActive()).toBe(relaxedSimdSupported());
  });

  it('with relaxed SIMD on: picked, and equal to the reference within tolerance', () => {
    const child = join(__dirname, 'helpers', 'fma-kernels-child.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      supported: boolean;
      fmaActive: boolean;
      maxVsRef: number;
      differsFromPlain: number;
    };
    expect(out.supported).toBe(true);
    expect(out.fmaActive).toBe(true);
    expect(out.maxVsRef).toBeLessThan(3e-5);
  }, 60_000);
});
