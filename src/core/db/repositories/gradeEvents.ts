import type { Db } from '../connection';
import { nowIso } from './time';
import type { GradeEvent } from '../../../shared/contract';

/**
 * Grade events: the append-only log of everything readers entered. A correction is a new 'grade'
 * event; an undo is a 'retract' event pointing at the grade it withdraws. The database triggers refuse
 * UPDATE and DELETE, so nothing a reader entered can be lost.
 */
export interface GradeInput {
  kneeId: number;
  readerId: number;
  sessionId?: number | null;
  klg: number;
  confidence?: number | null;
  osteophyte?: number | null;
  jsn?: number | null;
  comment?: string | null;
  timeSpentMs?: number | null;
}

// The event shape is part of the app contract; the repository returns exactly that shape.
export type { GradeEvent };

/** A reader's current grade of a knee: their latest grade event not withdrawn by a retract event. */
export interface EffectiveGrade {
  eventId: number;
  kneeId: number;
  readerId: number;
  readerName: string;
  sessionId: number | null;
  klg: number;
  confidence: number | null;
  osteophyte: number | null;
  jsn: number | null;
  comment: string | null;
  timeSpentMs: number | null;
  createdAt: string;
}

interface EventRow {
  id: number;
  knee_id: number;
  reader_id: number;
  session_id: number | null;
  kind: 'grade' | 'retract';
  klg: number | null;
  confidence: number | null;
  osteophyte: number | null;
  jsn: number | null;
  comment: string | null;
  time_spent_ms: number | null;
  retracts: number | null;
  created_at: string;
}

function toEvent(r: EventRow): GradeEvent {
  return {
    id: r.id,
    kneeId: r.knee_id,
    readerId: r.reader_id,
    sessionId: r.session_id,
    kind: r.kind,
    klg: r.klg,
    confidence: r.confidence,
    osteophyte: r.osteophyte,
    jsn: r.jsn,
    comment: r.comment,
    timeSpentMs: r.time_spent_ms,
    retracts: r.retracts,
    createdAt: r.created_at,
  };
}

export class GradeInputError extends Error {
  readonly code = 'BAD_GRADE';
}

function checkInt(name: string, v: number | null | undefined, lo: number, hi: number): void {
  if (v === undefined || v === null) return;
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new GradeInputError(`${name} must be an integer ${lo}-${hi}, got ${v}`);
}

export function getGradeEvent(db: Db, id: number): GradeEvent | undefined {
  const r = db.prepare('SELECT * FROM grade_events WHERE id = ?').get(id) as EventRow | undefined;
  return r ? toEvent(r) : undefined;
}

