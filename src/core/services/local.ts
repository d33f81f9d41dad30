// Running the services in-process for the headless CLI: open the database, call channels through
// the same dispatch (same validation, same blinding, same errors) the desktop app uses, close.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { Input, Output, ServiceChannel } from '../../shared/contract';
import { dispatch } from './index';
import { defaultModelRoots, openServiceHost } from './host';

const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export type Call = <C extends ServiceChannel>(channel: C, input: Input<C>) => Promise<Output<C>>;

/** Open the services over `dbPath`, run `fn` with a typed `call`, and always close the database. */
export async function withLocalServices<T>(dbPath: string, fn: (call: Call) => Promise<T>): Promise<T> {
  const host = openServiceHost({
    dbPath,
    modelRoots: defaultModelRoots(appRoot, dbPath),
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
