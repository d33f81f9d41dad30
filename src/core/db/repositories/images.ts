import type { Db } from '../connection';
import { nowIso } from './time';

export type SourceFormat = 'dicom' | 'png' | 'jpeg' | 'webp';
export type SpacingSource = 'PixelSpacing' | 'ImagerPixelSpacing';

export interface ImageInput {
  studyId: number;
  path: string;
  sha256: string;
  pixelSha256: string;
  seriesUid?: string | null;
  sopUid?: string | null;
  modality?: string | null;
  rows: number;
  columns: number;
  frames?: number;
  bitsStored?: number | null;
  photometric?: string | null;
  transferSyntax?: string | null;
  pixelSpacing?: { row: number; col: number; source: SpacingSource } | null;
  laterality?: 'L' | 'R' | 'B' | null;
  view?: string | null;
  sourceFormat: SourceFormat;
  isJointCrop?: boolean;
  /** What was already done to the pixels before import, e.g. ['clahe']. */
  appliedSteps?: readonly string[];
}

export interface ImageRecord {
  id: number;
  studyId: number;
  path: string;
  sha256: string;
  pixelSha256: string;
  seriesUid: string | null;
  sopUid: string | null;
  modality: string | null;
  rows: number;
  columns: number;
  frames: number;
  bitsStored: number | null;
  photometric: string | null;
  transferSyntax: string | null;
  pixelSpacing: { row: number; col: number; source: SpacingSource } | null;
  laterality: 'L' | 'R' | 'B' | null;
  view: string | null;
  sourceFormat: SourceFormat;
  isJointCrop: boolean;
  appliedSteps: string[];
  importedAt: string;
}

export interface ImageRow {
  id: number;
  study_id: number;
  path: string;
  sha256: string;
  pixel_sha256: string;
  series_uid: string | null;
  sop_uid: string | null;
  modality: string | null;
  rows: number;
  columns: number;
  frames: number;
  bits_stored: number | null;
  photometric: string | null;
  transfer_syntax: string | null;
  pixel_spacing_row_mm: number | null;
  pixel_spacing_col_mm: number | null;
  spacing_source: SpacingSource | null;
  laterality: 'L' | 'R' | 'B' | null;
  view: string | null;
  source_format: SourceFormat;
  is_joint_crop: number;
  applied_steps: string;
  imported_at: string;
}

/** Parse the stored JSON step list; a malformed value reads as "nothing applied" rather than crashing a listing. */
export function parseAppliedSteps(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

export function toImageRecord(r: ImageRow): ImageRecord {
  return {
    id: r.id,
    studyId: r.study_id,
    path: r.path,
    sha256: r.sha256,
    pixelSha256: r.pixel_sha256,
    seriesUid: r.series_uid,
    sopUid: r.sop_uid,
    modality: r.modality,
    rows: r.rows,
    columns: r.columns,
    frames: r.frames,
    bitsStored: r.bits_stored,
    photometric: r.photometric,
    transferSyntax: r.transfer_syntax,
    pixelSpacing:
      r.pixel_spacing_row_mm !== null && r.pixel_spacing_col_mm !== null && r.spacing_source !== null
        ? { row: r.pixel_spacing_row_mm, col: r.pixel_spacing_col_mm, source: r.spacing_source }
        : null,
    laterality: r.laterality,
    view: r.view,
    sourceFormat: r.source_format,
    isJointCrop: r.is_joint_crop === 1,
    appliedSteps: parseAppliedSteps(r.applied_steps),
    importedAt: r.imported_at,
  };
}

export function insertImage(db: Db, i: ImageInput): ImageRecord {
  const info = db
    .prepare(
      `INSERT INTO images (study_id, path, sha256, pixel_sha256, series_uid, sop_uid, modality, rows, columns, frames,
         bits_stored, photometric, transfer_syntax, pixel_spacing_row_mm, pixel_spacing_col_mm, spacing_source,
         laterality, view, source_format, is_joint_crop, applied_steps, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      i.studyId,
      i.path,
      i.sha256,
      i.pixelSha256,
      i.seriesUid ?? null,
      i.sopUid ?? null,
      i.modality ?? null,
      i.rows,
      i.columns,
      i.frames ?? 1,
      i.bitsStored ?? null,
      i.photometric ?? null,
      i.transferSyntax ?? null,
      i.pixelSpacing?.row ?? null,
      i.pixelSpacing?.col ?? null,
      i.pixelSpacing?.source ?? null,
      i.laterality ?? null,
      i.view ?? null,
      i.sourceFormat,
      i.isJointCrop ? 1 : 0,
      JSON.stringify(i.appliedSteps ?? []),
      nowIso(),
    );
  return getImage(db, Number(info.lastInsertRowid))!;
}

export function getImage(db: Db, id: number): ImageRecord | undefined {
  const r = db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
  return r ? toImageRecord(r) : undefined;
}

/** The image already imported from a file with these bytes, if any (re-import is a no-op). */
export function findImageBySha256(db: Db, sha256: string): ImageRecord | undefined {
  const r = db.prepare('SELECT * FROM images WHERE sha256 = ?').get(sha256) as ImageRow | undefined;
  return r ? toImageRecord(r) : undefined;
}

export function listImages(db: Db, filter: { studyId?: number } = {}): ImageRecord[] {
  const rows =
    filter.studyId === undefined
      ? db.prepare('SELECT * FROM images ORDER BY id').all()
      : db.prepare('SELECT * FROM images WHERE study_id = ? ORDER BY id').all(filter.studyId);
  return (rows as ImageRow[]).map(toImageRecord);
}
