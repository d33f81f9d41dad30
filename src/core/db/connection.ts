import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of the database file, or ':memory:'. */
  file: string;
  readonly?: boolean;
  /** better-sqlite3 native binding (Electron ships its own build of it). */
  nativeBinding?: string;
}

/**
 * Open (creating if needed) a study database: WAL for concurrent readers, synchronous=FULL so a
 * committed grade survives a power cut, foreign keys on, then migrate to the newest schema.
 */
export function openDatabase(opts: OpenOptions): Db {
  if (opts.file !== ':memory:') mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
  const db = new Database(opts.file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db, opts.file);
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
