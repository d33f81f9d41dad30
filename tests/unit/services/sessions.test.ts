import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/services';
import { sessionsCreate } from '../../../src/core/services/sessions';
import { parseInput } from '../../../src/shared/contract';
import { buildFixture, type Fixture } from './fixture';

let f: Fixture;
beforeEach(() => {
  f = buildFixture(6);
});
afterEach(() => f.cleanup());

async function gradeAll(sessionId: number, readerId: number, klg = 2): Promise<void> {
  for (;;) {
    const n = await dispatch('sessions:next', { sessionId }, f.ctx);
    if (!n.next) return;
    await dispatch(
      'grades:submit',
      { kneeId: n.next.kneeId, readerId, sessionId, klg, timeSpentMs: 1500 },
      f.ctx,
    );
  }
}

describe('sessions:create', () => {
  it('shuffles every knee with the recorded seed: same seed, same order; other seed, other order', async () => {
    const a = await dispatch('sessions:create', { readerId: f.readerA, name: 'A', seed: 42 }, f.ctx);
    const b = await dispatch('sessions:create', { readerId: f.readerB, name: 'B', seed: 42 }, f.ctx);
    const c = await dispatch('sessions:create', { readerId: f.readerB, name: 'C', seed: 43 }, f.ctx);
    const order = async (id: number) =>
      (await dispatch('sessions:get', { sessionId: id }, f.ctx)).items.map((i) => i.kneeId);
    const [oa, ob, oc] = [await order(a.id), await order(b.id), await order(c.id)];
    expect(a.seed).toBe(42);
    expect(oa).toEqual(ob);
    expect(oc).not.toEqual(oa);
    expect([...oa].sort((x, y) => x - y)).toEqual([...f.kneeIds].sort((x, y) => x - y));
    expect(oa).not.toEqual([...f.kneeIds].sort((x, y) => x - y)); // 12! orders: sorted by chance is ~2e-9
    expect(a).toMatchObject({
      blinded: true,
      aiAided: false,
      kind: 'primary',
      status: 'active',
      total: 12,
      done: 0,
    });
  });

  it('records a random seed when none is given', async () => {
    const a = await dispatch('sessions:create', { readerId: f.readerA, name: 'A' }, f.ctx);
    const b = await dispatch('sessions:create', { readerId: f.readerA, name: 'B' }, f.ctx);
    expect(Number.isInteger(a.seed)).toBe(true);
    expect(a.seed).not.toBe(b.seed);
  });

  it('takes an explicit knee list or one study, and refuses unknown knees, readers and blinded+AI-aided', async () => {
    const s = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'few', kneeIds: [f.kneeIds[0]!, f.kneeIds[3]!] },
      f.ctx,
    );
    expect(s.total).toBe(2);
    const st = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'study', studyId: f.studyIds[1]! },
      f.ctx,
    );
    expect(st.total).toBe(2);
    await expect(
      dispatch('sessions:create', { readerId: f.readerA, name: 'x', kneeIds: [99999] }, f.ctx),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(dispatch('sessions:create', { readerId: 777, name: 'x' }, f.ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      dispatch('sessions:create', { readerId: f.readerA, name: 'x', aiAided: true }, f.ctx),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const ai = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'ai', blinded: false, aiAided: true },
      f.ctx,
    );
    expect(ai).toMatchObject({ blinded: false, aiAided: true });
  });
});

