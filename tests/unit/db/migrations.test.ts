import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/connection';
import { DatabaseTooNewError, migrate, schemaVersion } from '../../../src/core/db/migrate';
import { MIGRATIONS } from '../../../src/core/db/migrations';
import { seedDb } from './seed';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-migr-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;

describe('migration 0001 (initial)', () => {
  it('brings a fresh file to user_version 1, every table STRICT, WAL on', () => {
    const db = new Database(path.join(dir, 'a.db'));
    migrate(db, 'a.db', MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    const tables = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; strict: number }[];
    const names = tables.map((t) => t.name).sort();
    expect(names).toEqual(
      [
        'crop_edits',
        'embeddings',
        'grade_events',
        'images',
        'import_batches',
        'import_errors',
        'knees',
        'models',
        'patients',
        'predictions',
        'reading_sessions',
        'readers',
        'reference_labels',
        'settings',
        'studies',
      ].sort(),
    );
    for (const t of tables) expect(t.strict, `${t.name} is STRICT`).toBe(1);
    db.close();
    const opened = openDatabase({ file: path.join(dir, 'a.db') });
    expect(opened.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.pragma('foreign_keys', { simple: true })).toBe(1);
    opened.close();
  });

  it('enforces foreign keys', () => {
    const db = openDatabase({ file: ':memory:' });
    expect(() =>
      db
        .prepare("INSERT INTO studies (patient_id, study_uid, imported_at) VALUES (999, '1.2', '2024-01-01')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('STRICT refuses a value of the wrong type', () => {
    const db = openDatabase({ file: ':memory:' });
    expect(() =>
      db
        .prepare("INSERT INTO readers (name, role, created_at) VALUES ('x', 'reader', ?)")
        .run(Buffer.from([1, 2])),
    ).toThrow(/cannot store BLOB/);
    db.close();
  });

  it('grade_events refuses UPDATE and DELETE (append-only)', () => {
    const { db, rightKneeId } = seedDb();
    db.prepare("INSERT INTO readers (name, created_at) VALUES ('r', 'now')").run();
    db.prepare("INSERT INTO grade_events (knee_id, reader_id, klg, created_at) VALUES (?, 1, 2, 'now')").run(
      rightKneeId,
    );
    expect(() => db.prepare('UPDATE grade_events SET klg = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM grade_events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT klg FROM grade_events').all()).toEqual([{ klg: 2 }]);
    db.close();
  });

  it('a grade needs a klg and a retract needs a target (CHECK)', () => {
    const { db, rightKneeId } = seedDb();
    db.prepare("INSERT INTO readers (name, created_at) VALUES ('r', 'now')").run();
    expect(() =>
      db
        .prepare("INSERT INTO grade_events (knee_id, reader_id, created_at) VALUES (?, 1, 'now')")
        .run(rightKneeId),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO grade_events (knee_id, reader_id, kind, created_at) VALUES (?, 1, 'retract', 'now')",
        )
        .run(rightKneeId),
    ).toThrow(/CHECK/);
    db.close();
  });
});

describe('opening a database', () => {
  it('re-opening a current database is a no-op', () => {
    const file = path.join(dir, 'b.db');
    openDatabase({ file }).close();
    const db = openDatabase({ file });
    expect(schemaVersion(db)).toBe(latest);
    db.close();
  });

  it('refuses a database newer than the code, and leaves the file unchanged', () => {
    const file = path.join(dir, 'new.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();
    const copy = path.join(dir, 'copy.db');
    copyFileSync(file, copy);
    const before = readFileSync(file);
    let err: unknown;
    try {
      openDatabase({ file });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect((err as DatabaseTooNewError).found).toBe(latest + 5);
    expect((err as Error).message).toContain(file);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a failing migration rolls back completely (version stays, no half tables)', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', MIGRATIONS);
    const broken = [
      ...MIGRATIONS,
      {
        version: latest + 1,
        name: 'broken',
        sql: 'CREATE TABLE half (x INTEGER) STRICT; SELECT nonsense FROM nowhere;',
      },
    ];
    expect(() => migrate(db, 'mem', broken)).toThrow();
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });
});
