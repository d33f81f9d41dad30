// The onnxruntime worker thread. session.run() holds its thread for the whole forward pass, so all
// ONNX work happens here, never on the thread that serves the UI or the CLI's progress bar. Sessions
// are created once per model file and reused; graph optimisation is on.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { cudaProviderPresent } from './provider';
import {
  CancelledError,
  toPlainError,
  type ModelRef,
  type OcclusionRequest,
  type Provider,
  type ProviderRequest,
  type RunRequest,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';
import { softmax } from './softmax';

interface Loaded {
  session: ort.InferenceSession;
  provider: Provider;
  fallbackReason?: string;
}

const port = parentPort;
if (!port) throw new Error('inference worker must run in a worker thread');
const threads: number =
  (workerData as { threads?: number } | undefined)?.threads ?? Math.max(1, os.availableParallelism());

const sessions = new Map<string, Promise<Loaded>>();
const cancelled = new Set<number>();
const active = new Set<number>();

function send(msg: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

async function createSession(file: string, providers: string[]): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
}

async function load(model: ModelRef, want: ProviderRequest): Promise<Loaded> {
  if (want !== 'cpu') {
    if (cudaProviderPresent()) {
      try {
        return { session: await createSession(model.file, ['cuda']), provider: 'cuda' };
      } catch (e) {
        const reason = `CUDA provider failed, using CPU: ${(e as Error).message}`;
        return { session: await createSession(model.file, ['cpu']), provider: 'cpu', fallbackReason: reason };
      }
    }
    const session = await createSession(model.file, ['cpu']);
    return want === 'cuda'
      ? {
          session,
          provider: 'cpu',
          fallbackReason:
            'CUDA requested but the onnxruntime CUDA provider library is not installed; using CPU',
        }
      : { session, provider: 'cpu' };
  }
  return { session: await createSession(model.file, ['cpu']), provider: 'cpu' };
}

function getSession(model: ModelRef, want: ProviderRequest): Promise<Loaded> {
  const key = `${model.file}\u0000${model.sha256}\u0000${want}`;
  let p = sessions.get(key);
  if (!p) {
    p = load(model, want);
    // A failed load is not cached: the next request retries (e.g. after the file was fixed).
    p.catch(() => sessions.delete(key));
    sessions.set(key, p);
  }
  return p;
}

async function runBatch(
  l: Loaded,
  model: ModelRef,
  data: Float32Array,
  dims: readonly number[],
): Promise<{ data: Float32Array; dims: number[] }> {
  const feeds = { [model.inputName]: new ort.Tensor('float32', data, dims) };
  const out = await l.session.run(feeds, [model.outputName]);
  const t = out[model.outputName];
  if (!t) throw new Error(`model output '${model.outputName}' missing from the run result`);
  // Copy: the tensor's buffer belongs to onnxruntime.
  return { data: new Float32Array(t.data as Float32Array), dims: [...t.dims] };
}

/** Let queued messages (cancel) be delivered between batches. */
const yieldToMessages = () => new Promise<void>((r) => setImmediate(r));

async function handleRun(req: RunRequest): Promise<void> {
  const l = await getSession(req.model, req.provider);
  if (cancelled.has(req.seq)) throw new CancelledError();
  const r = await runBatch(l, req.model, req.data, req.dims);
  send(
    {
      kind: 'result',
      seq: req.seq,
      provider: l.provider,
      ...(l.fallbackReason ? { fallbackReason: l.fallbackReason } : {}),
      data: r.data,
      dims: r.dims,
    },
    [r.data.buffer as ArrayBuffer],
  );
}

/**
 * Occlusion sensitivity (Zeiler & Fergus 2014): slide a patch filled with the dataset mean over the
 * input and record how much the predicted grade's probability drops. Each pixel's value is the mean
 * drop over the patch positions covering it.
 */
async function handleOcclusion(req: OcclusionRequest): Promise<void> {
  const l = await getSession(req.model, req.provider);
  const { size, channels, patch, stride } = req;
  const plane = size * size;
  const base = await runBatch(l, req.model, req.data, [1, channels, size, size]);
  const probs = softmax(Array.from(base.data));
  let target = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[target]!) target = k;
  const starts: number[] = [];
  for (let s = 0; s + patch <= size; s += stride) starts.push(s);
  if (starts[starts.length - 1]! + patch < size) starts.push(size - patch); // cover the last rows/cols
  const positions: [number, number][] = [];
  for (const y of starts) for (const x of starts) positions.push([y, x]);
  const sum = new Float32Array(plane);
  const count = new Float32Array(plane);
  const batch = Math.max(1, req.batch);
  for (let i = 0; i < positions.length; i += batch) {
    if (cancelled.has(req.seq)) throw new CancelledError();
    const n = Math.min(batch, positions.length - i);
    const data = new Float32Array(n * channels * plane);
    for (let b = 0; b < n; b++) {
      data.set(req.data, b * channels * plane);
      const [py, px] = positions[i + b]!;
      for (let c = 0; c < channels; c++) {
        const off = b * channels * plane + c * plane;
        const fill = req.fill[c] ?? 0;
        for (let y = py; y < py + patch; y++)
          data.fill(fill, off + y * size + px, off + y * size + px + patch);
      }
    }
    const out = await runBatch(l, req.model, data, [n, channels, size, size]);
    const k = out.dims[1]!;
    for (let b = 0; b < n; b++) {
      const p = softmax(Array.from(out.data.subarray(b * k, (b + 1) * k)));
      const drop = probs[target]! - p[target]!;
      const [py, px] = positions[i + b]!;
      for (let y = py; y < py + patch; y++)
        for (let x = px; x < px + patch; x++) {
          sum[y * size + x]! += drop;
          count[y * size + x]! += 1;
        }
    }
    send({ kind: 'progress', seq: req.seq, done: i + n, total: positions.length });
    await yieldToMessages();
  }
  const map = new Float32Array(plane);
  for (let i = 0; i < plane; i++) map[i] = count[i]! > 0 ? sum[i]! / count[i]! : 0;
  send(
    {
      kind: 'result',
      seq: req.seq,
      provider: l.provider,
      ...(l.fallbackReason ? { fallbackReason: l.fallbackReason } : {}),
      probs,
      target,
      map,
      positions: positions.length,
    },
    [map.buffer as ArrayBuffer],
  );
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'cancel') {
    // Only requests still running can be cancelled (a late cancel must not linger).
    if (active.has(msg.seq)) cancelled.add(msg.seq);
    return;
  }
  active.add(msg.seq);
  const work =
    msg.kind === 'run'
      ? handleRun(msg)
      : msg.kind === 'occlusion'
        ? handleOcclusion(msg)
        : getSession(msg.model, msg.provider).then((l) =>
            send({
              kind: 'result',
              seq: msg.seq,
              provider: l.provider,
              ...(l.fallbackReason ? { fallbackReason: l.fallbackReason } : {}),
              data: new Float32Array(0),
              dims: [],
            }),
          );
  work
    .catch((e: unknown) => send({ kind: 'error', seq: msg.seq, error: toPlainError(e) }))
    .finally(() => {
      active.delete(msg.seq);
      cancelled.delete(msg.seq);
    });
});
