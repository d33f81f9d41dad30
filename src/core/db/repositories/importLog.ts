import type { Db } from '../connection';
import { nowIso } from './time';

/** Import batches (one per `import` run) and the per-file errors recorded in them. */
export interface ImportErrorRecord {
  id: number;
  batchId: number;
  path: string;
  code: string;
  reason: string;
  createdAt: string;
}

export interface ImportBatch {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  sources: string[];
  summary: unknown;
}

export function startImportBatch(db: Db, sources: readonly string[]): number {
  const info = db
    .prepare('INSERT INTO import_batches (started_at, sources) VALUES (?, ?)')
    .run(nowIso(), JSON.stringify(sources));
  return Number(info.lastInsertRowid);
}

export function finishImportBatch(db: Db, batchId: number, summary: unknown): void {
  db.prepare('UPDATE import_batches SET finished_at = ?, summary = ? WHERE id = ?').run(
    nowIso(),
    JSON.stringify(summary),
    batchId,
  );
}

export function getImportBatch(db: Db, id: number): ImportBatch | undefined {
  const r = db.prepare('SELECT * FROM import_batches WHERE id = ?').get(id) as
    | { id: number; started_at: string; finished_at: string | null; sources: string; summary: string | null }
    | undefined;
  if (!r) return undefined;
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    sources: JSON.parse(r.sources) as string[],
    summary: r.summary === null ? null : (JSON.parse(r.summary) as unknown),
  };
}

export function recordImportError(
  db: Db,
  e: { batchId: number; path: string; code: string; reason: string },
): ImportErrorRecord {
  const createdAt = nowIso();
  const info = db
    .prepare('INSERT INTO import_errors (batch_id, path, code, reason, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(e.batchId, e.path, e.code, e.reason, createdAt);
  return { id: Number(info.lastInsertRowid), ...e, createdAt };
}

export function listImportErrors(db: Db, filter: { batchId?: number } = {}): ImportErrorRecord[] {
  const rows = (
    filter.batchId === undefined
      ? db.prepare('SELECT * FROM import_errors ORDER BY id').all()
      : db.prepare('SELECT * FROM import_errors WHERE batch_id = ? ORDER BY id').all(filter.batchId)
  ) as { id: number; batch_id: number; path: string; code: string; reason: string; created_at: string }[];
  return rows.map((r) => ({
    id: r.id,
    batchId: r.batch_id,
    path: r.path,
    code: r.code,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}
