/**
 * Measures corpus models each in its own worker thread with a memory cap and a time limit: the
 * analyzer must never crash or hang on real library source, and when it does the measurement
 * records that (a crashed result) instead of dying with it. The worker is scripts/corpus-worker.ts
 * bundled once by esbuild into the temp folder, one bundle per checkout (worker threads cannot
 * load TypeScript themselves; checkouts that share one .corpus must not share the bundle).
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CORPUS_DIR, crashedResult, ROOT, type ModelResult, type TruthModel } from './corpus-compare';

export interface IsolateOptions {
  /** Old-generation heap cap of each worker (MB). */
  memoryMb?: number;
  timeoutMs?: number;
}

let bundled: Promise<string> | null = null;

function workerBundle(): Promise<string> {
  const tag = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
  const outfile = join(tmpdir(), `convlens-corpus-worker-${tag}.mjs`);
  bundled ??= build({
    entryPoints: [join(ROOT, 'scripts', 'corpus-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  }).then(() => outfile);
  return bundled;
}

export async function measureIsolated(m: TruthModel, opts: IsolateOptions = {}): Promise<ModelResult> {
  const file = await workerBundle();
  const t0 = performance.now();
  return new Promise<ModelResult>((resolve) => {
    const worker = new Worker(file, {
      workerData: { model: m, corpusDir: CORPUS_DIR },
      resourceLimits: { maxOldGenerationSizeMb: opts.memoryMb ?? 512 },
    });
    let settled = false;
    const settle = (r: ModelResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timer = setTimeout(
      () => settle(crashedResult(m, `still running after ${timeoutMs / 1000} s`, performance.now() - t0)),
      timeoutMs,
    );
    worker.once('message', (r: ModelResult) => settle(r));
    worker.once('error', (e: Error & { code?: string }) =>
      settle(
        crashedResult(
          m,
          e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory above ${opts.memoryMb ?? 512} MB` : e.message,
          performance.now() - t0,
        ),
      ),
    );
    worker.once('exit', (code) => settle(crashedResult(m, `worker exited with code ${code}`, performance.now() - t0)));
  });
}
