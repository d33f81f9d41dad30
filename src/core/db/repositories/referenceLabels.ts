import type { Db } from '../connection';
import { nowIso } from './time';

/**
 * Reference labels: grades that come with the data (dataset folder or CSV labels, phantom ground truth),
 * one per knee and source. Unlike reader grades they are not a reading and may be replaced by a
 * re-import of the same source.
 */
export interface ReferenceLabel {
  id: number;
  kneeId: number;
  source: string;
  klg: number;
  createdAt: string;
}

interface LabelRow {
  id: number;
  knee_id: number;
  source: string;
  klg: number;
  created_at: string;
}

function toLabel(r: LabelRow): ReferenceLabel {
  return { id: r.id, kneeId: r.knee_id, source: r.source, klg: r.klg, createdAt: r.created_at };
}

export function upsertReferenceLabel(
  db: Db,
  input: { kneeId: number; source: string; klg: number },
): ReferenceLabel {
  if (!Number.isInteger(input.klg) || input.klg < 0 || input.klg > 4)
    throw new Error(`reference label klg must be an integer 0-4, got ${input.klg}`);
  if (!input.source.trim()) throw new Error('a reference label needs a source');
  db.prepare(
    `INSERT INTO reference_labels (knee_id, source, klg, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(knee_id, source) DO UPDATE SET klg = excluded.klg, created_at = excluded.created_at`,
  ).run(input.kneeId, input.source, input.klg, nowIso());
  const r = db
    .prepare('SELECT * FROM reference_labels WHERE knee_id = ? AND source = ?')
    .get(input.kneeId, input.source) as LabelRow;
  return toLabel(r);
}

export function listReferenceLabels(
  db: Db,
  filter: { kneeIds?: readonly number[]; source?: string } = {},
): ReferenceLabel[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.kneeIds) {
    where.push('knee_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.kneeIds));
  }
  if (filter.source !== undefined) {
    where.push('source = ?');
    params.push(filter.source);
  }
  const sql = `SELECT * FROM reference_labels ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY knee_id, source`;
  return (db.prepare(sql).all(...params) as LabelRow[]).map(toLabel);
}

/** The distinct label sources in the database, e.g. ['folder', 'phantom-truth']. */
export function listReferenceSources(db: Db): string[] {
  return (
    db.prepare('SELECT DISTINCT source FROM reference_labels ORDER BY source').all() as { source: string }[]
  ).map((r) => r.source);
}
