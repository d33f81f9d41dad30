import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/connection';
import {
  effectiveGrades,
  getReaderByName,
  listImages,
  listImportErrors,
  listKnees,
  listReferenceLabels,
  listStudies,
} from '../../../src/core/db/repositories';
import { decodeDicom } from '../../../src/core/dicom';
import { importPaths, type ImportResult } from '../../../src/core/import';
import { encodeFilmDicom } from '../../../src/core/phantoms';
import { makeImportFixtures, NO_META_HEADER, NO_META_PIXELS, type ImportFixtures } from './fixtures';

let root: string;
let fx: ImportFixtures;
let db: Db;
let first: ImportResult;

const counts = (d: Db) =>
  Object.fromEntries(
    ['patients', 'studies', 'images', 'knees', 'reference_labels', 'grade_events'].map((t) => [
      t,
      (d.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n,
    ]),
  );

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kg-import-'));
  fx = await makeImportFixtures(root);
  db = openDatabase({ file: path.join(root, 'study.db') });
  first = await importPaths(db, [
    path.join(root, 'films'),
    path.join(root, 'dataset'),
    path.join(root, 'bad'),
  ]);
});
afterAll(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('import of a mixed folder', () => {
  it('imports the good files, records every bad one with a reason, and passes over non-images', () => {
    // 2 phantom films + 1 DICOM without meta + 6 crops; 5 bad files; notes.txt and truth.csv passed over.
    expect(first.imported).toBe(9);
    expect(first.duplicates).toBe(0);
    expect(first.skipped).toBe(2);
    expect(first.files).toBe(14);
    const byFile = Object.fromEntries(first.errors.map((e) => [path.basename(e.path), e]));
    expect(Object.keys(byFile).sort()).toEqual([
      'NOTES',
      'cut.png',
      'empty.png',
      'garbage.dcm',
      'truncated.dcm',
    ]);
    expect(byFile['truncated.dcm']!.code).toBe('TRUNCATED');
    expect(byFile['garbage.dcm']!.code).toBe('NOT_DICOM');
    expect(byFile['NOTES']!.code).toBe('NOT_DICOM');
    expect(byFile['empty.png']!.code).toBe('EMPTY');
    expect(byFile['cut.png']!.code).toBe('CORRUPT');
    for (const e of first.errors) expect(e.reason.length).toBeGreaterThan(5);
    // The errors are in the database too, under this batch.
    expect(listImportErrors(db, { batchId: first.batchId })).toHaveLength(5);
  });

  it('splits each bilateral phantom into R (viewer’s left) and L knees with crops on the joints', () => {
    for (const film of fx.films) {
      const image = listImages(db).find((i) => i.path === film.file)!;
      expect(image).toMatchObject({
        modality: 'DX',
        laterality: 'B',
        isJointCrop: false,
        sourceFormat: 'dicom',
        bitsStored: 12,
      });
      expect(image.pixelSpacing?.source).toBe('ImagerPixelSpacing');
      const knees = listKnees(db, { imageId: image.id });
      expect(knees.map((k) => k.side)).toEqual(['R', 'L']);
      for (const k of knees) {
        const truth = film.knees.find((t) => t.side === k.side)!;
        const cx = k.crop.x + k.crop.w / 2;
        const cy = k.crop.y + k.crop.h / 2;
        expect(Math.hypot(cx - truth.jointX, cy - truth.jointY) * film.spacingMm).toBeLessThan(3);
        expect(k.crop.w * film.spacingMm).toBeCloseTo(140, 3);
        expect(k.crop.source).toBe('auto');
        expect(k.patient.key).toBe(film.patientId);
      }
    }
  });

  it('imports a DICOM without file meta', () => {
    const image = listImages(db).find((i) => i.path === fx.noMetaFile)!;
    expect(image.sopUid).toBe('2.25.97');
    const study = listStudies(db).find((s) => s.uid === '2.25.99')!;
    expect(study.date).toBe('2024-01-31');
    expect(study.patientKey).toBe('NOMETA-1');
  });

  it('dataset crops: one knee each, whole-image crop, side from the name, both knees of a subject one patient', () => {
    for (const c of fx.crops) {
      const image = listImages(db).find((i) => i.path === c.file)!;
      expect(image.isJointCrop).toBe(true);
      expect(image.laterality).toBe(c.side);
      const [knee, ...rest] = listKnees(db, { imageId: image.id });
      expect(rest).toEqual([]);
      expect(knee!.side).toBe(c.side);
      expect(knee!.crop).toMatchObject({ x: 0, y: 0, w: 64, h: 64, source: 'whole-image' });
      expect(knee!.patient.key).toBe(c.subject);
      expect(knee!.referenceLabels).toEqual([{ source: 'folder', klg: c.grade }]);
    }
    const subjectStudies = listStudies(db).filter((s) => /^900000\d$/.test(s.patientKey));
    expect(subjectStudies).toHaveLength(3);
    for (const s of subjectStudies) expect(s.kneeCount).toBe(2);
  });

  it('re-importing the same files is a no-op', async () => {
    const before = counts(db);
    const again = await importPaths(db, [path.join(root, 'films'), path.join(root, 'dataset')]);
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(9);
    expect(again.errors).toEqual([]);
    expect(counts(db)).toEqual(before);
  });

  it('the same instance re-sent with different bytes (Part 10 instead of bare) is a duplicate by SOP Instance UID', async () => {
    const before = counts(db);
    const file = path.join(root, 'resent.dcm');
    writeFileSync(file, encodeFilmDicom(NO_META_HEADER, NO_META_PIXELS));
    const r = await importPaths(db, [file]);
    expect(r).toMatchObject({ imported: 0, duplicates: 1, errors: [] });
    expect(r.results[0]!.imageId).toBe(listImages(db).find((i) => i.path === fx.noMetaFile)!.id);
    expect(counts(db)).toEqual(before);
  });
});

describe('modalities', () => {
  it('refuses a CT (not a radiograph) before decoding it, unless asked to take any modality', async () => {
    const file = path.join(root, 'ct.dcm');
    writeFileSync(
      file,
      encodeFilmDicom(
        { ...NO_META_HEADER, modality: 'CT', sopUid: '2.25.4242', studyUid: '2.25.4243' },
        NO_META_PIXELS,
      ),
    );
    const before = counts(db);
    const r = await importPaths(db, [file]);
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'NOT_A_RADIOGRAPH', reason: expect.stringMatching(/modality CT/) }),
    ]);
    expect(counts(db)).toEqual(before);
    const db6 = openDatabase({ file: ':memory:' });
    try {
      const any = await importPaths(db6, [file], { anyModality: true });
      expect(any).toMatchObject({ imported: 1, errors: [] });
    } finally {
      db6.close();
    }
  });
});

