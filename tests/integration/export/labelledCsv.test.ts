import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { exportLabelledCsv, importLabelledCsv, isLabelledCsv } from '../../../src/core/export';
import { readEffectiveGrades, readReferenceLabels } from '../../../src/core/report/dbRead';
import { createImagesOnly, createStudyDb } from '../report/studyDb';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-export-'));
const fx = createStudyDb(dir);
const opened = [fx.db];
afterAll(() => opened.forEach((d) => d.close()));
const rowsOf = (csv: string): Record<string, string>[] =>
  parse(csv, { bom: true, columns: true }) as Record<string, string>[];

describe('exportLabelledCsv', () => {
  const csv = exportLabelledCsv(fx.db);
  const rows = rowsOf(csv);

  it('writes one row per knee with side, image sha256, reference labels, readers with sessions, model probabilities', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM: spreadsheets read UTF-8 names correctly
    expect(rows).toHaveLength(60);
    expect(Object.keys(rows[0]!)).toEqual([
      'format',
      'patient',
      'study',
      'image',
      'knee_id',
      'side',
      'image_sha256',
      'reference:folder:klg',
      'reference:csv:extra:klg',
      'reader:Dr A:klg',
      'reader:Dr A:session',
      'reader:Dr B:klg',
      'reader:Dr B:session',
      'model:resnet18-kl:klg',
      'model:resnet18-kl:p0',
      'model:resnet18-kl:p1',
      'model:resnet18-kl:p2',
      'model:resnet18-kl:p3',
      'model:resnet18-kl:p4',
    ]);
    const r0 = rows[0]!;
    expect([r0.patient, r0.study, r0.image, r0.side, r0.image_sha256]).toEqual([
      'P0001',
      'P0001-S1',
      'P0001-S1-I1',
      'R',
      fx.shaOf(0),
    ]);
    expect(r0['reader:Dr A:session']).toBe('A re-read'); // knee 0's latest grade came from the re-read
    expect(Number(r0['reader:Dr A:klg'])).toBe(fx.drA[0]);
    expect(rows[11]!['reader:Dr B:klg']).toBe(''); // never graded
    expect(rows[7]!['reference:folder:klg']).toBe(''); // no label
    expect(Number(rows[9]!['model:resnet18-kl:klg'])).toBe(fx.model[9]); // latest prediction, not the superseded one
    const p = [0, 1, 2, 3, 4].map((g) => Number(rows[9]![`model:resnet18-kl:p${g}`]));
    expect(p[fx.model[9]!]).toBe(0.6);
  });

  it('is de-identified by default and keeps identifiers only when asked', () => {
    for (const secret of ['DOE^JANE', 'PID10', '1.2.840.99999', '/data/', '195001', 'ACC1'])
      expect(csv, secret).not.toContain(secret);
    const withIds = exportLabelledCsv(fx.db, { includeIdentifiers: true });
    const r = rowsOf(withIds)[0]!;
    expect([r.patient_name, r.birth_date, r.study_uid, r.image_path]).toEqual([
      'DOE^JANE0',
      '19500101',
      '1.2.840.99999.0',
      '/data/DOE_JANE0/knees.dcm',
    ]);
  });

  it('is recognised by its header', () => {
    expect(isLabelledCsv(csv)).toBe(true);
    expect(isLabelledCsv('file,klg\na.png,2\n')).toBe(false);
  });
});

