import type { Db } from '../connection';
import { effectiveGrades, type EffectiveGrade } from './gradeEvents';
import { parseAppliedSteps, type SourceFormat, type SpacingSource } from './images';
import { listReferenceLabels } from './referenceLabels';
import { nowIso } from './time';

export type Side = 'L' | 'R';

/** A crop rectangle in image pixel coordinates (x, y = top-left corner). */
export interface CropRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The crop the models use: the latest reader edit, else the automatic crop stored with the knee. */
export interface CurrentCrop extends CropRect {
  source: 'auto' | 'whole-image' | 'edit';
  editId: number | null;
}

export interface KneeInput {
  imageId: number;
  side: Side;
  crop: CropRect;
  cropSource: 'auto' | 'whole-image';
}

export interface KneeRecord {
  id: number;
  imageId: number;
  side: Side;
  autoCrop: CropRect;
  autoCropSource: 'auto' | 'whole-image';
}

/** One knee as listed: where it comes from, its current crop, every reader's grade and the reference labels. */
export interface KneeSummary extends KneeRecord {
  crop: CurrentCrop;
  image: {
    id: number;
    path: string;
    rows: number;
    columns: number;
    sourceFormat: SourceFormat;
    modality: string | null;
    isJointCrop: boolean;
    appliedSteps: string[];
    pixelSha256: string;
    laterality: 'L' | 'R' | 'B' | null;
    view: string | null;
    pixelSpacing: { row: number; col: number; source: SpacingSource } | null;
  };
  study: { id: number; uid: string; date: string | null; description: string | null };
  patient: { id: number; key: string; name: string | null; pseudonym: string };
  grades: EffectiveGrade[];
  referenceLabels: { source: string; klg: number }[];
}

export function insertKnee(db: Db, k: KneeInput): KneeRecord {
  const info = db
    .prepare(
      'INSERT INTO knees (image_id, side, crop_x, crop_y, crop_w, crop_h, crop_source) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(k.imageId, k.side, k.crop.x, k.crop.y, k.crop.w, k.crop.h, k.cropSource);
  return {
    id: Number(info.lastInsertRowid),
    imageId: k.imageId,
    side: k.side,
    autoCrop: { ...k.crop },
    autoCropSource: k.cropSource,
  };
}

/** Record a reader's correction of a knee's crop (append-only; the latest one wins). */
export function appendCropEdit(
  db: Db,
  e: { kneeId: number; readerId?: number | null; crop: CropRect },
): number {
  const { x, y, w, h } = e.crop;
  if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0)
    throw new Error(`invalid crop ${JSON.stringify(e.crop)}`);
  const info = db
    .prepare(
      'INSERT INTO crop_edits (knee_id, reader_id, crop_x, crop_y, crop_w, crop_h, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(e.kneeId, e.readerId ?? null, x, y, w, h, nowIso());
  return Number(info.lastInsertRowid);
}

interface KneeJoinRow {
  id: number;
  image_id: number;
  side: Side;
  crop_x: number;
  crop_y: number;
  crop_w: number;
  crop_h: number;
  crop_source: 'auto' | 'whole-image';
  edit_id: number | null;
  edit_x: number | null;
  edit_y: number | null;
  edit_w: number | null;
  edit_h: number | null;
  path: string;
  rows: number;
  columns: number;
  source_format: SourceFormat;
  modality: string | null;
  is_joint_crop: number;
  applied_steps: string;
  pixel_sha256: string;
  laterality: 'L' | 'R' | 'B' | null;
  view: string | null;
  pixel_spacing_row_mm: number | null;
  pixel_spacing_col_mm: number | null;
  spacing_source: SpacingSource | null;
  study_id: number;
  study_uid: string;
  study_date: string | null;
  description: string | null;
  patient_id: number;
  patient_key: string;
  patient_name: string | null;
  pseudonym: string;
}

export interface KneeFilter {
  studyId?: number;
  imageId?: number;
  kneeIds?: readonly number[];
  /** Only these readers' grades are attached (default: every reader). */
  readerIds?: readonly number[];
}

// The latest crop edit per knee is picked by the highest id: the table is append-only, so ids order edits exactly.
const KNEE_SELECT = `
  SELECT k.*, ce.id AS edit_id, ce.crop_x AS edit_x, ce.crop_y AS edit_y, ce.crop_w AS edit_w, ce.crop_h AS edit_h,
    i.path, i.rows, i.columns, i.source_format, i.modality, i.is_joint_crop, i.applied_steps, i.pixel_sha256,
    i.laterality, i.view, i.pixel_spacing_row_mm, i.pixel_spacing_col_mm, i.spacing_source,
    s.id AS study_id, s.study_uid, s.study_date, s.description,
    p.id AS patient_id, p.patient_key, p.patient_name, p.pseudonym
  FROM knees k
  JOIN images i ON i.id = k.image_id
  JOIN studies s ON s.id = i.study_id
  JOIN patients p ON p.id = s.patient_id
  LEFT JOIN crop_edits ce ON ce.id = (SELECT MAX(id) FROM crop_edits WHERE knee_id = k.id)`;

export function listKnees(db: Db, filter: KneeFilter = {}): KneeSummary[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.studyId !== undefined) {
    where.push('s.id = ?');
    params.push(filter.studyId);
  }
  if (filter.imageId !== undefined) {
    where.push('i.id = ?');
    params.push(filter.imageId);
  }
  if (filter.kneeIds) {
    where.push('k.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.kneeIds));
  }
  const rows = db
    .prepare(
      `${KNEE_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.study_date, s.id, i.id, k.side DESC`,
    )
    .all(...params) as KneeJoinRow[];
  if (rows.length === 0) return [];
  // Grades and labels for exactly these knees (one query each, not one per knee).
  const ids = rows.map((r) => r.id);
  const grades = effectiveGrades(db, {
    kneeIds: ids,
    ...(filter.readerIds ? { readerIds: filter.readerIds } : {}),
  });
  const labels = listReferenceLabels(db, { kneeIds: ids });
  const gradesByKnee = groupBy(grades, (g) => g.kneeId);
  const labelsByKnee = groupBy(labels, (l) => l.kneeId);
  return rows.map((r) => ({
    id: r.id,
    imageId: r.image_id,
    side: r.side,
    autoCrop: { x: r.crop_x, y: r.crop_y, w: r.crop_w, h: r.crop_h },
    autoCropSource: r.crop_source,
    crop:
      r.edit_id !== null
        ? { x: r.edit_x!, y: r.edit_y!, w: r.edit_w!, h: r.edit_h!, source: 'edit', editId: r.edit_id }
        : { x: r.crop_x, y: r.crop_y, w: r.crop_w, h: r.crop_h, source: r.crop_source, editId: null },
    image: {
      id: r.image_id,
      path: r.path,
      rows: r.rows,
      columns: r.columns,
      sourceFormat: r.source_format,
      modality: r.modality,
      isJointCrop: r.is_joint_crop === 1,
      appliedSteps: parseAppliedSteps(r.applied_steps),
      pixelSha256: r.pixel_sha256,
      laterality: r.laterality,
      view: r.view,
      pixelSpacing:
        r.pixel_spacing_row_mm !== null && r.pixel_spacing_col_mm !== null && r.spacing_source !== null
          ? { row: r.pixel_spacing_row_mm, col: r.pixel_spacing_col_mm, source: r.spacing_source }
          : null,
    },
    study: { id: r.study_id, uid: r.study_uid, date: r.study_date, description: r.description },
    patient: { id: r.patient_id, key: r.patient_key, name: r.patient_name, pseudonym: r.pseudonym },
    grades: gradesByKnee.get(r.id) ?? [],
    referenceLabels: (labelsByKnee.get(r.id) ?? []).map((l) => ({ source: l.source, klg: l.klg })),
  }));
}

export function getKnee(db: Db, id: number): KneeSummary | undefined {
  return listKnees(db, { kneeIds: [id] })[0];
}

/** The current crop of one knee (latest edit, else the auto crop). */
export function currentCrop(db: Db, kneeId: number): CurrentCrop | undefined {
  return getKnee(db, kneeId)?.crop;
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}
