// sessions:create / list / get / pause / resume / next. Reading order is shuffled per session with a
// recorded seed; progress is derived from the grade log, so it can never drift from what was entered.
import {
  ApiError,
  type ParsedInput,
  type SessionDetail,
  type SessionNext,
  type SessionSummary,
} from '../../shared/contract';
import type { Db } from '../db/connection';
import { effectiveGrades } from '../db/repositories/gradeEvents';
import { listKnees } from '../db/repositories/knees';
import { getReader } from '../db/repositories/readers';
import {
  getSession,
  insertSession,
  lastGradeAt,
  listSessions,
  setSessionStatus,
  type SessionRecord,
} from '../db/repositories/sessions';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { randomSeed, seededShuffle } from './shuffle';

const DAY_MS = 86_400_000;

/** The session's effective grades (this reader, this session), by knee. */
export function sessionGradeMap(db: Db, s: SessionRecord): Map<number, number> {
  const grades = effectiveGrades(db, { sessionId: s.id, readerIds: [s.readerId], perSession: true });
  return new Map(grades.map((g) => [g.kneeId, g.klg]));
}

export function summarise(db: Db, s: SessionRecord): SessionSummary {
  const graded = sessionGradeMap(db, s);
  return {
    id: s.id,
    readerId: s.readerId,
    readerName: s.readerName,
    name: s.name,
    kind: s.kind,
    rereadOf: s.rereadOf,
    washoutDays: s.washoutDays,
    blinded: s.blinded,
    aiAided: s.aiAided,
    seed: s.seed,
    status: s.status,
    total: s.kneeOrder.length,
    done: s.kneeOrder.filter((k) => graded.has(k)).length,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function requireSession(db: Db, id: number): SessionRecord {
  const s = getSession(db, id);
  if (!s) throw notFound('reading session', id);
  return s;
}

/** Keep `status` in step with progress: complete when every knee has a grade, active again after an undo. */
export function syncCompletion(db: Db, s: SessionRecord): SessionRecord {
  const graded = sessionGradeMap(db, s);
  const complete = s.kneeOrder.every((k) => graded.has(k));
  if (complete && s.status !== 'completed') return setSessionStatus(db, s.id, 'completed');
  if (!complete && s.status === 'completed') return setSessionStatus(db, s.id, 'active');
  return s;
}

function rereadKnees(
  db: Db,
  orig: SessionRecord,
  readerId: number,
  washoutDays: number,
  force: boolean,
  now: number,
): number[] {
  if (orig.readerId !== readerId) {
    throw new ApiError(
      'CONFLICT',
      `session ${orig.id} was read by ${orig.readerName}; a re-read measures the same reader's consistency, so it must be read by them`,
    );
  }
  const graded = sessionGradeMap(db, orig);
  const knees = orig.kneeOrder.filter((k) => graded.has(k));
  if (knees.length === 0) throw new ApiError('CONFLICT', `session ${orig.id} has no graded knee to re-read`);
  const last = lastGradeAt(db, orig.id);
  const elapsedMs = last === null ? 0 : now - Date.parse(last);
  if (!force && elapsedMs < washoutDays * DAY_MS) {
    const left = Math.ceil((washoutDays * DAY_MS - elapsedMs) / DAY_MS);
    const until = new Date(Date.parse(last!) + washoutDays * DAY_MS).toISOString().slice(0, 10);
    throw new ApiError(
      'WASHOUT',
      `session ${orig.id} was last graded on ${last!.slice(0, 10)}: the ${washoutDays}-day washout ends on ${until} ` +
        `(${left} day${left === 1 ? '' : 's'} left); re-reading earlier lets memory inflate intra-reader agreement (force to override)`,
    );
  }
  return knees;
}

export async function sessionsCreate(
  input: ParsedInput<'sessions:create'>,
  ctx: ServiceContext,
  now = Date.now(),
): Promise<SessionSummary> {
  const db = ctx.db;
  if (!getReader(db, input.readerId)) throw notFound('reader', input.readerId);
  const seed = input.seed ?? randomSeed();
  let knees: number[];
  let name = input.name;
  if (input.rereadOf !== undefined) {
    if (input.aiAided) throw new ApiError('INVALID_INPUT', 'a re-read is blinded; it cannot be AI-aided');
    const orig = requireSession(db, input.rereadOf);
    knees = rereadKnees(db, orig, input.readerId, input.washoutDays, input.force, now);
    if (input.force) name = `${name} (washout overridden)`;
  } else if (input.kneeIds) {
    const found = new Set(listKnees(db, { kneeIds: input.kneeIds }).map((k) => k.id));
    const missing = input.kneeIds.filter((k) => !found.has(k));
    if (missing.length)
      throw new ApiError(
        'NOT_FOUND',
        `knee${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do not exist`,
      );
    knees = [...new Set(input.kneeIds)];
  } else {
    knees = listKnees(db, input.studyId !== undefined ? { studyId: input.studyId } : {}).map((k) => k.id);
    if (knees.length === 0) {
      throw new ApiError(
        'NOT_FOUND',
        input.studyId !== undefined
          ? `study ${input.studyId} has no knees`
          : 'there are no knees to read: import images first',
      );
    }
  }
  // Sort first so the order depends on the seed and the set of knees only, not on how they were listed.
  const order = seededShuffle(
    knees.slice().sort((a, b) => a - b),
    seed,
  );
  const isReread = input.rereadOf !== undefined;
  const s = insertSession(db, {
    readerId: input.readerId,
    name,
    kind: isReread ? 'reread' : 'primary',
    rereadOf: input.rereadOf ?? null,
    washoutDays: isReread ? input.washoutDays : null,
    blinded: isReread ? true : input.blinded,
    aiAided: isReread ? false : input.aiAided,
    seed,
    kneeOrder: order,
  });
  ctx.emit('data:changed', { what: 'sessions' });
  return summarise(db, s);
}

export async function sessionsList(
  input: ParsedInput<'sessions:list'>,
  ctx: ServiceContext,
): Promise<SessionSummary[]> {
  return listSessions(ctx.db, input.readerId !== undefined ? { readerId: input.readerId } : {}).map((s) =>
    summarise(ctx.db, s),
  );
}

export async function sessionsGet(
  input: ParsedInput<'sessions:get'>,
  ctx: ServiceContext,
): Promise<SessionDetail> {
  const s = requireSession(ctx.db, input.sessionId);
  const graded = sessionGradeMap(ctx.db, s);
  return {
    ...summarise(ctx.db, s),
    items: s.kneeOrder.map((kneeId, i) => ({
      position: i + 1,
      kneeId,
      graded: graded.has(kneeId),
      klg: graded.get(kneeId) ?? null,
    })),
  };
}

export async function sessionsPause(
  input: ParsedInput<'sessions:pause'>,
  ctx: ServiceContext,
): Promise<SessionSummary> {
  const s = requireSession(ctx.db, input.sessionId);
  if (s.status === 'completed')
    throw new ApiError('CONFLICT', `session ${s.id} is completed; there is nothing to pause`);
  const out = s.status === 'paused' ? s : setSessionStatus(ctx.db, s.id, 'paused');
  ctx.emit('data:changed', { what: 'sessions' });
  return summarise(ctx.db, out);
}

export async function sessionsResume(
  input: ParsedInput<'sessions:resume'>,
  ctx: ServiceContext,
): Promise<SessionSummary> {
  const s = requireSession(ctx.db, input.sessionId);
  const out = s.status === 'paused' ? syncCompletion(ctx.db, setSessionStatus(ctx.db, s.id, 'active')) : s;
  ctx.emit('data:changed', { what: 'sessions' });
  return summarise(ctx.db, out);
}

export async function sessionsNext(
  input: ParsedInput<'sessions:next'>,
  ctx: ServiceContext,
): Promise<SessionNext> {
  let s = requireSession(ctx.db, input.sessionId);
  if (s.status === 'paused')
    throw new ApiError('CONFLICT', `session ${s.id} is paused; resume it to continue reading`);
  s = syncCompletion(ctx.db, s);
  const graded = sessionGradeMap(ctx.db, s);
  const idx = s.kneeOrder.findIndex((k) => !graded.has(k));
  return {
    session: summarise(ctx.db, s),
    next: idx < 0 ? null : { kneeId: s.kneeOrder[idx]!, position: idx + 1, total: s.kneeOrder.length },
  };
}