describe('progress, pause/resume, completion', () => {
  it('counts n of N from the grade log, refuses grading while paused, completes, reopens after undo', async () => {
    const s = await dispatch('sessions:create', { readerId: f.readerA, name: 'P', seed: 7 }, f.ctx);
    const first = (await dispatch('sessions:next', { sessionId: s.id }, f.ctx)).next!;
    expect(first.position).toBe(1);
    await dispatch(
      'grades:submit',
      { kneeId: first.kneeId, readerId: f.readerA, sessionId: s.id, klg: 3, timeSpentMs: 4200 },
      f.ctx,
    );
    const second = (await dispatch('sessions:next', { sessionId: s.id }, f.ctx)).next!;
    expect(second.position).toBe(2);
    expect(second.kneeId).not.toBe(first.kneeId);
    expect((await dispatch('sessions:get', { sessionId: s.id }, f.ctx)).done).toBe(1);

    await dispatch('sessions:pause', { sessionId: s.id }, f.ctx);
    await expect(
      dispatch(
        'grades:submit',
        { kneeId: second.kneeId, readerId: f.readerA, sessionId: s.id, klg: 1 },
        f.ctx,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(dispatch('sessions:next', { sessionId: s.id }, f.ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const resumed = await dispatch('sessions:resume', { sessionId: s.id }, f.ctx);
    expect(resumed.status).toBe('active');

    await gradeAll(s.id, f.readerA);
    const done = await dispatch('sessions:next', { sessionId: s.id }, f.ctx);
    expect(done.next).toBeNull();
    expect(done.session).toMatchObject({ status: 'completed', done: 12, total: 12 });

    await dispatch('grades:undo', { kneeId: first.kneeId, readerId: f.readerA, sessionId: s.id }, f.ctx);
    const reopened = await dispatch('sessions:next', { sessionId: s.id }, f.ctx);
    expect(reopened.session.status).toBe('active');
    expect(reopened.next).toMatchObject({ kneeId: first.kneeId, position: 1 });
  });

  it('records the time spent with each grade event', async () => {
    const s = await dispatch('sessions:create', { readerId: f.readerA, name: 'T', seed: 1 }, f.ctx);
    const k = (await dispatch('sessions:next', { sessionId: s.id }, f.ctx)).next!.kneeId;
    const ev = await dispatch(
      'grades:submit',
      { kneeId: k, readerId: f.readerA, sessionId: s.id, klg: 0, timeSpentMs: 987 },
      f.ctx,
    );
    expect(ev).toMatchObject({ timeSpentMs: 987, sessionId: s.id, kind: 'grade' });
  });

  it("refuses another reader's grades and knees outside the session", async () => {
    const s = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'own', kneeIds: [f.kneeIds[0]!] },
      f.ctx,
    );
    await expect(
      dispatch(
        'grades:submit',
        { kneeId: f.kneeIds[0]!, readerId: f.readerB, sessionId: s.id, klg: 1 },
        f.ctx,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dispatch(
        'grades:submit',
        { kneeId: f.kneeIds[1]!, readerId: f.readerA, sessionId: s.id, klg: 1 },
        f.ctx,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('re-read after a washout', () => {
  it('refuses before the washout unless forced, then re-reads exactly the graded knees in a new order, blinded', async () => {
    const s = await dispatch('sessions:create', { readerId: f.readerA, name: 'first', seed: 5 }, f.ctx);
    // grade 5 of 12 knees
    for (let i = 0; i < 5; i++) {
      const n = (await dispatch('sessions:next', { sessionId: s.id }, f.ctx)).next!;
      await dispatch(
        'grades:submit',
        { kneeId: n.kneeId, readerId: f.readerA, sessionId: s.id, klg: 1 },
        f.ctx,
      );
    }
    const graded = (await dispatch('sessions:get', { sessionId: s.id }, f.ctx)).items
      .filter((i) => i.graded)
      .map((i) => i.kneeId);

    await expect(
      dispatch(
        'sessions:create',
        { readerId: f.readerA, name: 'again', rereadOf: s.id, washoutDays: 28 },
        f.ctx,
      ),
    ).rejects.toMatchObject({
      code: 'WASHOUT',
      message: expect.stringMatching(/28-day washout ends on \d{4}-\d{2}-\d{2}/),
    });
    // another reader cannot "re-read" A's session
    await expect(
      dispatch('sessions:create', { readerId: f.readerB, name: 'again', rereadOf: s.id, force: true }, f.ctx),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    // 29 days later the washout has passed
    const later = Date.now() + 29 * 86_400_000;
    const rr = await sessionsCreate(
      parseInput('sessions:create', {
        readerId: f.readerA,
        name: 'again',
        rereadOf: s.id,
        washoutDays: 28,
        blinded: false,
      }),
      f.ctx,
      later,
    );
    expect(rr).toMatchObject({
      kind: 'reread',
      rereadOf: s.id,
      washoutDays: 28,
      blinded: true,
      aiAided: false,
      total: 5,
      done: 0,
    });
    const order = (await dispatch('sessions:get', { sessionId: rr.id }, f.ctx)).items.map((i) => i.kneeId);
    expect([...order].sort()).toEqual([...graded].sort());

    const forced = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'now', rereadOf: s.id, force: true },
      f.ctx,
    );
    expect(forced.name).toBe('now (washout overridden)');
  });

  it('a re-read does not show the reader their earlier grades', async () => {
    const s = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'first', kneeIds: [f.kneeIds[0]!], blinded: false },
      f.ctx,
    );
    await dispatch(
      'grades:submit',
      { kneeId: f.kneeIds[0]!, readerId: f.readerA, sessionId: s.id, klg: 4 },
      f.ctx,
    );
    const rr = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'rr', rereadOf: s.id, force: true },
      f.ctx,
    );
    const k = await dispatch('knees:get', { kneeId: f.kneeIds[0]!, sessionId: rr.id }, f.ctx);
    expect(k.blinded).toBe(true);
    expect(k.grades).toEqual([]);
    expect((await dispatch('sessions:next', { sessionId: rr.id }, f.ctx)).next?.kneeId).toBe(f.kneeIds[0]);
  });
});
