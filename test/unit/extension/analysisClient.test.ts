/**
 * The editor's analysis thread (dist/analysisWorker.js, built by `npm run build`): it returns
 * exactly the in-process analysis; a thread that does not answer by the deadline, or that runs
 * out of memory, ends its job with one warning at the start of the file, and the next job gets
 * a fresh thread that works.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { AnalysisClient } from '../../../src/extension/analysisClient';
import { sourceFiles } from '../../../src/io/sourceFiles';
import { analyzeOptions, type WireOptions } from '../../../src/extension/analysisProtocol';
import { startAnalysisThread, threadOf, type AnalysisThread } from '../../../src/extension/analysisThread';
import { generateLargeModelFile } from '../../../scripts/bench-analysis';

const dist = resolve('dist');
const SOURCE = `import torch.nn as nn
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 15 * 15, 10))
# convlens: input_shape=(3, 32, 32)
`;
const OPTIONS: WireOptions = { timeLimitSeconds: 3 };
const inProcessFails = () => {
  throw new Error('the analysis ran in-process');
};

/** A thread that takes jobs and never answers (a hang the in-thread limit does not reach). */
const hanging = (): AnalysisThread =>
  threadOf(
    new Worker(
      `const { parentPort } = require('node:worker_threads'); parentPort.postMessage({ ready: true }); parentPort.on('message', () => { for (;;); });`,
      { eval: true },
    ),
  );

/** A thread that allocates until its heap limit ends it. */
const exhausting = (): AnalysisThread =>
  threadOf(
    new Worker(
      `const { parentPort } = require('node:worker_threads'); parentPort.postMessage({ ready: true }); parentPort.on('message', () => { const a = []; for (;;) a.push(new Array(1e5).fill({ x: 1 })); });`,
      { eval: true, resourceLimits: { maxOldGenerationSizeMb: 32 } },
    ),
  );

let clients: AnalysisClient[] = [];
afterEach(() => {
  for (const c of clients) c.dispose();
  clients = [];
});

function client(starts: (() => AnalysisThread)[], deadlineMs = 20_000): AnalysisClient {
  let n = 0;
  const c = new AnalysisClient(() => (starts[n++] ?? (() => startAnalysisThread(dist)))(), deadlineMs, inProcessFails);
  clients.push(c);
  return c;
}

describe('AnalysisClient', () => {
  it('returns what the analyzer returns in-process, for a small file and the 5,000-line bench file', async () => {
    const c = client([]);
    const expected = analyze(SOURCE, analyzeOptions(OPTIONS, sourceFiles));
    expect(expected.models[0]!.layers.at(-1)!.outputShape!.slice(1)).toEqual([10]);
    expect(await c.analyze('a', 1, SOURCE, OPTIONS)).toEqual(expected);
    const big = generateLargeModelFile();
    expect(await c.analyze('b', 1, big, OPTIONS)).toEqual(analyze(big, analyzeOptions(OPTIONS, sourceFiles)));
    expect(c.threadsStarted).toBe(1);
  });

  it('a thread that does not answer by the deadline is killed; its job says so; the next job works', async () => {
    const c = client([hanging], 1500);
    const t = performance.now();
    const stopped = await c.analyze('a', 1, SOURCE, OPTIONS);
    expect(performance.now() - t).toBeGreaterThanOrEqual(1400);
    expect(stopped.models).toEqual([]);
    expect(stopped.diagnostics).toEqual([
      {
        range: { from: 0, to: 0 },
        severity: 'warning',
        code: 'file-capped',
        args: { detail: 'analysis stopped after 2 s' },
      },
    ]);
    const next = await c.analyze('a', 2, SOURCE, OPTIONS);
    expect(next.models[0]!.layers.at(-1)!.outputShape!.slice(1)).toEqual([10]);
    expect(c.threadsStarted).toBe(2);
  });

  it('a thread that runs out of memory ends its job with a clear warning; the next job works', async () => {
    const c = client([exhausting]);
    const stopped = await c.analyze('a', 1, SOURCE, OPTIONS);
    expect(stopped.capped).toBe('analysis stopped: it ran out of memory (512 MB)');
    const next = await c.analyze('a', 2, SOURCE, OPTIONS);
    expect(next.models[0]!.totalParams).toBe(3 * 8 * 9 + 8 + 1800 * 10 + 10);
  });

  it('a queued job superseded by a newer version of the same document gets the newer result', async () => {
    const c = client([]);
    const first = c.analyze('a', 1, SOURCE, OPTIONS);
    const older = c.analyze('b', 1, SOURCE.replace('nn.Conv2d(3, 8', 'nn.Conv2d(3, 4'), OPTIONS);
    const newer = c.analyze('b', 2, SOURCE.replace('nn.Conv2d(3, 8', 'nn.Conv2d(3, 6'), OPTIONS);
    await first;
    expect(await older).toBe(await newer);
    expect((await newer).models[0]!.layers[0]!.outputShape!.slice(1)).toEqual([6, 30, 30]);
  });

  it('a thread whose script is missing: the waiting job and the next ones run in-process', async () => {
    let inProcess = 0;
    const c = new AnalysisClient(
      () => startAnalysisThread(resolve('no-such-folder')),
      20_000,
      (_k, _v, text, o) => {
        inProcess++;
        return analyze(text, analyzeOptions(o, sourceFiles));
      },
    );
    clients.push(c);
    expect(await c.analyze('a', 1, SOURCE, OPTIONS)).toEqual(analyze(SOURCE, analyzeOptions(OPTIONS, sourceFiles)));
    expect((await c.analyze('a', 2, SOURCE, OPTIONS)).models[0]!.totalParams).toBe(18234);
    expect([inProcess, c.threadsStarted]).toEqual([2, 1]);
  });
});
