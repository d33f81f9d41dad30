import { describe, expect, it } from 'vitest';
import {
  appendCropEdit,
  appendGrade,
  createReader,
  effectiveGrades,
  ensurePatient,
  ensureReader,
  ensureStudy,
  findImageBySha256,
  getKnee,
  getReaderByName,
  gradeHistory,
  listImportErrors,
  listKnees,
  listReaders,
  listReferenceLabels,
  listStudies,
  pseudonymFor,
  recordImportError,
  retractGrade,
  startImportBatch,
  upsertReferenceLabel,
  ReaderExistsError,
  GradeInputError,
} from '../../../src/core/db/repositories';
import { seedDb } from './seed';

describe('readers', () => {
  it('create, list, getByName, ensure', () => {
    const { db } = seedDb();
    const a = createReader(db, { name: 'Alice', role: 'radiologist' });
    expect(a).toMatchObject({ name: 'Alice', role: 'radiologist' });
    expect(() => createReader(db, { name: 'Alice' })).toThrow(ReaderExistsError);
    expect(() => createReader(db, { name: '  ' })).toThrow(/non-empty/);
    expect(getReaderByName(db, 'Alice')?.id).toBe(a.id);
    expect(getReaderByName(db, 'Nobody')).toBeUndefined();
    const b = ensureReader(db, 'Bob');
    expect(ensureReader(db, 'Bob').id).toBe(b.id);
    expect(listReaders(db).map((r) => r.name)).toEqual(['Alice', 'Bob']);
  });
});

describe('grade events', () => {
  it('effective grade = latest grade not retracted; retract is an undo', () => {
    const { db, rightKneeId, leftKneeId } = seedDb();
    const alice = createReader(db, { name: 'Alice' });
    const bob = createReader(db, { name: 'Bob' });
    appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, klg: 1 });
    const second = appendGrade(db, {
      kneeId: rightKneeId,
      readerId: alice.id,
      klg: 3,
      confidence: 4,
      jsn: 2,
      comment: 'narrow',
    });
    appendGrade(db, { kneeId: rightKneeId, readerId: bob.id, klg: 2 });
    appendGrade(db, { kneeId: leftKneeId, readerId: bob.id, klg: 0, timeSpentMs: 1234.4 });

    let eff = effectiveGrades(db);
    expect(eff.map((g) => [g.kneeId, g.readerName, g.klg])).toEqual([
      [rightKneeId, 'Alice', 3],
      [rightKneeId, 'Bob', 2],
      [leftKneeId, 'Bob', 0],
    ]);
    expect(eff[0]).toMatchObject({ confidence: 4, jsn: 2, comment: 'narrow', eventId: second.id });
    expect(eff[2]!.timeSpentMs).toBe(1234);

    const r = retractGrade(db, second.id, alice.id);
    expect(r).toMatchObject({ kind: 'retract', retracts: second.id, klg: null });
    eff = effectiveGrades(db, { readerIds: [alice.id] });
    expect(eff.map((g) => g.klg)).toEqual([1]);

    // Retracting the remaining grade leaves Alice with no grade for the knee.
    const first = gradeHistory(db, rightKneeId, alice.id)[0]!;
    retractGrade(db, first.id, alice.id);
    expect(effectiveGrades(db, { readerIds: [alice.id] })).toEqual([]);
    // The whole history is still there.
    expect(gradeHistory(db, rightKneeId, alice.id).map((e) => e.kind)).toEqual([
      'grade',
      'grade',
      'retract',
      'retract',
    ]);
  });

  it('refuses invalid grades and foreign or double retractions', () => {
    const { db, rightKneeId } = seedDb();
    const alice = createReader(db, { name: 'Alice' });
    const bob = createReader(db, { name: 'Bob' });
    expect(() => appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, klg: 5 })).toThrow(
      GradeInputError,
    );
    expect(() => appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, klg: 1.5 })).toThrow(/integer/);
    expect(() => appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, klg: 2, confidence: 0 })).toThrow(
      /confidence/,
    );
    expect(() => appendGrade(db, { kneeId: 9999, readerId: alice.id, klg: 2 })).toThrow(/FOREIGN KEY/);
    const g = appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, klg: 2 });
    expect(() => retractGrade(db, g.id, bob.id)).toThrow(/belongs to reader/);
    const r = retractGrade(db, g.id, alice.id);
    expect(() => retractGrade(db, g.id, alice.id)).toThrow(/already retracted/);
    expect(() => retractGrade(db, r.id, alice.id)).toThrow(/not a grade/);
    expect(() => retractGrade(db, 4242, alice.id)).toThrow(/does not exist/);
  });

  it('per-session effective grades keep a reread apart from the primary read', () => {
    const { db, rightKneeId } = seedDb();
    const alice = createReader(db, { name: 'Alice' });
    const mk = db.prepare(
      "INSERT INTO reading_sessions (reader_id, name, order_seed, knee_order, created_at, updated_at) VALUES (?, ?, 1, '[]', 'now', 'now')",
    );
    const s1 = Number(mk.run(alice.id, 'primary').lastInsertRowid);
    const s2 = Number(mk.run(alice.id, 'reread').lastInsertRowid);
    appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, sessionId: s1, klg: 2 });
    const rr = appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, sessionId: s2, klg: 3 });
    appendGrade(db, { kneeId: rightKneeId, readerId: alice.id, klg: 4 }); // outside any session
    expect(effectiveGrades(db).map((g) => g.klg)).toEqual([4]);
    expect(effectiveGrades(db, { sessionId: s1 }).map((g) => g.klg)).toEqual([2]);
    expect(effectiveGrades(db, { sessionId: null }).map((g) => g.klg)).toEqual([4]);
    expect(effectiveGrades(db, { perSession: true }).map((g) => [g.sessionId, g.klg])).toEqual([
      [null, 4],
      [s1, 2],
      [s2, 3],
    ]);
    const retraction = retractGrade(db, rr.id, alice.id);
    expect(retraction.sessionId).toBe(s2);
    expect(effectiveGrades(db, { sessionId: s2 })).toEqual([]);
  });
});

