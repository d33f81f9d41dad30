// The effective-grade rule, as a pure function over the grade event log:
// a reader's grade for a knee is their latest 'grade' event that no (active) 'retract' event withdraws.
// "Latest" is by event id (the log is append-only, so ids order events even when timestamps tie).

export interface GradeEventRow {
  id: number;
  kneeId: number;
  readerId: number;
  sessionId: number | null;
  kind: 'grade' | 'retract';
  klg: number | null;
  retracts: number | null;
}

export interface Effective {
  eventId: number;
  kneeId: number;
  readerId: number;
  sessionId: number | null;
  klg: number;
}

/**
 * Ids of events withdrawn by an active retraction. A retraction may itself be retracted (redo), so
 * events are decided from the newest back: every retraction of an event has a larger id than it.
 */
export function withdrawnEvents(events: readonly GradeEventRow[]): Set<number> {
  const byTarget = new Map<number, number[]>();
  for (const e of events)
    if (e.kind === 'retract' && e.retracts !== null) {
      const list = byTarget.get(e.retracts) ?? [];
      list.push(e.id);
      byTarget.set(e.retracts, list);
    }
  const withdrawn = new Set<number>();
  const sorted = [...events].sort((a, b) => b.id - a.id);
  for (const e of sorted) {
    const retractions = byTarget.get(e.id);
    if (retractions && retractions.some((r) => !withdrawn.has(r))) withdrawn.add(e.id);
  }
  return withdrawn;
}

/** Latest active grade per key (knee+reader, or knee+reader+session when `perSession`). */
export function effectiveGrades(
  events: readonly GradeEventRow[],
  perSession = false,
): Map<string, Effective> {
  const withdrawn = withdrawnEvents(events);
  const out = new Map<string, Effective>();
  for (const e of events) {
    if (e.kind !== 'grade' || e.klg === null || withdrawn.has(e.id)) continue;
    const key = perSession ? `${e.kneeId}:${e.readerId}:${e.sessionId ?? ''}` : `${e.kneeId}:${e.readerId}`;
    const prev = out.get(key);
    if (!prev || prev.eventId < e.id)
      out.set(key, {
        eventId: e.id,
        kneeId: e.kneeId,
        readerId: e.readerId,
        sessionId: e.sessionId,
        klg: e.klg,
      });
  }
  return out;
}
