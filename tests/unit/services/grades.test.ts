import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/services';
import { buildFixture, type Fixture } from './fixture';

let f: Fixture;
beforeEach(() => {
  f = buildFixture(1);
});
afterEach(() => f.cleanup());

describe('grades', () => {
  it('is append-only: a correction and an undo add events, the earlier grade becomes effective again', async () => {
    const k = f.kneeIds[0]!;
    const g1 = await dispatch(
      'grades:submit',
      { kneeId: k, readerId: f.readerA, klg: 1, confidence: 4, osteophyte: 1, jsn: 0, comment: 'spur' },
      f.ctx,
    );
    const g2 = await dispatch('grades:submit', { kneeId: k, readerId: f.readerA, klg: 2 }, f.ctx);
    const undo = await dispatch('grades:undo', { kneeId: k, readerId: f.readerA }, f.ctx);
    expect(undo.retractedEventId).toBe(g2.id);
    expect(undo.effective).toMatchObject({
      id: g1.id,
      klg: 1,
      confidence: 4,
      osteophyte: 1,
      jsn: 0,
      comment: 'spur',
    });
    const hist = await dispatch('grades:history', { kneeId: k, readerId: f.readerA }, f.ctx);
    expect(hist.map((e) => e.kind)).toEqual(['grade', 'grade', 'retract']);
    expect(hist[2]!.retracts).toBe(g2.id);
    await dispatch('grades:undo', { kneeId: k, readerId: f.readerA }, f.ctx);
    await expect(dispatch('grades:undo', { kneeId: k, readerId: f.readerA }, f.ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await dispatch('knees:get', { kneeId: k }, f.ctx)).grades).toEqual([]);
  });

  it('validates every field with the contract and names the bad one', async () => {
    const k = f.kneeIds[0]!;
    for (const [bad, field] of [
      [{ klg: 5 }, 'klg'],
      [{ klg: 1.5 }, 'klg'],
      [{ klg: 1, confidence: 0 }, 'confidence'],
      [{ klg: 1, jsn: 4 }, 'jsn'],
      [{ klg: 1, timeSpentMs: -1 }, 'timeSpentMs'],
      [{ klg: 1, extra: true }, '(input)'],
    ] as const) {
      const err = await dispatch(
        'grades:submit',
        { kneeId: k, readerId: f.readerA, ...bad } as never,
        f.ctx,
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_INPUT' });
      expect((err as Error).message).toContain(field);
    }
    await expect(
      dispatch('grades:submit', { kneeId: 4242, readerId: f.readerA, klg: 1 }, f.ctx),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'knee 4242 does not exist',
    });
  });

  it('emits data:changed so other views refresh', async () => {
    await dispatch('grades:submit', { kneeId: f.kneeIds[0]!, readerId: f.readerA, klg: 1 }, f.ctx);
    expect(f.events).toContainEqual({ event: 'data:changed', payload: { what: 'grades' } });
  });
});

describe('readers and studies', () => {
  it('creates readers with unique names and lists studies by pseudonym only', async () => {
    const r = await dispatch('readers:create', { name: '  Dr Who ' }, f.ctx);
    expect(r).toMatchObject({ name: 'Dr Who', role: 'reader' });
    await expect(dispatch('readers:create', { name: 'Dr Who' }, f.ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await dispatch('readers:list', undefined, f.ctx)).map((x) => x.name)).toEqual([
      'Dr Who',
      'Reader A',
      'Reader B',
    ]);
    const studies = await dispatch('studies:list', {}, f.ctx);
    expect(studies).toHaveLength(1);
    expect(JSON.stringify(studies)).not.toContain('Doe');
    expect(JSON.stringify(studies)).not.toContain('PAT-0');
    expect(studies[0]).toMatchObject({ imageCount: 1, kneeCount: 2 });
  });
});