describe('importLabelledCsv: the export re-imported reproduces the grades', () => {
  const csv = exportLabelledCsv(fx.db);

  it('as reference labels, into a database with the same images', () => {
    const other = createImagesOnly(path.join(dir, 'other-ref.db'));
    opened.push(other.db);
    const res = importLabelledCsv(other.db, csv, {
      as: 'reference',
      column: 'reference:folder:klg',
      file: 'export.csv',
    });
    expect(res).toMatchObject({ rows: 60, matched: 60, written: 57, unchanged: 0, empty: 3, errors: [] });
    const got = readReferenceLabels(other.db).map((l) => [l.kneeId, l.source, l.klg]);
    const want = readReferenceLabels(fx.db)
      .filter((l) => l.source === 'folder')
      .map((l) => [l.kneeId, l.source, l.klg]);
    expect(got).toEqual(want);
    // idempotent
    expect(
      importLabelledCsv(other.db, csv, { as: 'reference', column: 'reference:folder:klg' }),
    ).toMatchObject({ written: 0, unchanged: 57 });
    // without a column: every reference column back into its own source
    const all = importLabelledCsv(other.db, csv, { as: 'reference' });
    expect(all).toMatchObject({ written: 5, unchanged: 57, errors: [] });
    const key = (l: { kneeId: number; source: string; klg: number }): string =>
      `${l.kneeId}:${l.source}:${l.klg}`;
    expect(readReferenceLabels(other.db).map(key).sort()).toEqual(readReferenceLabels(fx.db).map(key).sort());
    // a single target source needs a single column
    expect(() => importLabelledCsv(other.db, csv, { as: 'reference', source: 'x' })).toThrow(
      /give column together with source/,
    );
  });

  it('as reader grades, creating the readers, then unchanged on a second import', () => {
    const other = createImagesOnly(path.join(dir, 'other-readers.db'));
    opened.push(other.db);
    const res = importLabelledCsv(other.db, csv, { as: 'reader' });
    expect(res.readersCreated).toEqual(['Dr A', 'Dr B']);
    expect(res.written).toBe(119);
    const summary = (db: typeof fx.db): string[] => {
      const names = new Map(
        (db.prepare('SELECT id, name FROM readers').all() as { id: number; name: string }[]).map((r) => [
          r.id,
          r.name,
        ]),
      );
      return readEffectiveGrades(db)
        .map((e) => `${e.kneeId}:${names.get(e.readerId)}:${e.klg}`)
        .sort();
    };
    expect(summary(other.db)).toEqual(summary(fx.db));
    expect(importLabelledCsv(other.db, csv, { as: 'reader' })).toMatchObject({ written: 0, unchanged: 119 });
  });

  it('reports rows it cannot match, by line, and imports the rest', () => {
    const other = createImagesOnly(path.join(dir, 'other-partial.db'), 29); // the 30th patient's image is absent
    opened.push(other.db);
    const res = importLabelledCsv(other.db, csv, {
      as: 'reference',
      column: 'reference:folder:klg',
      source: 'reimport',
      file: 'x.csv',
    });
    expect(res.matched).toBe(58);
    expect(res.errors).toEqual([
      expect.stringMatching(/^x\.csv:60: no knee in this database for image [0-9a-f]{12}… side R$/),
      expect.stringMatching(/^x\.csv:61: no knee in this database for image [0-9a-f]{12}… side L$/),
    ]);
    expect(readReferenceLabels(other.db).every((l) => l.source === 'reimport')).toBe(true);
  });

  it('keeps spreadsheet formulas inert and restores the text on re-import', () => {
    fx.db.prepare("INSERT INTO readers (name, created_at) VALUES ('=HYPERLINK(\"http://x\")', 'now')").run();
    const rid = (fx.db.prepare('SELECT max(id) AS id FROM readers').get() as { id: number }).id;
    const sid = fx.db
      .prepare(
        "INSERT INTO reading_sessions (reader_id, name, order_seed, knee_order, created_at, updated_at) VALUES (?, '@SUM(A1)', 1, '[]', 'n', 'n')",
      )
      .run(rid).lastInsertRowid;
    fx.db
      .prepare(
        "INSERT INTO grade_events (knee_id, reader_id, session_id, kind, klg, created_at) VALUES (?, ?, ?, 'grade', 2, 'now')",
      )
      .run(fx.kneeIds[0], rid, sid);
    const text = exportLabelledCsv(fx.db);
    const header = (parse(text, { bom: true, to_line: 1 }) as string[][])[0]!;
    expect(header).toContain('reader:=HYPERLINK("http://x"):klg'); // starts with "reader:", not a formula
    expect(text).toContain("'@SUM(A1)"); // a session name that would be a formula is prefixed with '
    expect(text).not.toMatch(/(^|,)@SUM/m);
    const other = createImagesOnly(path.join(dir, 'other-formula.db'));
    opened.push(other.db);
    const res = importLabelledCsv(other.db, text, {
      as: 'reader',
      column: 'reader:=HYPERLINK("http://x"):klg',
    });
    expect(res.written).toBe(1);
    const session = other.db.prepare('SELECT count(*) AS n FROM grade_events').get() as { n: number };
    expect(session.n).toBe(1);
    expect(
      (other.db.prepare('SELECT name FROM readers').all() as { name: string }[]).map((r) => r.name),
    ).toEqual(['=HYPERLINK("http://x")']);
  });
});

describe('kneegrade export (CLI)', () => {
  it('writes the de-identified CSV to a file', () => {
    const out = path.join(dir, 'labels.csv');
    const r = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '../../../bin/kneegrade.mjs'), '--db', fx.file, 'export', '-o', out],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toMatch(/wrote .*labels\.csv: 60 knee\(s\), \d+ columns \(de-identified\)/);
    expect(r.status).toBe(0);
    expect(rowsOf(readFileSync(out, 'utf8'))).toHaveLength(60);
  });
});
