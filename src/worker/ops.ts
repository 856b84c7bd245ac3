/**
 * The engine ops that can run off the main thread, keyed by name. Requests carry tensors as
 * { shape, data: Float32Array } (structured-cloned or transferred), never as JSON.
 */
import * as E from '../engine';
import { computeLayerView, type ViewRequest } from '../present/panelJob';
import type { LayerView } from '../shared/protocol';

export interface WireTensor {
  shape: number[];
  data: Float32Array;
}

type Runner = (inputs: E.Tensor[], options: Record<string, unknown>) => E.Tensor;

function opts<T>(o: Record<string, unknown>): T {
  return o as T;
}

export const WORKER_OPS = {
  conv2d: ([x, k], o) => E.conv2d(x!, k!, opts(o)),
  conv1d: ([x, k], o) => E.conv1d(x!, k!, opts(o)),
  depthwiseConv2d: ([x, k], o) => E.depthwiseConv2d(x!, k!, opts(o)),
  conv2dTranspose: ([x, k], o) => E.conv2dTranspose(x!, k!, opts(o)),
  pool2d: ([x], o) => E.pool2d(x!, opts(o)),
  pool1d: ([x], o) => E.pool1d(x!, opts(o)),
  dense: ([x, k], o) => E.dense(x!, k!, opts(o)),
  activation: ([x], o) => E.activation(x!, String(o['name']), opts(o)),
} satisfies Record<string, Runner>;

export type WorkerOp = keyof typeof WORKER_OPS;

export interface WorkerRequest {
  id: number;
  op: WorkerOp;
  inputs: WireTensor[];
  options: Record<string, unknown>;
  maxElements: number;
}

export type WorkerResponse =
  | { id: number; ok: true; output: WireTensor; ms: number }
  | { id: number; ok: false; code: string; message: string };

/** Runs one request; engine errors become a response, anything else is reported as internal. */
export function runRequest(req: WorkerRequest): WorkerResponse {
  const start = performance.now();
  const prevCap = E.setMaxElements(req.maxElements);
  try {
    const runner: Runner | undefined = (WORKER_OPS as Record<string, Runner>)[req.op];
    if (!runner) return { id: req.id, ok: false, code: 'bad-argument', message: `unknown engine op '${req.op}'` };
    const inputs = req.inputs.map((t) => E.tensor(t.shape, t.data, req.op));
    const out = runner(inputs, req.options);
    return { id: req.id, ok: true, output: { shape: [...out.shape], data: out.data }, ms: performance.now() - start };
  } catch (e) {
    if (e instanceof E.EngineError) return { id: req.id, ok: false, code: e.code, message: e.message };
    if (e instanceof RangeError) return { id: req.id, ok: false, code: 'too-many-elements', message: `${req.op}: out of memory (${e.message})` };
    return { id: req.id, ok: false, code: 'internal', message: `${req.op}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    E.setMaxElements(prevCap);
  }
}

// ---- panel jobs: run a model up to a layer and build its view ----

export interface ViewJobRequest {
  id: number;
  kind: 'view';
  job: ViewRequest;
  maxElements: number;
}

export type ViewJobResponse =
  | { id: number; ok: true; view: LayerView; ms: number }
  | { id: number; ok: false; code: string; message: string };

export function isViewJob(req: unknown): req is ViewJobRequest {
  return typeof req === 'object' && req !== null && (req as { kind?: unknown }).kind === 'view';
}

export function runViewJob(req: ViewJobRequest): ViewJobResponse {
  const start = performance.now();
  const prevCap = E.setMaxElements(req.maxElements);
  try {
    return { id: req.id, ok: true, view: computeLayerView(req.job), ms: performance.now() - start };
  } catch (e) {
    if (e instanceof E.EngineError) return { id: req.id, ok: false, code: e.code, message: e.message };
    if (e instanceof RangeError) return { id: req.id, ok: false, code: 'too-many-elements', message: `out of memory (${e.message})` };
    return { id: req.id, ok: false, code: 'internal', message: e instanceof Error ? e.message : String(e) };
  } finally {
    E.setMaxElements(prevCap);
  }
}

/** The buffers of a view, moved (not copied) back to the extension host. */
export function viewTransfers(v: LayerView): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const t of [v.input, v.output, v.preActivation, v.otherPool]) if (t) out.add(t.data.buffer as ArrayBuffer);
  if (v.kernels) {
    out.add(v.kernels.data.buffer as ArrayBuffer);
    if (v.kernels.bias) out.add(v.kernels.bias.buffer as ArrayBuffer);
  }
  return [...out];
}