describe('reference labels', () => {
  it('one label per knee and source; upsert replaces', () => {
    const { db, rightKneeId, leftKneeId } = seedDb();
    upsertReferenceLabel(db, { kneeId: rightKneeId, source: 'folder', klg: 2 });
    upsertReferenceLabel(db, { kneeId: rightKneeId, source: 'folder', klg: 3 });
    upsertReferenceLabel(db, { kneeId: rightKneeId, source: 'csv:labels.csv', klg: 1 });
    upsertReferenceLabel(db, { kneeId: leftKneeId, source: 'folder', klg: 0 });
    expect(() => upsertReferenceLabel(db, { kneeId: leftKneeId, source: 'folder', klg: 7 })).toThrow(/0-4/);
    expect(listReferenceLabels(db, { kneeIds: [rightKneeId] }).map((l) => [l.source, l.klg])).toEqual([
      ['csv:labels.csv', 1],
      ['folder', 3],
    ]);
    expect(listReferenceLabels(db, { source: 'folder' })).toHaveLength(2);
  });
});

describe('knees and studies', () => {
  it('lists knees with study, patient, current crop, grades and labels', () => {
    const { db, studyId, rightKneeId, leftKneeId } = seedDb();
    const alice = createReader(db, { name: 'Alice' });
    appendGrade(db, { kneeId: leftKneeId, readerId: alice.id, klg: 2 });
    upsertReferenceLabel(db, { kneeId: leftKneeId, source: 'phantom-truth', klg: 3 });
    appendCropEdit(db, { kneeId: leftKneeId, readerId: alice.id, crop: { x: 1010, y: 760, w: 900, h: 900 } });
    const latestEdit = appendCropEdit(db, { kneeId: leftKneeId, crop: { x: 1020, y: 770, w: 880, h: 880 } });
    expect(() => appendCropEdit(db, { kneeId: leftKneeId, crop: { x: 0, y: 0, w: 0, h: 10 } })).toThrow(
      /invalid crop/,
    );

    const knees = listKnees(db, { studyId });
    expect(knees.map((k) => k.side)).toEqual(['R', 'L']);
    const right = knees.find((k) => k.id === rightKneeId)!;
    expect(right.crop).toEqual({ x: 0, y: 750, w: 1000, h: 1000, source: 'auto', editId: null });
    expect(right.grades).toEqual([]);
    const left = getKnee(db, leftKneeId)!;
    expect(left.crop).toEqual({ x: 1020, y: 770, w: 880, h: 880, source: 'edit', editId: latestEdit });
    expect(left.autoCrop).toEqual({ x: 1000, y: 750, w: 1000, h: 1000 });
    expect(left.grades.map((g) => [g.readerName, g.klg])).toEqual([['Alice', 2]]);
    expect(left.referenceLabels).toEqual([{ source: 'phantom-truth', klg: 3 }]);
    expect(left.patient.key).toBe('PAT-001');
    expect(left.image.pixelSpacing).toEqual({ row: 0.14, col: 0.14, source: 'ImagerPixelSpacing' });
    expect(listKnees(db, { studyId: studyId + 100 })).toEqual([]);
    expect(getKnee(db, 9999)).toBeUndefined();

    const studies = listStudies(db);
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({
      uid: '1.2.3.4',
      imageCount: 1,
      kneeCount: 2,
      gradedKneeCount: 1,
      patientKey: 'PAT-001',
    });
  });

  it('ensureStudy refuses a UID that belongs to another patient', () => {
    const { db } = seedDb();
    const other = ensurePatient(db, { key: 'PAT-002' });
    expect(() => ensureStudy(db, { patientId: other.id, uid: '1.2.3.4' })).toThrow(/another patient/);
  });

  it('findImageBySha256 finds the imported file', () => {
    const { db, imageId } = seedDb();
    expect(findImageBySha256(db, 'a'.repeat(64))?.id).toBe(imageId);
    expect(findImageBySha256(db, 'c'.repeat(64))).toBeUndefined();
  });
});

describe('pseudonyms', () => {
  it('stable within a database, different across databases, never the key', () => {
    const a = seedDb();
    const b = seedDb();
    const pa = pseudonymFor(a.db, 'PAT-001');
    expect(pseudonymFor(a.db, 'PAT-001')).toBe(pa);
    expect(pa).toMatch(/^P-[0-9a-f]{12}$/);
    expect(pseudonymFor(b.db, 'PAT-001')).not.toBe(pa);
    expect(ensurePatient(a.db, { key: 'PAT-001' }).pseudonym).toBe(pa);
    expect(pseudonymFor(a.db, 'PAT-002')).not.toBe(pa);
  });
});

describe('import log', () => {
  it('records errors per batch', () => {
    const { db } = seedDb();
    const b = startImportBatch(db, ['/x']);
    recordImportError(db, { batchId: b, path: '/x/bad.dcm', code: 'TRUNCATED', reason: 'ends early' });
    expect(listImportErrors(db, { batchId: b }).map((e) => e.code)).toEqual(['TRUNCATED']);
    expect(listImportErrors(db, { batchId: b + 1 })).toEqual([]);
  });
});
