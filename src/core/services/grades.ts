// grades:submit / grades:undo / grades:history. The log is append-only: a correction is a new event,
// an undo a 'retract' event; nothing a reader entered is ever lost.
import { ApiError, type GradeEvent, type ParsedInput, type UndoResult } from '../../shared/contract';
import { appendGrade, effectiveGrades, gradeHistory, retractGrade } from '../db/repositories/gradeEvents';
import { getKnee } from '../db/repositories/knees';
import { getReader } from '../db/repositories/readers';
import { touchSession } from '../db/repositories/sessions';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { toGradeEvent } from './grade-view';
import { requireSession, syncCompletion } from './sessions';

function checkSession(
  ctx: ServiceContext,
  sessionId: number,
  readerId: number,
  kneeId: number,
  action: string,
): void {
  const s = requireSession(ctx.db, sessionId);
  if (s.readerId !== readerId) {
    throw new ApiError(
      'FORBIDDEN',
      `reading session ${s.id} belongs to ${s.readerName}; reader ${readerId} cannot ${action} in it`,
    );
  }
  if (s.status === 'paused')
    throw new ApiError('CONFLICT', `reading session ${s.id} is paused; resume it to ${action}`);
  if (!s.kneeOrder.includes(kneeId))
    throw new ApiError('FORBIDDEN', `knee ${kneeId} is not part of reading session ${s.id}`);
}

export async function gradesSubmit(
  input: ParsedInput<'grades:submit'>,
  ctx: ServiceContext,
): Promise<GradeEvent> {
  const db = ctx.db;
  if (!getKnee(db, input.kneeId)) throw notFound('knee', input.kneeId);
  if (!getReader(db, input.readerId)) throw notFound('reader', input.readerId);
  const ev = db.transaction(() => {
    if (input.sessionId !== undefined)
      checkSession(ctx, input.sessionId, input.readerId, input.kneeId, 'grade');
    const e = appendGrade(db, { ...input, sessionId: input.sessionId ?? null });
    if (input.sessionId !== undefined) {
      touchSession(db, input.sessionId);
      syncCompletion(db, requireSession(db, input.sessionId));
    }
    return e;
  })();
  ctx.emit('data:changed', { what: 'grades' });
  return ev;
}

export async function gradesUndo(
  input: ParsedInput<'grades:undo'>,
  ctx: ServiceContext,
): Promise<UndoResult> {
  const db = ctx.db;
  const scope = {
    kneeIds: [input.kneeId],
    readerIds: [input.readerId],
    ...(input.sessionId !== undefined ? { sessionId: input.sessionId, perSession: true } : {}),
  };
  const result = db.transaction(() => {
    if (input.sessionId !== undefined)
      checkSession(ctx, input.sessionId, input.readerId, input.kneeId, 'undo a grade');
    const current = effectiveGrades(db, scope)[0];
    if (!current) {
      throw new ApiError(
        'NOT_FOUND',
        `reader ${input.readerId} has no grade of knee ${input.kneeId}${input.sessionId !== undefined ? ` in session ${input.sessionId}` : ''} to undo`,
      );
    }
    const retract = retractGrade(db, current.eventId, input.readerId);
    if (input.sessionId !== undefined) {
      touchSession(db, input.sessionId);
      syncCompletion(db, requireSession(db, input.sessionId));
    }
    const after = effectiveGrades(db, scope)[0];
    return {
      retractEventId: retract.id,
      retractedEventId: current.eventId,
      effective: after ? toGradeEvent(after) : null,
    };
  })();
  ctx.emit('data:changed', { what: 'grades' });
  return result;
}

export async function gradesHistory(
  input: ParsedInput<'grades:history'>,
  ctx: ServiceContext,
): Promise<GradeEvent[]> {
  if (!getKnee(ctx.db, input.kneeId)) throw notFound('knee', input.kneeId);
  return gradeHistory(ctx.db, input.kneeId, input.readerId);
}
