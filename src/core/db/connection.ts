import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseTooNewError, migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';

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
    // Refuse a too-new file before anything writes to it: switching to WAL rewrites the header, and a
    // file we cannot understand must be left exactly as it was.
    const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    const found = schemaVersion(db);
    if (found > latest) throw new DatabaseTooNewError(opts.file, found, latest);
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
