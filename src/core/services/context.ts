import type { Db } from '../db/connection';
import type { InferenceHost } from '../inference/host';
import type { EventName, Events } from '../../shared/contract';
import { ApiError } from '../../shared/contract';

/** Everything a service needs from its host (Electron's core process, the bridge, or a test). */
export interface ServiceContext {
  db: Db;
  dbPath: string;
  /** Default models shipped with the app, and the user's own models folder. */
  modelRoots: { defaults: string; user: string };
  /** A folder the app may write to (generated sample phantoms, temporary files). */
  workDir: string;
  transport: 'electron' | 'bridge' | 'cli';
  version: string;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  jobs: JobRegistry;
  /** The onnxruntime worker host, started on first use (most sessions never run a model). */
  inference(): InferenceHost;
}

/** Long jobs (import, inference) by client-chosen id, so `jobs:cancel` can stop them. */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  /** Register a job; a job id still in use is refused so two jobs never share progress events. */
  start(jobId: string | undefined): { signal: AbortSignal; done: () => void } {
    const ctrl = new AbortController();
    if (jobId === undefined) return { signal: ctrl.signal, done: () => undefined };
    if (this.running.has(jobId))
      throw new ApiError('CONFLICT', `a job with id '${jobId}' is already running`);
    this.running.set(jobId, ctrl);
    return { signal: ctrl.signal, done: () => this.running.delete(jobId) };
  }

  cancel(jobId: string): boolean {
    const ctrl = this.running.get(jobId);
    if (!ctrl) return false;
    ctrl.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
