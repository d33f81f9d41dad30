// Blinding is enforced by the services: a blinded session never receives reference labels, model
// predictions or other readers' grades, whatever the client asks for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/services';
import { buildFixture, storePrediction, type Fixture } from './fixture';

let f: Fixture;
beforeEach(() => {
  f = buildFixture(3);
  for (const k of f.kneeIds) storePrediction(f.ctx, k, 3);
});
afterEach(() => f.cleanup());

describe('outside a session', () => {
  it('shows references, every reader and every model', async () => {
    const k = f.kneeIds[0]!;
    await dispatch('grades:submit', { kneeId: k, readerId: f.readerB, klg: 1 }, f.ctx);
    const d = await dispatch('knees:get', { kneeId: k }, f.ctx);
    expect(d.blinded).toBe(false);
    expect(d.reference).toEqual([{ source: 'phantom-truth', klg: f.reference.get(k) }]);
    expect(d.grades.map((g) => g.readerName)).toEqual(['Reader B']);
    expect(d.predictions).toMatchObject([{ model: 'resnet18-kl', klg: 3, current: true }]);
    const list = await dispatch('knees:list', {}, f.ctx);
    const item = list.items.find((i) => i.id === k)!;
    expect(item).toMatchObject({
      referenceKlg: f.reference.get(k),
      readerCount: 1,
      modelKlg: { 'resnet18-kl': 3 },
      spread: 2,
    });
  });

  it('marks a prediction stale once the crop is edited', async () => {
    const k = f.kneeIds[0]!;
    await dispatch('knees:setCrop', { kneeId: k, crop: { x: 2, y: 2, w: 20, h: 20 } }, f.ctx);
    const d = await dispatch('knees:get', { kneeId: k }, f.ctx);
    expect(d.crop).toEqual({ x: 2, y: 2, w: 20, h: 20, source: 'edited' });
    expect(d.predictions[0]!.current).toBe(false);
    const reset = await dispatch('knees:resetCrop', { kneeId: k }, f.ctx);
    expect(reset).toMatchObject({ x: d.autoCrop.x, w: d.autoCrop.w });
    expect((await dispatch('knees:get', { kneeId: k }, f.ctx)).predictions[0]!.current).toBe(true);
    await expect(
      dispatch('knees:setCrop', { kneeId: k, crop: { x: 500, y: 0, w: 10, h: 10 } }, f.ctx),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('in a blinded session', () => {
  it("hides the reference, the models and other readers' grades in knees:get and knees:list", async () => {
    const k = f.kneeIds[0]!;
    await dispatch('grades:submit', { kneeId: k, readerId: f.readerB, klg: 1 }, f.ctx);
    await dispatch('grades:submit', { kneeId: k, readerId: f.readerA, klg: 0 }, f.ctx); // A's grade outside the session
    const s = await dispatch('sessions:create', { readerId: f.readerA, name: 'blind' }, f.ctx);
    const d = await dispatch('knees:get', { kneeId: k, sessionId: s.id }, f.ctx);
    expect(d).toMatchObject({ blinded: true, reference: [], grades: [], predictions: [] });

    await dispatch('grades:submit', { kneeId: k, readerId: f.readerA, sessionId: s.id, klg: 2 }, f.ctx);
    const after = await dispatch('knees:get', { kneeId: k, sessionId: s.id }, f.ctx);
    expect(after.grades.map((g) => [g.readerName, g.event.klg])).toEqual([['Reader A', 2]]);

    const list = await dispatch('knees:list', { sessionId: s.id }, f.ctx);
    expect(list.total).toBe(f.kneeIds.length);
    for (const i of list.items) {
      expect(i.referenceKlg).toBeNull();
      expect(i.modelKlg).toEqual({});
      expect(i.readerCount).toBeNull();
      expect(i.spread).toBeNull();
    }
    expect(list.items.find((i) => i.id === k)!.myKlg).toBe(2);
  });

  it('refuses filters and sorts that would leak, and knees outside the session', async () => {
    const s = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'blind', kneeIds: [f.kneeIds[0]!] },
      f.ctx,
    );
    for (const bad of [
      { referenceKlg: 2 },
      { disagreement: true },
      { sort: 'reference' as const },
      { sort: 'spread' as const },
    ]) {
      await expect(dispatch('knees:list', { sessionId: s.id, ...bad }, f.ctx)).rejects.toMatchObject({
        code: 'BLINDED',
      });
    }
    await expect(
      dispatch('knees:get', { kneeId: f.kneeIds[1]!, sessionId: s.id }, f.ctx),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dispatch('knees:get', { kneeId: f.kneeIds[0]!, sessionId: s.id, readerId: f.readerB }, f.ctx),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('an AI-aided session shows the models but an unblinded plain one does not', async () => {
    const ai = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'ai', blinded: false, aiAided: true },
      f.ctx,
    );
    const plain = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'plain', blinded: false },
      f.ctx,
    );
    const k = f.kneeIds[0]!;
    expect((await dispatch('knees:get', { kneeId: k, sessionId: ai.id }, f.ctx)).predictions).toHaveLength(1);
    const p = await dispatch('knees:get', { kneeId: k, sessionId: plain.id }, f.ctx);
    expect(p.predictions).toHaveLength(0);
    expect(p.reference).toHaveLength(1);
  });
});

describe('outside the session, while a blinded session is unfinished', () => {
  it("keeps the session's knees blinded for its reader in every view, until the session is completed", async () => {
    const [k0, k1] = [f.kneeIds[0]!, f.kneeIds[1]!];
    await dispatch('grades:submit', { kneeId: k0, readerId: f.readerB, klg: 1 }, f.ctx);
    const s = await dispatch('sessions:create', { readerId: f.readerA, name: 'blind', kneeIds: [k0] }, f.ctx);
    // Reader A, browsing the worklist (no session): k0 blinded, k1 not.
    const list = await dispatch('knees:list', { readerId: f.readerA }, f.ctx);
    const i0 = list.items.find((i) => i.id === k0)!;
    const i1 = list.items.find((i) => i.id === k1)!;
    expect(i0).toMatchObject({ referenceKlg: null, readerCount: null, modelKlg: {}, spread: null });
    expect(i1.referenceKlg).toBe(f.reference.get(k1));
    expect(i1.modelKlg).toEqual({ 'resnet18-kl': 3 });
    const d = await dispatch('knees:get', { kneeId: k0, readerId: f.readerA }, f.ctx);
    expect(d).toMatchObject({ blinded: true, reference: [], grades: [], predictions: [] });
    // A filter on the reference grade cannot find the blinded knee either.
    const byRef = await dispatch(
      'knees:list',
      { readerId: f.readerA, referenceKlg: f.reference.get(k0)! },
      f.ctx,
    );
    expect(byRef.items.map((i) => i.id)).not.toContain(k0);
    // Another reader is not blinded by A's session.
    expect((await dispatch('knees:get', { kneeId: k0, readerId: f.readerB }, f.ctx)).blinded).toBe(false);
    // Nor can an AI-aided session of the same reader show what the blinded one hides.
    const ai = await dispatch(
      'sessions:create',
      { readerId: f.readerA, name: 'ai', blinded: false, aiAided: true, kneeIds: [k0, k1] },
      f.ctx,
    );
    const viaAi = await dispatch('knees:get', { kneeId: k0, sessionId: ai.id }, f.ctx);
    expect(viaAi).toMatchObject({ blinded: true, reference: [], predictions: [] });
    expect((await dispatch('knees:get', { kneeId: k1, sessionId: ai.id }, f.ctx)).predictions).toHaveLength(
      1,
    );
    await expect(
      dispatch('inference:explain', { kneeId: k0, model: 'resnet18-kl', sessionId: ai.id }, f.ctx),
    ).rejects.toMatchObject({ code: 'BLINDED' });
    // Once A completes the session, the knee is open to A again.
    await dispatch('grades:submit', { kneeId: k0, readerId: f.readerA, sessionId: s.id, klg: 2 }, f.ctx);
    const after = await dispatch('knees:get', { kneeId: k0, readerId: f.readerA }, f.ctx);
    expect(after.blinded).toBe(false);
    expect(after.reference).toHaveLength(1);
    expect(after.grades.map((g) => g.readerName).sort()).toEqual(['Reader A', 'Reader B']);
  });
});

describe('knees:list filters', () => {
  it('filters by study, ungraded-by-reader, graded, reference grade and disagreement, and sorts', async () => {
    const [k0, k1] = [f.kneeIds[0]!, f.kneeIds[1]!];
    await dispatch('grades:submit', { kneeId: k0, readerId: f.readerA, klg: 3 }, f.ctx); // agrees with model (3)
    await dispatch('grades:submit', { kneeId: k1, readerId: f.readerA, klg: 0 }, f.ctx); // disagrees by 3
    expect((await dispatch('knees:list', { studyId: f.studyIds[0]! }, f.ctx)).items.map((i) => i.id)).toEqual(
      [k0, k1],
    );
    const ungraded = await dispatch('knees:list', { ungradedByReaderId: f.readerA }, f.ctx);
    expect(ungraded.total).toBe(f.kneeIds.length - 2);
    expect((await dispatch('knees:list', { graded: true }, f.ctx)).items.map((i) => i.id).sort()).toEqual(
      [k0, k1].sort(),
    );
    const dis = await dispatch('knees:list', { disagreement: true, minSpread: 2 }, f.ctx);
    expect(dis.items.map((i) => i.id)).toEqual([k1]);
    const ref = f.reference.get(k0)!;
    const byRef = await dispatch('knees:list', { referenceKlg: ref }, f.ctx);
    expect(byRef.items.every((i) => i.referenceKlg === ref)).toBe(true);
    expect(byRef.items.map((i) => i.id)).toContain(k0);
    const sorted = await dispatch('knees:list', { sort: 'spread', order: 'desc' }, f.ctx);
    expect(sorted.items[0]!.id).toBe(k1);
    const page = await dispatch('knees:list', { sort: 'id', limit: 2, offset: 2 }, f.ctx);
    expect(page.items.map((i) => i.id)).toEqual([f.kneeIds[2], f.kneeIds[3]]);
    expect(page.total).toBe(f.kneeIds.length);
  });
});
