/**
 * JobClient with the engine worker (dist/worker.js, built by `npm run build`): the panel job
 * gives exactly the in-process result, errors come back typed, a newer request with the same
 * key cancels the older one, and a worker that cannot start falls back to running in-process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { EngineError, setMaxElements, tensor, type Tensor } from '../../../src/engine';
import { decodeImage } from '../../../src/io/image';
import { imageJob } from '../../../src/present/imageJob';
import { panelJob, type ViewRequest } from '../../../src/present/panelJob';
import type { LayerView } from '../../../src/shared/protocol';
import { CancelledError, JobClient } from '../../../src/worker/client';
import { JobError, type JobDef } from '../../../src/worker/jobs';
import { nodeWorkerFactory } from '../../../src/worker/nodeWorker';
import { randomArray, rng } from '../helpers/random';

const workerPath = resolve('dist/worker.js');

const SOURCE = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(9, 9, 3)), layers.Conv2D(4, 3, strides=2, padding='same'), layers.MaxPooling2D(2)])
`;
const graph = analyze(SOURCE).models[0]!;

function request(index: number, input: Tensor = tensor([1, 9, 9, 3], randomArray(rng(11), 243))): ViewRequest {
  return {
    graph,
    index,
    input,
    seed: 7,
    fileWeights: null,
    preset: null,
    weightsInfo: { kind: 'random', seed: 7 },
    preprocessing: ['resized'],
  };
}

/** The raw bits of every float in a view, so +0/−0 and NaN payloads count too. */
function bits(v: LayerView): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const add = (k: string, a: Float32Array | null | undefined) => {
    if (a) out[k] = Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  };
  add('input', v.input.data);
  add('output', v.output.data);
  add('preActivation', v.preActivation?.data);
  add('otherPool', v.otherPool?.data);
  add('kernels', v.kernels?.data);
  add('bias', v.kernels?.bias);
  return out;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('expected the promise to reject');
  return e;
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('panel job in the engine worker', () => {
  it('dist/worker.js exists (run `npm run build` first)', () => {
    expect(existsSync(workerPath)).toBe(true);
  });

  const client = new JobClient({ spawn: nodeWorkerFactory(workerPath), jobs: [panelJob] });
  afterAll(() => client.dispose());

  it('the fixture is a real two-layer model', () => {
    expect(graph.layers.map((l) => l.spec.type)).toEqual(['Conv2D', 'MaxPooling2D']);
  });

  for (const [index, kind] of [
    [0, 'conv'],
    [1, 'pool'],
  ] as const) {
    it(`layer ${index} (${kind}) in the worker equals panelJob.run in-process, bit for bit`, async () => {
      const req = request(index);
      const got = await client.run(panelJob, req, 'panel');
      const want = panelJob.run(request(index));
      expect(client.inProcess).toBe(false);
      expect(got.kind).toBe(kind);
      expect(bits(got)).toEqual(bits(want));
      expect(got).toEqual(want);
      // The request was cloned, not moved: the caller's input is intact.
      expect(Array.from(req.input.data)).toEqual(Array.from(request(index).input.data));
    });
  }

  it('a graph over the element cap comes back as the same EngineError as in-process', async () => {
    const small = graph.layers[0]!.outputShape!.slice(1).reduce<number>((a, d) => a * (d as number), 1) - 1;
    const [a, b] = [request(1), request(1)];
    const prev = setMaxElements(small);
    try {
      const pending = client.run(panelJob, a);
      const want = thrown(() => panelJob.run(b));
      const got = await failure(pending);
      expect(want).toBeInstanceOf(EngineError);
      expect(got).toBeInstanceOf(EngineError);
      expect((got as EngineError).code).toBe('too-many-elements');
      expect(got.message).toBe(want.message);
    } finally {
      setMaxElements(prev);
    }
  });

  it('a layer the engine refuses comes back with the engine code, as in-process', async () => {
    const bad = () => request(0, tensor([1, 9, 9, 5], randomArray(rng(2), 405)));
    const want = thrown(() => panelJob.run(bad()));
    const got = await failure(client.run(panelJob, bad()));
    expect(want).toBeInstanceOf(EngineError);
    expect(got).toBeInstanceOf(EngineError);
    expect((got as EngineError).code).toBe((want as EngineError).code);
    expect((got as EngineError).code).toBe('channel-mismatch');
    expect(got.message).toBe(want.message);
  });

  it('a newer request with the same key cancels the older one; the worker and other requests live on', async () => {
    const started = client.workersStarted;
    const first = client.run(panelJob, request(0), 'panel');
    const other = client.run(panelJob, request(0), 'other');
    const second = client.run(panelJob, request(1), 'panel');
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    // the job is asked to stop between layers; the worker is not replaced
    expect(bits(await other)).toEqual(bits(panelJob.run(request(0))));
    expect(bits(await second)).toEqual(bits(panelJob.run(request(1))));
    expect(client.workersStarted).toBe(started);
    expect(client.inProcess).toBe(false);
  });

  it('the input image decodes in the worker to the same pixels; a bad file is a message', async () => {
    const images = new JobClient({ spawn: nodeWorkerFactory(workerPath), jobs: [imageJob] });
    try {
      const bytes = new Uint8Array(readFileSync('media/samples/digit-3.png'));
      const got = await images.run(imageJob, { bytes, name: 'digit-3.png' });
      const want = decodeImage(bytes, 'digit-3.png');
      expect(got.ok && [got.image.width, got.image.height]).toEqual([want.width, want.height]);
      expect(got.ok && Array.from(got.image.rgba)).toEqual(Array.from(want.rgba));
      const bad = await images.run(imageJob, { bytes: new Uint8Array([1, 2, 3]), name: 'junk.png' });
      expect(bad).toMatchObject({ ok: false });
      expect(!bad.ok && bad.message).toMatch(/^junk\.png: /);
    } finally {
      images.dispose();
    }
  });

  it('a job the worker does not host is refused before anything runs', async () => {
    const stranger: JobDef<number, number> = { name: 'stranger', run: (n) => n, transfers: () => [] };
    const e = await failure(client.run(stranger, 1));
    expect(e).toBeInstanceOf(JobError);
    expect((e as JobError).code).toBe('unknown-job');
  });
});

