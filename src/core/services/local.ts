// Running the services in-process for the headless CLI: open the database, call channels through
// the same dispatch (same validation, same blinding, same errors) the desktop app uses, close.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { ApiError } from '../../shared/contract';
import type { Input, Output, ServiceChannel } from '../../shared/contract';
import { dispatch } from './index';
import { defaultModelRoots, openServiceHost } from './host';

const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

export type Call = <C extends ServiceChannel>(channel: C, input: Input<C>) => Promise<Output<C>>;

/** Open the services over `dbPath`, run `fn` with a typed `call`, and always close the database. */
export async function withLocalServices<T>(dbPath: string, fn: (call: Call) => Promise<T>): Promise<T> {
  // A typo in --db must not quietly start an empty study.
  if (dbPath !== ':memory:' && !existsSync(dbPath)) {
    throw new ApiError(
      'NOT_FOUND',
      `no study database at ${dbPath} (give one with --db, or run kneegrade import first)`,
    );
  }
  const modelRoots = defaultModelRoots(appRoot, dbPath);
  if (process.env.KNEEGRADE_DEFAULT_MODELS) modelRoots.defaults = process.env.KNEEGRADE_DEFAULT_MODELS;
  const host = openServiceHost({
    dbPath,
    modelRoots,
    workDir: path.join(path.dirname(path.resolve(dbPath)), 'work'),
    transport: 'cli',
    version: appVersion(),
  });
  try {
    return await fn((channel, input) => dispatch(channel, input, host.ctx));
  } finally {
    host.close();
  }
}
