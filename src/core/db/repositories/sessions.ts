import type { Db } from '../connection';
import { nowIso } from './time';

/**
 * Reading sessions: one reader grading a fixed list of knees in a recorded, seeded order, optionally
 * blinded (no reference, model or other readers' grades shown) or AI-aided (model grades shown), or a
 * re-read of an earlier session after a washout. Progress is derived from grade_events, never stored.
 */
export type SessionKind = 'primary' | 'reread';
export type SessionStatus = 'active' | 'paused' | 'completed';

export interface SessionRecord {
  id: number;
  readerId: number;
  readerName: string;
  name: string;
  kind: SessionKind;
  rereadOf: number | null;
  washoutDays: number | null;
  blinded: boolean;
  aiAided: boolean;
  seed: number;
  kneeOrder: number[];
  status: SessionStatus;
  createdAt: string;
  updatedAt: string;
}

export interface SessionInput {
  readerId: number;
  name: string;
  kind: SessionKind;
  rereadOf?: number | null;
  washoutDays?: number | null;
  blinded: boolean;
  aiAided: boolean;
  seed: number;
  kneeOrder: readonly number[];
}

interface SessionRow {
  id: number;
  reader_id: number;
  reader_name: string;
  name: string;
  kind: SessionKind;
  reread_of: number | null;
  washout_days: number | null;
  blinded: number;
  ai_aided: number;
  order_seed: number;
  knee_order: string;
  status: SessionStatus;
  created_at: string;
  updated_at: string;
}

function parseOrder(json: string, id: number): number[] {
  const v: unknown = JSON.parse(json);
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x)))
    throw new Error(`reading session ${id}: knee_order is not a list of knee ids`);
  return v as number[];
}

function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    readerId: r.reader_id,
    readerName: r.reader_name,
    name: r.name,
    kind: r.kind,
    rereadOf: r.reread_of,
    washoutDays: r.washout_days,
    blinded: r.blinded === 1,
    aiAided: r.ai_aided === 1,
    seed: r.order_seed,
    kneeOrder: parseOrder(r.knee_order, r.id),
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const SELECT =
  'SELECT s.*, r.name AS reader_name FROM reading_sessions s JOIN readers r ON r.id = s.reader_id';

export function insertSession(db: Db, s: SessionInput): SessionRecord {
  if (s.kneeOrder.length === 0) throw new Error('a reading session needs at least one knee');
  if (new Set(s.kneeOrder).size !== s.kneeOrder.length)
    throw new Error('a reading session lists each knee once');
  const now = nowIso();
  const info = db
    .prepare(
      `INSERT INTO reading_sessions (reader_id, name, kind, reread_of, washout_days, blinded, ai_aided, order_seed, knee_order, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
    )
    .run(
      s.readerId,
      s.name,
      s.kind,
      s.rereadOf ?? null,
      s.washoutDays ?? null,
      s.blinded ? 1 : 0,
      s.aiAided ? 1 : 0,
      s.seed,
      JSON.stringify(s.kneeOrder),
      now,
      now,
    );
  return getSession(db, Number(info.lastInsertRowid))!;
}

export function getSession(db: Db, id: number): SessionRecord | undefined {
  const r = db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  return r ? toSession(r) : undefined;
}

export function listSessions(db: Db, filter: { readerId?: number } = {}): SessionRecord[] {
  const rows =
    filter.readerId === undefined
      ? db.prepare(`${SELECT} ORDER BY s.id`).all()
      : db.prepare(`${SELECT} WHERE s.reader_id = ? ORDER BY s.id`).all(filter.readerId);
  return (rows as SessionRow[]).map(toSession);
}

export function setSessionStatus(db: Db, id: number, status: SessionStatus): SessionRecord {
  const info = db
    .prepare('UPDATE reading_sessions SET status = ?, updated_at = ? WHERE id = ?')
    .run(status, nowIso(), id);
  if (info.changes === 0) throw new Error(`reading session ${id} does not exist`);
  return getSession(db, id)!;
}

/** Touch `updated_at` (a grade was entered), so lists can sort by last activity. */
export function touchSession(db: Db, id: number): void {
  db.prepare('UPDATE reading_sessions SET updated_at = ? WHERE id = ?').run(nowIso(), id);
}

/** When the reader last graded in this session (null if never): the washout of a re-read counts from it. */
export function lastGradeAt(db: Db, sessionId: number): string | null {
  const r = db
    .prepare("SELECT MAX(created_at) AS t FROM grade_events WHERE session_id = ? AND kind = 'grade'")
    .get(sessionId) as { t: string | null };
  return r.t;
}

/** Re-reads already made of a session. */
export function rereadsOf(db: Db, sessionId: number): SessionRecord[] {
  return (db.prepare(`${SELECT} WHERE s.reread_of = ? ORDER BY s.id`).all(sessionId) as SessionRow[]).map(
    toSession,
  );
}
