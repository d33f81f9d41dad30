import type { Db } from '../connection';
import { nowIso } from './time';

/** A person (or a named label source) who grades knees. Names are unique within a database. */
export interface Reader {
  id: number;
  name: string;
  role: string;
  createdAt: string;
}

interface ReaderRow {
  id: number;
  name: string;
  role: string;
  created_at: string;
}

function toReader(r: ReaderRow): Reader {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at };
}

export class ReaderExistsError extends Error {
  readonly code = 'READER_EXISTS';
  constructor(readonly readerName: string) {
    super(`a reader named "${readerName}" already exists`);
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('a reader needs a non-empty name');
  return trimmed;
}

export function createReader(db: Db, input: { name: string; role?: string }): Reader {
  const name = checkName(input.name);
  if (getReaderByName(db, name)) throw new ReaderExistsError(name);
  const info = db
    .prepare('INSERT INTO readers (name, role, created_at) VALUES (?, ?, ?)')
    .run(name, input.role ?? 'reader', nowIso());
  return getReader(db, Number(info.lastInsertRowid))!;
}

export function getReader(db: Db, id: number): Reader | undefined {
  const r = db.prepare('SELECT * FROM readers WHERE id = ?').get(id) as ReaderRow | undefined;
  return r ? toReader(r) : undefined;
}

export function getReaderByName(db: Db, name: string): Reader | undefined {
  const r = db.prepare('SELECT * FROM readers WHERE name = ?').get(name.trim()) as ReaderRow | undefined;
  return r ? toReader(r) : undefined;
}

export function listReaders(db: Db): Reader[] {
  return (db.prepare('SELECT * FROM readers ORDER BY name').all() as ReaderRow[]).map(toReader);
}

/** The reader with this name, created (with `role`) if new. */
export function ensureReader(db: Db, name: string, role = 'reader'): Reader {
  return getReaderByName(db, name) ?? createReader(db, { name, role });
}
