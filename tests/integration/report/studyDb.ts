// A small study database built with plain SQL against schema 0001 (no repositories), with known
// answers: 30 patients x 2 knees, two readers (one with a re-read session, corrections and an undo),
// a model with a superseded prediction, and two reference label sources.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../../src/core/db/connection';

export interface StudyFixture {
  db: Db;
  file: string;
  /** knee ids in insertion order (patient p: knees 2p (R), 2p+1 (L)) */
  kneeIds: number[];
  truth: number[];
  drA: number[];
  drB: number[];
  model: number[];
  /** knee index -> folder label (undefined: none) */
  folder: (number | undefined)[];
  rereadKnees: number[];
  shaOf: (imageId: number) => string;
}

const T = '2026-01-01T00:00:00.000Z';

/** Deterministic pseudo-random grades. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

export function shaFor(i: number): string {
  return createHash('sha256').update(`image-${i}`).digest('hex');
}

/** Patients, studies, images and knees only (what a second database needs to receive a re-import). */
export function createImagesOnly(file: string, nPatients = 30): { db: Db; kneeIds: number[] } {
  const db = openDatabase({ file });
  const kneeIds: number[] = [];
  const insPatient = db.prepare(
    'INSERT INTO patients (patient_key, patient_name, birth_date, sex, pseudonym) VALUES (?, ?, ?, ?, ?)',
  );
  const insStudy = db.prepare(
    'INSERT INTO studies (patient_id, study_uid, study_date, description, accession, imported_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insImage = db.prepare(
    `INSERT INTO images (study_id, path, sha256, pixel_sha256, sop_uid, rows, columns, laterality, source_format, imported_at)
     VALUES (?, ?, ?, ?, ?, 2000, 2500, 'B', 'dicom', ?)`,
  );
  const insKnee = db.prepare(
    `INSERT INTO knees (image_id, side, crop_x, crop_y, crop_w, crop_h, crop_source) VALUES (?, ?, 0, 0, 100, 100, 'auto')`,
  );
  db.transaction(() => {
    for (let p = 0; p < nPatients; p++) {
      const pid = Number(
        insPatient.run(
          `PID${1000 + p}`,
          `DOE^JANE${p}`,
          `195001${String((p % 28) + 1).padStart(2, '0')}`,
          'F',
          `P${String(p + 1).padStart(4, '0')}`,
        ).lastInsertRowid,
      );
      const sid = Number(
        insStudy.run(pid, `1.2.840.99999.${p}`, '20250101', 'KNEE PA', `ACC${p}`, T).lastInsertRowid,
      );
      const iid = Number(
        insImage.run(
          sid,
          `/data/DOE_JANE${p}/knees.dcm`,
          shaFor(p),
          shaFor(p + 1000),
          `1.2.840.99999.${p}.1.1`,
          T,
        ).lastInsertRowid,
      );
      kneeIds.push(
        Number(insKnee.run(iid, 'R').lastInsertRowid),
        Number(insKnee.run(iid, 'L').lastInsertRowid),
      );
    }
  })();
  return { db, kneeIds };
}

