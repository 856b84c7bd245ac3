/**
 * Cooperative cancellation: a job checks its request's shared flag between steps and stops with
 * a 'cancelled' response, which the client side turns back into a CancelledError.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, runJob, settle, throwIfCancelled, type JobDef } from '../../../src/worker/jobs';

const steps: JobDef<number, number> = {
  name: 'steps',
  run: (n) => {
    let done = 0;
    for (let i = 0; i < n; i++) {
      throwIfCancelled();
      done++;
    }
    return done;
  },
  transfers: () => [],
};

describe('throwIfCancelled', () => {
  it('a request whose flag is set stops at its first check, as a cancelled response', () => {
    const cancel = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(cancel), 0, 1);
    const res = runJob(steps, { id: 1, job: 'steps', payload: 5, maxElements: 1 << 20, cancel });
    expect(res).toMatchObject({ id: 1, ok: false, code: 'cancelled' });
    expect(() => settle(res)).toThrow(CancelledError);
  });

  it('without a flag set (or without a flag) the job runs to the end; outside a job nothing is checked', () => {
    const cancel = new SharedArrayBuffer(4);
    expect(settle(runJob(steps, { id: 2, job: 'steps', payload: 5, maxElements: 1 << 20, cancel }))).toBe(5);
    expect(settle(runJob(steps, { id: 3, job: 'steps', payload: 3, maxElements: 1 << 20 }))).toBe(3);
    expect(() => throwIfCancelled()).not.toThrow();
  });
});
