import type { GradeEvent } from '../../shared/contract';
import type { EffectiveGrade } from '../db/repositories/gradeEvents';

/** An effective grade as the contract's GradeEvent (an effective grade is always a 'grade' event). */
export function toGradeEvent(g: EffectiveGrade): GradeEvent {
  return {
    id: g.eventId,
    kneeId: g.kneeId,
    readerId: g.readerId,
    sessionId: g.sessionId,
    kind: 'grade',
    klg: g.klg,
    confidence: g.confidence,
    osteophyte: g.osteophyte,
    jsn: g.jsn,
    comment: g.comment,
    timeSpentMs: g.timeSpentMs,
    retracts: null,
    createdAt: g.createdAt,
  };
}
