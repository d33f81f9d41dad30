// Who is asking, and what they may see. Blinding is enforced here, in the core, so no client (a
// modified renderer, the bridge, a script) can read what a blinded reader must not see.
import { ApiError } from '../../shared/contract';
import type { Db } from '../db/connection';
import { getSession, listSessions, type SessionRecord } from '../db/repositories/sessions';
import { notFound } from './errors';

export interface Scope {
  session: SessionRecord | null;
  /** The asking reader: the session's reader, or the `readerId` given. */
  readerId: number | null;
  /** Reference labels and other readers' grades are hidden (blinded or re-read session). */
  blinded: boolean;
  /** Model predictions may be shown: outside sessions, and in AI-aided sessions. */
  showModels: boolean;
  /** The knees the session covers (null outside a session). */
  kneeIds: Set<number> | null;
  /**
   * Outside a session, for a known reader: knees in one of that reader's unfinished blinded (or re-read)
   * sessions, each with that session. They stay blinded in every view (worklist included) until the
   * session is completed, so a reader cannot look up what their blinded reading must not know.
   */
  openBlind: Map<number, number>;
}

/** Knees of a reader's unfinished blinded sessions (newest session wins). */
function openBlindKnees(db: Db, readerId: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of listSessions(db, { readerId })) {
    if (s.status === 'completed' || !(s.blinded || s.kind === 'reread')) continue;
    for (const k of s.kneeOrder) out.set(k, s.id); // listSessions is ordered by id: later sessions overwrite
  }
  return out;
}

/**
 * The blinded session governing what the scope may see of `kneeId`, or null when nothing is hidden: the
 * asking session when it is blinded, else any unfinished blinded session of the same reader holding it.
 */
export function blindingSession(scope: Scope, kneeId: number): number | null {
  if (scope.session && scope.blinded) return scope.session.id;
  return scope.openBlind.get(kneeId) ?? null;
}

export function resolveScope(
  db: Db,
  input: { sessionId?: number | undefined; readerId?: number | undefined },
): Scope {
  if (input.sessionId === undefined) {
    return {
      session: null,
      readerId: input.readerId ?? null,
      blinded: false,
      showModels: true,
      kneeIds: null,
      openBlind: input.readerId === undefined ? new Map() : openBlindKnees(db, input.readerId),
    };
  }
  const session = getSession(db, input.sessionId);
  if (!session) throw notFound('reading session', input.sessionId);
  if (input.readerId !== undefined && input.readerId !== session.readerId) {
    throw new ApiError(
      'FORBIDDEN',
      `reading session ${session.id} belongs to reader ${session.readerName}, not reader ${input.readerId}`,
    );
  }
  // A re-read is blinded by nature: the reader must not see their own earlier grades.
  const blinded = session.blinded || session.kind === 'reread';
  return {
    session,
    readerId: session.readerId,
    blinded,
    showModels: !blinded && session.aiAided,
    kneeIds: new Set(session.kneeOrder),
    // An unblinded session must not reveal what the same reader's unfinished blinded sessions hide.
    openBlind: blinded
      ? new Map()
      : new Map([...openBlindKnees(db, session.readerId)].filter(([, sid]) => sid !== session.id)),
  };
}

/** Refuse a knee outside the session's list (a blinded reader browsing other knees would see too much). */
export function assertKneeInScope(scope: Scope, kneeId: number): void {
  if (scope.kneeIds && !scope.kneeIds.has(kneeId)) {
    throw new ApiError('FORBIDDEN', `knee ${kneeId} is not part of reading session ${scope.session!.id}`);
  }
}
