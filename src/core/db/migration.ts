import type Database from 'better-sqlite3';

/** One numbered schema step. `sql` runs inside the migration's transaction; `up` may do more. */
export interface Migration {
  version: number;
  name: string;
  sql?: string;
  up?: (db: Database.Database) => void;
}
