import type Database from 'better-sqlite3';
import type { Migration } from './migration';
import { MIGRATIONS } from './migrations';

export class DatabaseTooNewError extends Error {
  readonly code = 'DB_TOO_NEW';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file}: this study database is at schema version ${found}, but this KneeGrade only knows up to ` +
        `version ${supported}. Update KneeGrade to open it; the file was not changed.`,
    );
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring the database up to the newest schema. Each migration and its `user_version` bump commit in
 * one transaction, so a crash leaves the file at a whole version, never half-migrated.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseTooNewError(file, current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (m.sql) db.exec(m.sql);
      m.up?.(db);
      // PRAGMA does not take bound parameters; the version is an integer from our own code.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    })();
  }
  return schemaVersion(db);
}