describe('mirrored display', () => {
  it('Patient Orientation R\\F (rows toward the patient’s right): the right knee is on the viewer’s right', async () => {
    const film = fx.films[0]!;
    const src = await decodeDicom(new Uint8Array(readFileSync(film.file)));
    const { columns: w, rows: h } = src;
    const mirrored = new Uint16Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) mirrored[y * w + x] = src.values[y * w + (w - 1 - x)]!;
    const file = path.join(root, 'mirrored.dcm');
    writeFileSync(
      file,
      encodeFilmDicom(
        {
          patientId: 'MIRROR-1',
          patientName: 'PHANTOM^MIRROR',
          birthDate: '19700101',
          sex: 'F',
          studyUid: '2.25.555',
          seriesUid: '2.25.556',
          sopUid: '2.25.557',
          studyDate: '20250101',
          accession: 'M1',
          rows: h,
          columns: w,
          spacingMm: film.spacingMm,
          photometric: 'MONOCHROME2',
          window: { center: 2000, width: 3600 },
          instanceNumber: 1,
          patientOrientation: 'R\\F',
        },
        mirrored,
      ),
    );
    const r = await importPaths(db, [file]);
    expect(r.errors).toEqual([]);
    const knees = listKnees(db, { imageId: r.results[0]!.imageId });
    for (const k of knees) {
      const truth = film.knees.find((t) => t.side === k.side)!;
      const cx = k.crop.x + k.crop.w / 2;
      // The side's truth, mirrored.
      expect(Math.abs(cx - (w - 1 - truth.jointX)) * film.spacingMm).toBeLessThan(3);
    }
    const right = knees.find((k) => k.side === 'R')!;
    expect(right.crop.x + right.crop.w / 2).toBeGreaterThan(w / 2);
  });
});

