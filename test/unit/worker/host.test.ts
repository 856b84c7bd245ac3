/**
 * The host's dispatch without a worker: jobs are looked up by name (an unknown name is an error
 * response), run under the request's element cap, and what they throw becomes a typed code.
 */
import { describe, expect, it } from 'vitest';
import { EngineError, getMaxElements, tensor } from '../../../src/engine';
import { panelJob, viewTransfers, type ViewRequest } from '../../../src/present/panelJob';
import { analyze } from '../../../src/analysis/analyze';
import { handleRequest, jobTable } from '../../../src/worker/host';
import { JobError, runJob, settle, type JobDef, type JobRequest } from '../../../src/worker/jobs';
import { randomArray, rng } from '../helpers/random';

const job = <Req, Res>(name: string, run: (r: Req) => Res): JobDef<Req, Res> => ({ name, run, transfers: () => [] });
const req = <P>(job: string, payload: P, maxElements = getMaxElements()): JobRequest<P> => ({
  id: 42,
  job,
  payload,
  maxElements,
});

describe('handleRequest', () => {
  const table = jobTable([job('double', (n: number) => n * 2), panelJob]);

  it('an unknown job name gets an error response naming the jobs there are', () => {
    const { response, transfers } = handleRequest(table, req('panel.nope', {}));
    expect(response).toMatchObject({ id: 42, ok: false, code: 'unknown-job' });
    expect(!response.ok && response.message).toContain('panel.view');
    expect(transfers).toEqual([]);
    expect(() => settle(response)).toThrow(JobError);
  });

  it('a request without a job name or cap is answered, not thrown', () => {
    const bad = { id: 7 } as unknown as JobRequest;
    expect(handleRequest(table, bad).response).toMatchObject({ id: 7, ok: false, code: 'unknown-job' });
    expect(handleRequest(table, { ...req('double', 1), maxElements: Number.NaN }).response).toMatchObject({
      ok: false,
      code: 'bad-argument',
    });
  });

  it('runs the named job and lists its result buffers once each', () => {
    expect(handleRequest(table, req('double', 21)).response).toMatchObject({ id: 42, ok: true, result: 42 });
    const graph = analyze(
      'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input(shape=(6, 6, 1)), layers.Conv2D(2, 3)])\n',
    ).models[0]!;
    const view: ViewRequest = {
      graph,
      index: 0,
      input: tensor([1, 6, 6, 1], randomArray(rng(1), 36)),
      seed: 0,
      fileWeights: null,
      preset: null,
      weightsInfo: { kind: 'random', seed: 0 },
      preprocessing: [],
    };
    const { response, transfers } = handleRequest(table, req('panel.view', view));
    expect(response.ok).toBe(true);
    const result = settle(response) as ReturnType<typeof panelJob.run>;
    expect(new Set(transfers)).toEqual(new Set(viewTransfers(result)));
    expect(new Set(transfers).size).toBe(transfers.length);
  });

  it('two jobs with one name are refused', () => {
    expect(() => jobTable([job('a', () => 1), job('a', () => 2)])).toThrow(/two jobs named 'a'/);
  });
});

describe('runJob', () => {
  it('sets the request cap while the job runs and restores it after', () => {
    const before = getMaxElements();
    const res = runJob(
      job('cap', () => getMaxElements()),
      req('cap', null, 12345),
    );
    expect(res).toMatchObject({ ok: true, result: 12345 });
    expect(getMaxElements()).toBe(before);
    runJob(
      job('boom', () => {
        throw new Error('x');
      }),
      req('boom', null, 999),
    );
    expect(getMaxElements()).toBe(before);
  });

  it('maps EngineError to its code, RangeError to too-many-elements, anything else to internal', () => {
    const engine = runJob(
      job('e', () => {
        throw new EngineError('kernel-too-large', 'kernel 5 > input 3');
      }),
      req('e', null),
    );
    expect(engine).toEqual({ id: 42, ok: false, code: 'kernel-too-large', message: 'kernel 5 > input 3' });
    const range = runJob(
      job('r', () => new Float32Array(-1)),
      req('r', null),
    );
    expect(range).toMatchObject({ ok: false, code: 'too-many-elements' });
    const other = runJob(
      job('o', () => {
        throw new TypeError('oops');
      }),
      req('o', null),
    );
    expect(other).toEqual({ id: 42, ok: false, code: 'internal', message: 'oops' });
    expect(
      runJob(
        job('s', () => {
          throw 'text';
        }),
        req('s', null),
      ),
    ).toMatchObject({ code: 'internal', message: 'text' });
  });

  it('settle rethrows engine codes as EngineError and the rest as JobError', () => {
    expect(() => settle({ id: 1, ok: false, code: 'channel-mismatch', message: 'm' })).toThrow(
      expect.objectContaining({ name: 'EngineError', code: 'channel-mismatch' }),
    );
    expect(() => settle({ id: 1, ok: false, code: 'internal', message: 'm' })).toThrow(
      expect.objectContaining({ name: 'JobError', code: 'internal' }),
    );
    expect(settle({ id: 1, ok: true, result: 'r', ms: 0 })).toBe('r');
  });
});
