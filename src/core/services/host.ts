// Building a ServiceContext over a database file: shared by the Electron core process, the HTTP
// bridge, the CLI and tests, so they all run the same services the same way.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../db/connection';
import type { EventName, Events } from '../../shared/contract';
import { JobRegistry, type ServiceContext } from './context';
import { pathToFileURL } from 'node:url';
import { InferenceHost } from '../inference/host';

export interface HostOptions {
  dbPath: string;
  modelRoots: { defaults: string; user: string };
  workDir: string;
  transport: 'electron' | 'bridge' | 'cli';
  version: string;
  /** better-sqlite3 native binding (Electron's build); default: the Node build. */
  nativeBinding?: string;
  onEvent?: <E extends EventName>(event: E, payload: Events[E]) => void;
  /** The inference worker script (the Electron build passes its bundled copy); default: the engine's own lookup. */
  inferenceWorker?: string;
}

export interface ServiceHost {
  ctx: ServiceContext;
  close(): void;
}

export function openServiceHost(opts: HostOptions): ServiceHost {
  mkdirSync(opts.workDir, { recursive: true });
  const db: Db = openDatabase({
    file: opts.dbPath,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  const jobs = new JobRegistry();
  let inference: InferenceHost | null = null;
  const ctx: ServiceContext = {
    db,
    dbPath: opts.dbPath === ':memory:' ? ':memory:' : path.resolve(opts.dbPath),
    modelRoots: opts.modelRoots,
    workDir: opts.workDir,
    transport: opts.transport,
    version: opts.version,
    jobs,
    emit: (event, payload) => opts.onEvent?.(event, payload),
    inference: () =>
      (inference ??= new InferenceHost(
        opts.inferenceWorker ? { workerUrl: pathToFileURL(opts.inferenceWorker) } : {},
      )),
  };
  return {
    ctx,
    close: () => {
      jobs.cancelAll();
      void inference?.close();
      db.close();
    },
  };
}

/** The app's default model roots: resources/models in the app, and `models/` beside the database. */
export function defaultModelRoots(appRoot: string, dbPath: string): { defaults: string; user: string } {
  return {
    defaults: path.join(appRoot, 'resources', 'models'),
    user: path.join(path.dirname(path.resolve(dbPath)), 'models'),
  };
}