describe('labels', () => {
  it('a CSV stores reader grades and reference labels, and reports rows it cannot use', async () => {
    const csv = path.join(root, 'labels.csv');
    const film = path.relative(root, fx.films[0]!.file);
    writeFileSync(
      csv,
      [
        'file,grade,side,reader',
        `${film},3,R,Dr Who`, // a reader's grade, matched by relative path
        `${path.basename(fx.crops[0]!.file)},4,,`, // reference label, matched by name
        `${film},2,,`, // bilateral film without side: refused
        'missing.png,1,,',
        `${film},7,R,`,
      ].join('\n'),
    );
    const r = await importPaths(db, [path.join(root, 'films'), path.join(root, 'dataset')], {
      labelsCsv: csv,
    });
    expect(r.imported).toBe(0);
    expect(r.labels).toBe(2);
    expect(r.errors.map((e) => e.code).sort()).toEqual([
      'BAD_LABEL_ROW',
      'LABEL_NEEDS_SIDE',
      'LABEL_NO_MATCH',
    ]);
    expect(r.errors.every((e) => e.path.startsWith(`${csv}:`))).toBe(true);
    const who = getReaderByName(db, 'Dr Who')!;
    const grades = effectiveGrades(db, { readerIds: [who.id] });
    expect(grades.map((g) => g.klg)).toEqual([3]);
    const crop0 = listKnees(db, {
      imageId: listImages(db).find((i) => i.path === fx.crops[0]!.file)!.id,
    })[0]!;
    expect(
      listReferenceLabels(db, { kneeIds: [crop0.id], source: 'csv:labels.csv' }).map((l) => l.klg),
    ).toEqual([4]);
    // Importing the same labels again adds nothing.
    const r2 = await importPaths(db, [path.join(root, 'films'), path.join(root, 'dataset')], {
      labelsCsv: csv,
    });
    expect(r2.labels).toBe(0);
    expect(effectiveGrades(db, { readerIds: [who.id] })).toHaveLength(1);
    expect((db.prepare('SELECT COUNT(*) AS n FROM grade_events').get() as { n: number }).n).toBe(1);
  });

  it('folder labels as a named reader, and --already-clahe recorded per image', async () => {
    const db2 = openDatabase({ file: ':memory:' });
    try {
      const r = await importPaths(db2, [path.join(root, 'dataset')], {
        labelsAsReader: 'OAI central',
        alreadyClahe: true,
      });
      expect(r.imported).toBe(6);
      expect(r.labels).toBe(6);
      expect(listReferenceLabels(db2)).toEqual([]);
      const reader = getReaderByName(db2, 'OAI central')!;
      expect(
        effectiveGrades(db2, { readerIds: [reader.id] })
          .map((g) => g.klg)
          .sort(),
      ).toEqual(fx.crops.map((c) => c.grade).sort());
      expect(listImages(db2).every((i) => i.appliedSteps.join() === 'clahe')).toBe(true);
    } finally {
      db2.close();
    }
  });
});

describe('robustness', () => {
  it('a missing path is an error, the rest still imports; cancelling stops between files', async () => {
    const db3 = openDatabase({ file: ':memory:' });
    try {
      const ac = new AbortController();
      const r = await importPaths(db3, [path.join(root, 'nope'), path.join(root, 'dataset')], {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done === 2) ac.abort();
        },
      });
      expect(r.errors[0]).toMatchObject({ code: 'NOT_FOUND' });
      expect(r.cancelled).toBe(true);
      expect(r.imported).toBe(2);
      expect(listImages(db3)).toHaveLength(2);
    } finally {
      db3.close();
    }
  });
});

const shared = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data');
const hasShared = (() => {
  try {
    return readdirSync(shared).length > 0;
  } catch {
    return false;
  }
})();
if (!hasShared) console.warn(`shared data not found at ${shared}: skipping the real-data import tests`);

describe.skipIf(!hasShared)('real data (shared/data)', () => {
  it('OAI knee-kl crops: subject = patient, side from the name, grade from the folder', async () => {
    const db4 = openDatabase({ file: ':memory:' });
    try {
      const val = path.join(shared, 'knee-kl', 'kneeKL224-clahe', 'val');
      const files = [0, 1, 2, 3, 4].flatMap((g) =>
        readdirSync(path.join(val, String(g)))
          .sort()
          .slice(0, 2)
          .map((f) => path.join(val, String(g), f)),
      );
      const r = await importPaths(db4, files, { alreadyClahe: true });
      expect(r.errors).toEqual([]);
      expect(r.imported).toBe(10);
      for (const k of listKnees(db4)) {
        const base = path.basename(k.image.path, '.webp');
        expect(k.patient.key).toBe(base.slice(0, 7));
        expect(k.side).toBe(base.slice(7));
        expect(k.image).toMatchObject({
          rows: 224,
          columns: 224,
          isJointCrop: true,
          appliedSteps: ['clahe'],
        });
        expect(k.referenceLabels).toEqual([
          { source: 'folder', klg: Number(path.basename(path.dirname(k.image.path))) },
        ]);
      }
    } finally {
      db4.close();
    }
  });

  it('49 real DICOM samples: each is imported or has a recorded error with a reason; none stops the run', async () => {
    const db5 = openDatabase({ file: ':memory:' });
    try {
      const r = await importPaths(db5, [path.join(shared, 'dicom-samples')]);
      expect(r.imported + r.errors.length + r.duplicates).toBe(r.files);
      expect(r.imported).toBeGreaterThan(10);
      for (const e of r.errors) expect(e.reason).not.toBe('');
      // CT, MR, US, NM, ... are refused as not radiographs; every imported image is one.
      expect(r.errors.some((e) => e.code === 'NOT_A_RADIOGRAPH')).toBe(true);
      expect(
        listImages(db5).every((i) => ['CR', 'DX', 'RG', 'DR', 'OT', 'SC', null].includes(i.modality)),
      ).toBe(true);
      console.log(
        `dicom-samples: ${r.files} files, ${r.imported} imported, ${r.duplicates} duplicates, ${r.errors.length} errors: ` +
          r.errors.map((e) => `${path.basename(e.path)} ${e.code}`).join('; '),
      );
    } finally {
      db5.close();
    }
  });
});
