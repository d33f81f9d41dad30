// The host side of the inference worker: starts the worker thread, matches answers to requests by
// sequence id, forwards cancellation, and restarts a worker that died (a crash fails the requests
// in flight with a clear error; the next request gets a fresh worker that reloads its sessions).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CancelledError,
  InferenceError,
  type ModelRef,
  type OcclusionResult,
  type ProviderRequest,
  type RunResult,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';

type Pending = {
  resolve: (r: RunResult | OcclusionResult) => void;
  reject: (e: Error) => void;
  onProgress?: (done: number, total: number) => void;
};

// Distributive Omit, so each request kind keeps its own fields.
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
type NewRequest = DistributiveOmit<Exclude<WorkerRequest, { kind: 'cancel' }>, 'seq'>;

export interface HostOptions {
  /** The worker script. Default: inference-worker.js beside this module when bundled, else the tsx bootstrap. */
  workerUrl?: URL;
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  provider?: ProviderRequest;
}

/** Where the worker script is: the bundled inference-worker.js (Electron build) or the tsx bootstrap (sources). */
export function defaultWorkerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return pathToFileURL(path.join(path.dirname(here), 'worker-bootstrap.mjs'));
  // electron.vite.config.ts bundles worker.ts as out/main/inference-worker.js, beside the module
  // that inlines this host.
  const bundled = path.join(path.dirname(here), 'inference-worker.js');
  if (existsSync(bundled)) return pathToFileURL(bundled);
  return pathToFileURL(path.join(path.dirname(here), 'worker.js'));
}

export class InferenceHost {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  /** Workers started so far (1 + restarts); tests and diagnostics read it. */
  starts = 0;
  readonly provider: ProviderRequest;

  constructor(private readonly opts: HostOptions = {}) {
    this.provider = opts.provider ?? 'auto';
  }

  private ensureWorker(): Worker {
    if (this.closed) throw new InferenceError('the inference host is closed');
    if (this.worker) return this.worker;
    const w = new Worker(this.opts.workerUrl ?? defaultWorkerUrl(), {
      workerData: { threads: this.opts.threads },
    });
    this.starts++;
    w.on('message', (m: WorkerResponse) => this.onMessage(m));
    w.on('error', (e) => this.onDeath(w, `inference worker crashed: ${e.message}`));
    w.on('exit', (code) => this.onDeath(w, `inference worker exited (code ${code})`));
    // The CLI must be able to exit while the worker idles.
    w.unref();
    this.worker = w;
    return w;
  }

  private onDeath(w: Worker, reason: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    const err = new InferenceError(reason, 'WORKER_DIED');
    for (const [seq, p] of this.pending) {
      this.pending.delete(seq);
      p.reject(err);
    }
  }

  private onMessage(m: WorkerResponse): void {
    const p = this.pending.get(m.seq);
    if (!p) return;
    if (m.kind === 'progress') {
      p.onProgress?.(m.done, m.total);
      return;
    }
    this.pending.delete(m.seq);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.kind === 'error') {
      p.reject(
        m.error.code === 'CANCELLED' || m.error.name === 'CancelledError'
          ? new CancelledError(m.error.message)
          : new InferenceError(m.error.message, m.error.code),
      );
    } else p.resolve(m);
  }

  private request<T extends RunResult | OcclusionResult>(
    req: NewRequest,
    opts: {
      signal?: AbortSignal;
      onProgress?: (done: number, total: number) => void;
      transfer?: ArrayBuffer[];
    } = {},
  ): Promise<T> {
    if (opts.signal?.aborted) return Promise.reject(new CancelledError());
    const w = this.ensureWorker();
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => w.postMessage({ kind: 'cancel', seq } satisfies WorkerRequest);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => opts.signal?.removeEventListener('abort', onAbort);
      this.pending.set(seq, {
        resolve: (r) => {
          cleanup();
          resolve(r as T);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      w.ref();
      w.postMessage({ ...req, seq }, opts.transfer ?? []);
    });
  }

  /** Load (or reuse) the session; resolves with the provider that will run it. */
  async warm(model: ModelRef): Promise<RunResult> {
    return this.request<RunResult>({ kind: 'warm', model, provider: this.provider });
  }

  /** Run one NCHW batch. `data` is transferred to the worker (unusable afterwards). */
  async run(
    model: ModelRef,
    data: Float32Array,
    dims: [number, number, number, number],
    signal?: AbortSignal,
  ): Promise<RunResult> {
    return this.request<RunResult>(
      { kind: 'run', model, provider: this.provider, data, dims },
      { ...(signal ? { signal } : {}), transfer: [data.buffer as ArrayBuffer] },
    );
  }

  async occlusion(
    model: ModelRef,
    input: { data: Float32Array; channels: number; size: number },
    opts: {
      patch: number;
      stride: number;
      fill: number[];
      batch?: number;
      signal?: AbortSignal;
      onProgress?: (done: number, total: number) => void;
    },
  ): Promise<OcclusionResult> {
    return this.request<OcclusionResult>(
      {
        kind: 'occlusion',
        model,
        provider: this.provider,
        data: input.data,
        channels: input.channels,
        size: input.size,
        patch: opts.patch,
        stride: opts.stride,
        fill: opts.fill,
        batch: opts.batch ?? 16,
      },
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      },
    );
  }

  /** Test hook: kill the worker as a crash would. */
  async crashWorkerForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const [seq, p] of this.pending) {
      this.pending.delete(seq);
      p.reject(new InferenceError('the inference host was closed', 'CLOSED'));
    }
    await w?.terminate();
  }
}
