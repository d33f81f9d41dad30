import os from 'node:os';
import path from 'node:path';

/** Options every command understands. */
export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/** The default study database: the same file the desktop app uses (Electron's userData folder). */
export function defaultDbPath(): string {
  if (process.env.KNEEGRADE_DB) return process.env.KNEEGRADE_DB;
  const home = os.homedir();
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'KneeGrade', 'kneegrade.db');
  if (process.platform === 'win32')
    return path.join(
      process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'),
      'KneeGrade',
      'kneegrade.db',
    );
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'KneeGrade', 'kneegrade.db');
}

/** Exit codes: 0 ok, 1 failure, 2 usage error, 3 database too new, 4 partial (some inputs failed). */
export const EXIT = { OK: 0, FAIL: 1, USAGE: 2, DB_TOO_NEW: 3, PARTIAL: 4 } as const;

/** An error a command reports as one clear line (no stack trace) with an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAIL,
  ) {
    super(message);
  }
}
