// Messages between the Electron main process and the core utility process.
import type { Envelope, EventName, ServiceChannel } from '../shared/contract';

export interface CoreConfig {
  dbPath: string;
  modelRoots: { defaults: string; user: string };
  workDir: string;
  version: string;
  /** better-sqlite3 built for Electron's Node ABI (see scripts/start.mjs). */
  nativeBinding?: string;
  /** The bundled inference worker (out/main/inference-worker.js). */
  inferenceWorker?: string;
}

export type ToCore =
  | { type: 'init'; config: CoreConfig }
  | { type: 'call'; id: number; channel: ServiceChannel; input: unknown };

export type FromCore =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };
