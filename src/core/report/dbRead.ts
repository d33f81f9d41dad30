// Read-only queries the report and the export need, written here (not in db/repositories) so this
// module depends only on the schema (migration 0001). No query takes user text: the few filters
// are bound parameters.
import type { Db } from '../db/connection';
import { effectiveGrades, type Effective, type GradeEventRow } from './effectiveGrades';

export interface KneeRow {
  kneeId: number;
  side: 'L' | 'R';
  imageId: number;
  imageSha256: string;
  imagePath: string;
  sopUid: string | null;
  seriesUid: string | null;
  studyId: number;
  studyUid: string;
  studyDate: string | null;
  accession: string | null;
  patientId: number;
  patientKey: string;
  patientName: string | null;
  birthDate: string | null;
  pseudonym: string;
}

export function readKnees(db: Db, studyId?: number): KneeRow[] {
  const sql = `
    SELECT k.id AS kneeId, k.side AS side, i.id AS imageId, i.sha256 AS imageSha256, i.path AS imagePath,
           i.sop_uid AS sopUid, i.series_uid AS seriesUid, s.id AS studyId, s.study_uid AS studyUid,
           s.study_date AS studyDate, s.accession AS accession, p.id AS patientId, p.patient_key AS patientKey,
           p.patient_name AS patientName, p.birth_date AS birthDate, p.pseudonym AS pseudonym
      FROM knees k
      JOIN images i ON i.id = k.image_id
      JOIN studies s ON s.id = i.study_id
      JOIN patients p ON p.id = s.patient_id
     WHERE (? IS NULL OR s.id = ?)
     ORDER BY p.id, s.id, i.id, k.side DESC`;
  return db.prepare(sql).all(studyId ?? null, studyId ?? null) as KneeRow[];
}

export interface ReaderRow {
  id: number;
  name: string;
}
export function readReaders(db: Db): ReaderRow[] {
  return db.prepare('SELECT id, name FROM readers ORDER BY id').all() as ReaderRow[];
}

export interface SessionRow {
  id: number;
  readerId: number;
  name: string;
  kind: 'primary' | 'reread';
  rereadOf: number | null;
}
export function readSessions(db: Db): SessionRow[] {
  return db
    .prepare(
      'SELECT id, reader_id AS readerId, name, kind, reread_of AS rereadOf FROM reading_sessions ORDER BY id',
    )
    .all() as SessionRow[];
}

export function readGradeEvents(db: Db): GradeEventRow[] {
  return db
    .prepare(
      `SELECT id, knee_id AS kneeId, reader_id AS readerId, session_id AS sessionId, kind, klg, retracts
         FROM grade_events ORDER BY id`,
    )
    .all() as GradeEventRow[];
}

/** Effective grade per knee+reader (the rule in docs/ARCHITECTURE.md). */
export function readEffectiveGrades(db: Db): Effective[] {
  return [...effectiveGrades(readGradeEvents(db)).values()];
}

export interface ModelRow {
  id: number;
  name: string;
  version: string;
  /** Unique display name: the name, or name@version when several versions are registered. */
  label: string;
}
export function readModels(db: Db): ModelRow[] {
  const rows = db.prepare('SELECT id, name, version FROM models ORDER BY id').all() as Omit<
    ModelRow,
    'label'
  >[];
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return rows.map((r) => ({ ...r, label: (count.get(r.name) ?? 0) > 1 ? `${r.name}@${r.version}` : r.name }));
}

export interface PredictionRow {
  modelId: number;
  kneeId: number;
  klg: number;
  probs: number[];
}
/** A model's grade for a knee: its latest prediction (by id) for that knee (probabilities parsed only when asked). */
export function readLatestPredictions(db: Db, withProbs = true): PredictionRow[] {
  // All predictions in id order, the last per (model, knee) wins: one scan, no correlated subquery.
  const sql = withProbs
    ? 'SELECT model_id AS modelId, knee_id AS kneeId, klg, probs FROM predictions ORDER BY id'
    : "SELECT model_id AS modelId, knee_id AS kneeId, klg, '' AS probs FROM predictions ORDER BY id";
  const latest = new Map<number, { modelId: number; kneeId: number; klg: number; probs: string }>();
  for (const r of db.prepare(sql).iterate() as IterableIterator<{
    modelId: number;
    kneeId: number;
    klg: number;
    probs: string;
  }>)
    latest.set(r.kneeId * 65536 + r.modelId, r);
  return [...latest.values()].map((r) => ({ ...r, probs: withProbs ? parseProbs(r.probs) : [] }));
}

function parseProbs(text: string): number[] {
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v) && v.length === 5 && v.every((x) => typeof x === 'number')) return v as number[];
  } catch {
    /* fall through */
  }
  return [];
}

export interface LabelRow {
  kneeId: number;
  source: string;
  klg: number;
}
export function readReferenceLabels(db: Db): LabelRow[] {
  return db
    .prepare('SELECT knee_id AS kneeId, source, klg FROM reference_labels ORDER BY id')
    .all() as LabelRow[];
}