describe('when the worker cannot start, jobs run in-process', () => {
  it('a missing script: the worker fails after construction and the waiting job reruns here', async () => {
    const client = new JobClient({ spawn: nodeWorkerFactory(resolve('dist/no-such-worker.js')), jobs: [panelJob] });
    try {
      const got = await client.run(panelJob, request(0), 'panel');
      expect(client.inProcess).toBe(true);
      expect(bits(got)).toEqual(bits(panelJob.run(request(0))));
      // Later jobs run here directly, with the same typed errors as from the worker.
      const e = await failure(client.run(panelJob, request(0, tensor([1, 9, 9, 5], new Float32Array(405)))));
      expect((e as EngineError).code).toBe('channel-mismatch');
    } finally {
      client.dispose();
    }
  });

  it('a path the Worker constructor rejects: the job runs here at once', async () => {
    const client = new JobClient({ spawn: nodeWorkerFactory('not-a-relative-path.js'), jobs: [panelJob] });
    const got = await client.run(panelJob, request(1));
    expect(client.inProcess).toBe(true);
    expect(bits(got)).toEqual(bits(panelJob.run(request(1))));
    client.dispose();
  });
});

describe('a worker that fails after it started', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-host-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A stand-in host: says it is ready, then does `body` on the first request. */
  const script = (name: string, body: string) => {
    const path = join(dir, `${name}.js`);
    writeFileSync(
      path,
      `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => { ${body} });\nparentPort.postMessage({ ready: true });\n`,
    );
    return path;
  };
  const echo: JobDef<number, number> = { name: 'echo', run: (n) => n, transfers: () => [] };

  it('a crash rejects the waiting job with its error; nothing reruns in-process', async () => {
    const client = new JobClient({
      spawn: nodeWorkerFactory(script('crash', "throw new Error('host crashed');")),
      jobs: [echo],
    });
    const e = await failure(client.run(echo, 1));
    expect(e.message).toContain('host crashed');
    expect(e).not.toBeInstanceOf(EngineError);
    expect(client.inProcess).toBe(false);
    client.dispose();
  });

  it('running out of heap is reported as too-many-elements', async () => {
    const grow = 'const keep = []; for (;;) keep.push(new Array(4096).fill(Math.random()));';
    const client = new JobClient({ spawn: nodeWorkerFactory(script('oom', grow), 32), jobs: [echo] });
    const e = await failure(client.run(echo, 1));
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('too-many-elements');
    expect(client.inProcess).toBe(false);
    client.dispose();
  });
});
