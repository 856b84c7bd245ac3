/** The engine worker (dist/worker.js, built by `npm run build`) gives the in-process result. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2d, EngineError, tensor } from '../../../src/engine';
import { CancelledError, EngineClient } from '../../../src/worker/client';
import { rng, randomArray } from '../helpers/random';

const workerPath = resolve('dist/worker.js');

describe('engine worker', () => {
  it('dist/worker.js exists (run `npm run build` first)', () => {
    expect(existsSync(workerPath)).toBe(true);
  });

  const client = new EngineClient({ workerPath });
  afterAll(() => client.dispose());

  it('conv2d in the worker equals conv2d in-process', async () => {
    const r = rng(7);
    const x = tensor([1, 9, 9, 3], randomArray(r, 243));
    const k = tensor([3, 3, 3, 4], randomArray(r, 108));
    const opts = { layout: 'channelsLast', padding: 'same', strides: 2 } as const;
    const got = await client.run('conv2d', [x, k], opts);
    const want = conv2d(x, k, opts);
    expect(got.shape).toEqual(want.shape);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    expect(client.inProcess).toBe(false);
  });

  it('engine errors come back typed, with their message', async () => {
    const err = await client.run('conv2d', [tensor([1, 3, 3, 1], new Float32Array(9)), tensor([5, 5, 1, 1], new Float32Array(25))], { layout: 'channelsLast' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('kernel-too-large');
  });

  it('a newer request with the same key cancels the older one', async () => {
    const r = rng(3);
    const big = tensor([1, 96, 96, 32], randomArray(r, 96 * 96 * 32));
    const k = tensor([3, 3, 32, 64], randomArray(r, 3 * 3 * 32 * 64));
    const first = client.run('conv2d', [big, k], { layout: 'channelsLast', padding: 'same' }, 'panel');
    const second = client.run('pool2d', [tensor([1, 4, 4, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])], { layout: 'channelsLast', mode: 'max', poolSize: 2 }, 'panel');
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    const pooled = await second;
    expect(Array.from(pooled.data)).toEqual([6, 8, 14, 16]);
  });
});
