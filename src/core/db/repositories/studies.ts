import type { Db } from '../connection';
import { nowIso } from './time';

export interface StudyInput {
  patientId: number;
  uid: string;
  date?: string | null;
  description?: string | null;
  accession?: string | null;
}

export interface Study {
  id: number;
  patientId: number;
  uid: string;
  date: string | null;
  description: string | null;
  accession: string | null;
  importedAt: string;
}

/** A study as listed: with its patient and how many images and knees it holds. */
export interface StudySummary extends Study {
  patientKey: string;
  patientName: string | null;
  pseudonym: string;
  imageCount: number;
  kneeCount: number;
  /** Knees with at least one effective reader grade. */
  gradedKneeCount: number;
}

interface StudyRow {
  id: number;
  patient_id: number;
  study_uid: string;
  study_date: string | null;
  description: string | null;
  accession: string | null;
  imported_at: string;
}

function toStudy(r: StudyRow): Study {
  return {
    id: r.id,
    patientId: r.patient_id,
    uid: r.study_uid,
    date: r.study_date,
    description: r.description,
    accession: r.accession,
    importedAt: r.imported_at,
  };
}

export function getStudy(db: Db, id: number): Study | undefined {
  const r = db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as StudyRow | undefined;
  return r ? toStudy(r) : undefined;
}

export function getStudyByUid(db: Db, uid: string): Study | undefined {
  const r = db.prepare('SELECT * FROM studies WHERE study_uid = ?').get(uid) as StudyRow | undefined;
  return r ? toStudy(r) : undefined;
}

/**
 * The study with this UID, created if new. A UID already stored under another patient is refused: it
 * means two patients' files claim the same study, which must not be merged silently.
 */
export function ensureStudy(db: Db, input: StudyInput): Study {
  const found = getStudyByUid(db, input.uid);
  if (found) {
    if (found.patientId !== input.patientId)
      throw new Error(
        `study ${input.uid} is already stored for another patient (patient id ${found.patientId})`,
      );
    return found;
  }
  const info = db
    .prepare(
      'INSERT INTO studies (patient_id, study_uid, study_date, description, accession, imported_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      input.patientId,
      input.uid,
      input.date ?? null,
      input.description ?? null,
      input.accession ?? null,
      nowIso(),
    );
  return getStudy(db, Number(info.lastInsertRowid))!;
}

export function listStudies(db: Db): StudySummary[] {
  const rows = db
    .prepare(
      `SELECT s.*, p.patient_key, p.patient_name, p.pseudonym,
         (SELECT COUNT(*) FROM images i WHERE i.study_id = s.id) AS image_count,
         (SELECT COUNT(*) FROM knees k JOIN images i ON i.id = k.image_id WHERE i.study_id = s.id) AS knee_count,
         (SELECT COUNT(DISTINCT k.id) FROM knees k JOIN images i ON i.id = k.image_id
            JOIN grade_events g ON g.knee_id = k.id AND g.kind = 'grade'
            WHERE i.study_id = s.id AND NOT EXISTS (SELECT 1 FROM grade_events r WHERE r.retracts = g.id)) AS graded_knee_count
       FROM studies s JOIN patients p ON p.id = s.patient_id
       ORDER BY s.study_date, s.id`,
    )
    .all() as (StudyRow & {
    patient_key: string;
    patient_name: string | null;
    pseudonym: string;
    image_count: number;
    knee_count: number;
    graded_knee_count: number;
  })[];
  return rows.map((r) => ({
    ...toStudy(r),
    patientKey: r.patient_key,
    patientName: r.patient_name,
    pseudonym: r.pseudonym,
    imageCount: r.image_count,
    kneeCount: r.knee_count,
    gradedKneeCount: r.graded_knee_count,
  }));
}
