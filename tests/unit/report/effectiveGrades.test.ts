import { describe, expect, it } from 'vitest';
import { effectiveGrades, withdrawnEvents, type GradeEventRow } from '../../../src/core/report';

const g = (id: number, klg: number, o: Partial<GradeEventRow> = {}): GradeEventRow => ({
  id,
  kneeId: 1,
  readerId: 1,
  sessionId: null,
  kind: 'grade',
  klg,
  retracts: null,
  ...o,
});
const r = (id: number, target: number): GradeEventRow => ({
  id,
  kneeId: 1,
  readerId: 1,
  sessionId: null,
  kind: 'retract',
  klg: null,
  retracts: target,
});

describe('effective grade rule', () => {
  it('is the latest grade event', () => {
    expect(effectiveGrades([g(1, 2), g(2, 3)]).get('1:1')!.klg).toBe(3);
  });
  it('skips a retracted grade and falls back to the one before', () => {
    expect(effectiveGrades([g(1, 2), g(2, 3), r(3, 2)]).get('1:1')!.klg).toBe(2);
  });
  it('has no grade when every grade is retracted', () => {
    expect(effectiveGrades([g(1, 2), r(2, 1)]).size).toBe(0);
  });
  it('restores a grade whose retraction is itself retracted (redo)', () => {
    expect([...withdrawnEvents([g(1, 2), g(2, 4), r(3, 2), r(4, 3)])]).toEqual([3]);
    expect(effectiveGrades([g(1, 2), g(2, 4), r(3, 2), r(4, 3)]).get('1:1')!.klg).toBe(4);
  });
  it('orders by event id, not input order, and keeps readers and knees apart', () => {
    const m = effectiveGrades([g(5, 1), g(2, 4), g(3, 0, { readerId: 2 }), g(4, 3, { kneeId: 2 })]);
    expect(m.get('1:1')!.klg).toBe(1);
    expect(m.get('1:2')!.klg).toBe(0);
    expect(m.get('2:1')!.klg).toBe(3);
  });
  it('per session, keeps each session’s latest grade', () => {
    const m = effectiveGrades(
      [g(1, 1, { sessionId: 10 }), g(2, 2, { sessionId: 11 }), g(3, 3, { sessionId: 10 })],
      true,
    );
    expect(m.get('1:1:10')!.klg).toBe(3);
    expect(m.get('1:1:11')!.klg).toBe(2);
  });
});