/** Record a KL grade (a new event; earlier grades stay in the log). */
export function appendGrade(db: Db, g: GradeInput): GradeEvent {
  checkInt('klg', g.klg, 0, 4);
  if (g.klg === undefined || g.klg === null) throw new GradeInputError('klg is required');
  checkInt('confidence', g.confidence, 1, 5);
  checkInt('osteophyte', g.osteophyte, 0, 3);
  checkInt('jsn', g.jsn, 0, 3);
  if (
    g.timeSpentMs !== undefined &&
    g.timeSpentMs !== null &&
    !(Number.isFinite(g.timeSpentMs) && g.timeSpentMs >= 0)
  )
    throw new GradeInputError(`timeSpentMs must be a non-negative number, got ${g.timeSpentMs}`);
  const info = db
    .prepare(
      `INSERT INTO grade_events (knee_id, reader_id, session_id, kind, klg, confidence, osteophyte, jsn, comment, time_spent_ms, created_at)
       VALUES (?, ?, ?, 'grade', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      g.kneeId,
      g.readerId,
      g.sessionId ?? null,
      g.klg,
      g.confidence ?? null,
      g.osteophyte ?? null,
      g.jsn ?? null,
      g.comment ?? null,
      g.timeSpentMs === undefined || g.timeSpentMs === null ? null : Math.round(g.timeSpentMs),
      nowIso(),
    );
  return getGradeEvent(db, Number(info.lastInsertRowid))!;
}

/**
 * Withdraw a grade (undo). Only the reader who entered a grade can retract it, and only once; the
 * retract event carries the grade's session so per-session views stay consistent.
 */
export function retractGrade(db: Db, eventId: number, readerId: number): GradeEvent {
  return db.transaction(() => {
    const target = getGradeEvent(db, eventId);
    if (!target) throw new GradeInputError(`grade event ${eventId} does not exist`);
    if (target.kind !== 'grade') throw new GradeInputError(`event ${eventId} is a retraction, not a grade`);
    if (target.readerId !== readerId)
      throw new GradeInputError(
        `grade event ${eventId} belongs to reader ${target.readerId}, not reader ${readerId}`,
      );
    const already = db
      .prepare("SELECT id FROM grade_events WHERE kind = 'retract' AND retracts = ?")
      .get(eventId);
    if (already) throw new GradeInputError(`grade event ${eventId} is already retracted`);
    const info = db
      .prepare(
        `INSERT INTO grade_events (knee_id, reader_id, session_id, kind, retracts, created_at)
         VALUES (?, ?, ?, 'retract', ?, ?)`,
      )
      .run(target.kneeId, readerId, target.sessionId, eventId, nowIso());
    return getGradeEvent(db, Number(info.lastInsertRowid))!;
  })();
}

/** Alias with the name the contract uses. */
export const retract = retractGrade;

export interface EffectiveGradeFilter {
  kneeIds?: readonly number[];
  readerIds?: readonly number[];
  /** Only events of this session (null: only events outside any session). Omitted: all events. */
  sessionId?: number | null;
  /** One effective grade per knee + reader + session instead of per knee + reader. */
  perSession?: boolean;
}

/**
 * Effective grades: per knee and reader (and session, if asked) the latest grade event that no retract
 * event withdraws. "Latest" is by event id: ids only grow because the log is append-only, so they order
 * events exactly even when two share a timestamp.
 */
export function effectiveGrades(db: Db, filter: EffectiveGradeFilter = {}): EffectiveGrade[] {
  const where: string[] = [
    "g.kind = 'grade'",
    'NOT EXISTS (SELECT 1 FROM grade_events r WHERE r.retracts = g.id)',
  ];
  const params: unknown[] = [];
  if (filter.kneeIds) {
    where.push('g.knee_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.kneeIds));
  }
  if (filter.readerIds) {
    where.push('g.reader_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.readerIds));
  }
  if (filter.sessionId === null) where.push('g.session_id IS NULL');
  else if (filter.sessionId !== undefined) {
    where.push('g.session_id = ?');
    params.push(filter.sessionId);
  }
  const partition = filter.perSession ? 'g.knee_id, g.reader_id, g.session_id' : 'g.knee_id, g.reader_id';
  // The newest live grade per partition is its highest id (the table is append-only). MAX(id) per
  // group walks the (knee_id, reader_id) index; a ROW_NUMBER() window over the same rows was 3x slower
  // on a 2,000-knee study and sat on the worklist's every refresh.
  const rows = db
    .prepare(
      `SELECT e.*, readers.name AS reader_name
       FROM grade_events e JOIN readers ON readers.id = e.reader_id
       WHERE e.id IN (SELECT MAX(g.id) FROM grade_events g WHERE ${where.join(' AND ')} GROUP BY ${partition})
       ORDER BY e.knee_id, readers.name, e.session_id`,
    )
    .all(...params) as (EventRow & { reader_name: string })[];
  return rows.map((r) => ({
    eventId: r.id,
    kneeId: r.knee_id,
    readerId: r.reader_id,
    readerName: r.reader_name,
    sessionId: r.session_id,
    klg: r.klg!,
    confidence: r.confidence,
    osteophyte: r.osteophyte,
    jsn: r.jsn,
    comment: r.comment,
    timeSpentMs: r.time_spent_ms,
    createdAt: r.created_at,
  }));
}

/** The full event log of one knee (optionally one reader), oldest first: for audit and undo UIs. */
export function gradeHistory(db: Db, kneeId: number, readerId?: number): GradeEvent[] {
  const rows =
    readerId === undefined
      ? db.prepare('SELECT * FROM grade_events WHERE knee_id = ? ORDER BY id').all(kneeId)
      : db
          .prepare('SELECT * FROM grade_events WHERE knee_id = ? AND reader_id = ? ORDER BY id')
          .all(kneeId, readerId);
  return (rows as EventRow[]).map(toEvent);
}