export function createStudyDb(dir = mkdtempSync(path.join(os.tmpdir(), 'kg-report-'))): StudyFixture {
  const file = path.join(dir, 'study.db');
  const { db, kneeIds } = createImagesOnly(file);
  const n = kneeIds.length;
  const rnd = lcg(42);
  const truth = kneeIds.map(() => Math.floor(rnd() * 5));
  const near = (t: number, p: number): number =>
    rnd() < p ? Math.min(4, Math.max(0, t + (rnd() < 0.5 ? -1 : 1))) : t;
  const drA = truth.map((t) => near(t, 0.25));
  const drB = truth.map((t) => near(t, 0.4));
  const model = truth.map((t) => near(t, 0.3));
  const folder = truth.map((t, i) => (i % 20 === 7 ? undefined : t)); // 3 knees without a folder label
  const rereadKnees = Array.from({ length: 20 }, (_, i) => i);

  db.transaction(() => {
    const insReader = db.prepare('INSERT INTO readers (name, created_at) VALUES (?, ?)');
    const a = Number(insReader.run('Dr A', T).lastInsertRowid);
    const b = Number(insReader.run('Dr B', T).lastInsertRowid);
    const insSession = db.prepare(
      `INSERT INTO reading_sessions (reader_id, name, kind, reread_of, order_seed, knee_order, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, '[]', ?, ?)`,
    );
    const sA = Number(insSession.run(a, 'A primary', 'primary', null, T, T).lastInsertRowid);
    const sB = Number(insSession.run(b, 'B primary', 'primary', null, T, T).lastInsertRowid);
    const sA2 = Number(insSession.run(a, 'A re-read', 'reread', sA, T, T).lastInsertRowid);
    const grade = db.prepare(
      `INSERT INTO grade_events (knee_id, reader_id, session_id, kind, klg, created_at) VALUES (?, ?, ?, 'grade', ?, ?)`,
    );
    const retract = db.prepare(
      `INSERT INTO grade_events (knee_id, reader_id, session_id, kind, retracts, created_at) VALUES (?, ?, ?, 'retract', ?, ?)`,
    );
    for (let i = 0; i < n; i++) {
      const k = kneeIds[i]!;
      if (i === 3) {
        // a correction: a wrong grade first, then the real one
        grade.run(k, a, sA, (drA[i]! + 2) % 5, T);
      }
      const real = Number(grade.run(k, a, sA, drA[i]!, T).lastInsertRowid);
      if (i === 5) {
        // an undone grade: entered after the real one, then retracted -> the real one stands
        const wrong = Number(grade.run(k, a, sA, (drA[i]! + 1) % 5, T).lastInsertRowid);
        retract.run(k, a, sA, wrong, T);
      }
      void real;
      if (i !== 11) grade.run(k, b, sB, drB[i]!, T); // Dr B skipped one knee
    }
    // the re-read: same grades except two knees
    for (const i of rereadKnees) grade.run(kneeIds[i]!, a, sA2, i < 2 ? (drA[i]! + 1) % 5 : drA[i]!, T);
    // Dr A's latest grades are now the re-read ones for knees 0 and 1: update the expectation
    drA[0] = (drA[0]! + 1) % 5;
    drA[1] = (drA[1]! + 1) % 5;

    const m = Number(
      db
        .prepare(
          `INSERT INTO models (name, version, approach, sha256, card_json, registered_at) VALUES ('resnet18-kl', '1.0.0', 'end-to-end', ?, '{}', ?)`,
        )
        .run('f'.repeat(64), T).lastInsertRowid,
    );
    const pred = db.prepare(
      `INSERT INTO predictions (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h, probs, klg, provider, created_at)
       VALUES (?, ?, 'px', ?, 0, 100, 100, ?, ?, 'cpu', ?)`,
    );
    for (let i = 0; i < n; i++) {
      const probs = [0, 1, 2, 3, 4].map((g) => (g === model[i] ? 0.6 : 0.1));
      if (i === 9)
        pred.run(m, kneeIds[i]!, 5, JSON.stringify([0.2, 0.2, 0.2, 0.2, 0.2]), (model[i]! + 2) % 5, T); // superseded
      pred.run(m, kneeIds[i]!, 0, JSON.stringify(probs), model[i]!, T);
    }
    const label = db.prepare(
      'INSERT INTO reference_labels (knee_id, source, klg, created_at) VALUES (?, ?, ?, ?)',
    );
    folder.forEach((g, i) => {
      if (g !== undefined) label.run(kneeIds[i]!, 'folder', g, T);
    });
    for (let i = 0; i < 5; i++) label.run(kneeIds[i]!, 'csv:extra', (truth[i]! + 1) % 5, T);
  })();
  drB[11] = -1;
  return { db, file, kneeIds, truth, drA, drB, model, folder, rereadKnees, shaOf: shaFor };
}
