import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/connection';
import {
  appendGrade,
  effectiveGrades,
  ensurePatient,
  ensureReader,
  ensureStudy,
  findImageBySha256,
  finishImportBatch,
  insertImage,
  insertKnee,
  listReferenceLabels,
  recordImportError,
  startImportBatch,
  upsertReferenceLabel,
  type ImageRecord,
} from '../db/repositories';
import { parseDicomBytes, readDicomHeader, type DicomHeader } from '../dicom';
import { sniffRasterFormat } from '../image/format';
import { loadImageBytes, type LoadedImage } from '../image/load';
import { uidFromName } from '../phantoms/uid';
import { describeFailure, type ImportFileError } from './errors';
import { matchLabelFile, readLabelsCsv } from './labelsCsv';
import { folderGrade, nameInfo } from './names';
import { placeKnees, type RasterKind } from './placeKnees';
import { walkPaths } from './walk';

export interface ImportProgress {
  done: number;
  total: number;
  /** The file just finished. */
  path: string | null;
  imported: number;
  errors: number;
}

export interface ImportOptions {
  /** A CSV of labels (file, grade, optional side and reader) to attach to the imported files. */
  labelsCsv?: string;
  /** Read `<grade>/<file>` folder names as labels (default true). */
  folderLabels?: boolean;
  /** Store folder labels and CSV rows without a reader as this reader's grades instead of reference labels. */
  labelsAsReader?: string;
  /** The pixels already had CLAHE applied (e.g. the knee-kl dataset): recorded so it is never applied twice. */
  alreadyClahe?: boolean;
  /** Import DICOM of any modality (default: only projection radiographs and secondary captures). */
  anyModality?: boolean;
  /** How to treat raster images: 'auto' (small square images are joint crops), or force one kind. */
  rasterKind?: RasterKind;
  onProgress?: (p: ImportProgress) => void;
  /** Abort between files; what was imported stays. */
  signal?: AbortSignal;
}

export interface ImportedFile {
  path: string;
  imageId: number;
  duplicate: boolean;
  kneeIds: number[];
}

export interface ImportResult {
  batchId: number;
  /** Files tried (after passing over non-images in folders). */
  files: number;
  imported: number;
  duplicates: number;
  /** Files in folders passed over as not images (csv, txt, hidden files, ...). */
  skipped: number;
  knees: number;
  /** Labels stored or changed (reference labels and reader grades); ones already there are not counted. */
  labels: number;
  cancelled: boolean;
  errors: ImportFileError[];
  results: ImportedFile[];
}

const FOLDER_SOURCE = 'folder';

/**
 * DICOM modalities a knee radiograph comes as: computed and digital radiography, the generic RG, and
 * secondary captures / other (digitised films). CT, MR, US and the rest are refused unless asked.
 */
export const RADIOGRAPH_MODALITIES: ReadonlySet<string> = new Set(['CR', 'DX', 'RG', 'DR', 'OT', 'SC']);

/** A file the import understood but will not take, with a code of its own. */
class ImportRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** "20240131" -> "2024-01-31"; anything else is kept as it is. */
function isoDate(da: string | undefined): string | null {
  if (!da) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da.trim();
}

/**
 * Import files and folders into the study database. Each file is hashed before it is decoded (so a file
 * imported before is skipped at once) and written in its own transaction (so a failure leaves nothing
 * half-imported and nothing already imported changes). Bad files are recorded in import_errors with the
 * file and the reason, and the run goes on.
 */
export async function importPaths(
  db: Db,
  inputs: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const walk = await walkPaths(inputs);
  const batchId = startImportBatch(
    db,
    inputs.map((p) => path.resolve(p)),
  );
  const errors: ImportFileError[] = [];
  const fail = (e: ImportFileError): void => {
    errors.push(e);
    recordImportError(db, { batchId, ...e });
  };
  for (const m of walk.missing) fail({ path: m.path, code: 'NOT_FOUND', reason: m.reason });

  const labelReader = opts.labelsAsReader ? ensureReader(db, opts.labelsAsReader) : undefined;
  const steps = opts.alreadyClahe ? ['clahe'] : [];
  const results: ImportedFile[] = [];
  let imported = 0;
  let duplicates = 0;
  let knees = 0;
  let labels = 0;
  let cancelled = false;
  const total = walk.files.length;

  /** Attach a grade to a knee as a reference label, or as a reader's grade unless that is already their grade. */
  const storeLabel = (kneeId: number, grade: number, source: string, readerName?: string): boolean => {
    const reader = readerName ? ensureReader(db, readerName) : labelReader;
    if (!reader) {
      const current = listReferenceLabels(db, { kneeIds: [kneeId], source })[0];
      if (current?.klg === grade) return false;
      upsertReferenceLabel(db, { kneeId, source, klg: grade });
      return true;
    }
    const current = effectiveGrades(db, { kneeIds: [kneeId], readerIds: [reader.id] })[0];
    if (current?.klg === grade) return false;
    appendGrade(db, { kneeId, readerId: reader.id, klg: grade, comment: `imported from ${source}` });
    return true;
  };

  for (let i = 0; i < total; i++) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    const file = walk.files[i]!;
    try {
      const bytes = await readFile(file);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const existing = findImageBySha256(db, sha256);
      const grade = opts.folderLabels === false ? undefined : folderGrade(file);
      /** The folder label of a one-knee image (in the caller's transaction). */
      const labelFromFolder = (rec: ImportedFile): void => {
        if (
          grade !== undefined &&
          rec.kneeIds.length === 1 &&
          storeLabel(rec.kneeIds[0]!, grade, FOLDER_SOURCE)
        )
          labels++;
      };
      let record: ImportedFile;
      if (existing) {
        duplicates++;
        record = { path: file, imageId: existing.id, duplicate: true, kneeIds: kneeIdsOf(db, existing.id) };
      } else {
        // The same instance sent again with different file bytes (e.g. re-written meta) is not a new
        // image: checked from the header alone, before the (slow) pixel decode.
        const header = sniffRasterFormat(bytes) ? undefined : headerOf(bytes, file);
        const sopUid = header?.sopUid?.trim();
        const sopDuplicate = sopUid ? findImageBySop(db, sopUid) : undefined;
        if (sopDuplicate) {
          duplicates++;
          record = {
            path: file,
            imageId: sopDuplicate.id,
            duplicate: true,
            kneeIds: kneeIdsOf(db, sopDuplicate.id),
          };
        } else {
          const modality = header?.modality?.trim().toUpperCase();
          if (modality && !opts.anyModality && !RADIOGRAPH_MODALITIES.has(modality))
            throw new ImportRefusal(
              'NOT_A_RADIOGRAPH',
              `modality ${modality} is not a projection radiograph (KneeGrade grades knee radiographs: ${[...RADIOGRAPH_MODALITIES].join(', ')}); use --any-modality to import it anyway`,
            );
          const img = await loadImageBytes(bytes, file);
          // The image, its knees and its folder label commit together or not at all.
          record = db.transaction(() => {
            const rec = storeImage(db, file, bytes, sha256, img, steps, opts.rasterKind ?? 'auto');
            labelFromFolder(rec);
            return rec;
          })();
          imported++;
          knees += record.kneeIds.length;
        }
      }
      // A file imported before may still bring its folder label (e.g. a re-import with labels).
      if (record.duplicate) {
        const rec = record;
        db.transaction(() => labelFromFolder(rec))();
      }
      results.push(record);
    } catch (e) {
      fail(describeFailure(file, e));
    }
    opts.onProgress?.({ done: i + 1, total, path: file, imported, errors: errors.length });
  }

  if (opts.labelsCsv && !cancelled)
    labels += await applyLabelsCsv(db, opts.labelsCsv, results, storeLabel, fail);

  const result: ImportResult = {
    batchId,
    files: total,
    imported,
    duplicates,
    skipped: walk.skipped.length,
    knees,
    labels,
    cancelled,
    errors,
    results,
  };
  finishImportBatch(db, batchId, {
    files: total,
    imported,
    duplicates,
    skipped: walk.skipped.length,
    knees,
    labels,
    cancelled,
    errors: errors.length,
  });
  return result;
}

/**
 * Whether the image's rows run toward the patient's right (Patient Orientation (0020,0020) first value
 * starting with R): the film is displayed mirrored, so the patient's right knee is on the viewer's right.
 * Absent or unreadable: the standard display is assumed.
 */
function rowsTowardPatientRight(bytes: Uint8Array, file: string): boolean {
  try {
    const parsed = parseDicomBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
    const row = parsed.dataSet.string('x00200020')?.split('\\')[0]?.trim().toUpperCase();
    return row?.startsWith('R') ?? false;
  } catch {
    return false;
  }
}

/** The DICOM header (no pixel decode); undefined when it cannot be read (the decoder will say why). */
function headerOf(bytes: Uint8Array, file: string): DicomHeader | undefined {
  try {
    return readDicomHeader(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
  } catch {
    return undefined;
  }
}

function kneeIdsOf(db: Db, imageId: number): number[] {
  return (
    db.prepare('SELECT id FROM knees WHERE image_id = ? ORDER BY side DESC').all(imageId) as { id: number }[]
  ).map((r) => r.id);
}

function findImageBySop(db: Db, sopUid: string): { id: number } | undefined {
  return db.prepare('SELECT id FROM images WHERE sop_uid = ?').get(sopUid) as { id: number } | undefined;
}

/** Patient, study, image and knees of one decoded file (called inside the file's transaction). */
function storeImage(
  db: Db,
  file: string,
  bytes: Uint8Array,
  sha256: string,
  img: LoadedImage,
  steps: string[],
  rasterKind: RasterKind,
): ImportedFile {
  const h = img.dicom?.header;
  let patientId: number;
  let studyId: number;
  let nameSide: 'L' | 'R' | undefined;
  if (h) {
    const studyUid = h.studyUid?.trim() || uidFromName(`kneegrade-no-study-uid/${sha256}`);
    const patient = ensurePatient(db, {
      key: h.patientId?.trim() || `NO-ID-${studyUid}`,
      name: h.patientName ?? null,
      birthDate: isoDate(h.birthDate),
      sex: h.sex ?? null,
    });
    patientId = patient.id;
    studyId = ensureStudy(db, {
      patientId,
      uid: studyUid,
      date: isoDate(h.studyDate),
      description: h.studyDescription ?? null,
      accession: h.accession ?? null,
    }).id;
  } else {
    const info = nameInfo(file);
    nameSide = info.side;
    const patient = ensurePatient(db, { key: info.patientKey });
    patientId = patient.id;
    // Image datasets have no studies: one synthetic study per patient, its UID derived from the patient key.
    studyId = ensureStudy(db, {
      patientId,
      uid: uidFromName(`kneegrade-dataset-study/${info.patientKey}`),
      description: `image dataset (${path.basename(path.dirname(file))})`,
    }).id;
  }
  const placement = placeKnees(img, {
    ...(h?.laterality ? { laterality: h.laterality } : {}),
    ...(nameSide ? { nameSide } : {}),
    ...(h && rowsTowardPatientRight(bytes, file) ? { patientRightOnViewerLeft: false } : {}),
    rasterKind,
  });
  const spacing = img.dicom?.pixelSpacing;
  const image: ImageRecord = insertImage(db, {
    studyId,
    path: file,
    sha256,
    pixelSha256: img.pixelSha256,
    seriesUid: h?.seriesUid ?? null,
    sopUid: h?.sopUid ?? null,
    modality: h?.modality ?? null,
    rows: img.height,
    columns: img.width,
    frames: h?.frames ?? 1,
    bitsStored: h?.bitsStored ?? img.bitDepth,
    photometric: h?.photometric ?? null,
    transferSyntax: h?.transferSyntax ?? null,
    pixelSpacing: spacing ? { row: spacing.row, col: spacing.col, source: spacing.source } : null,
    laterality: placement.laterality,
    view: h?.view ?? null,
    sourceFormat: img.format,
    isJointCrop: placement.isJointCrop,
    appliedSteps: steps,
  });
  const kneeIds = placement.knees.map(
    (k) => insertKnee(db, { imageId: image.id, side: k.side, crop: k.crop, cropSource: k.cropSource }).id,
  );
  return { path: file, imageId: image.id, duplicate: false, kneeIds };
}

async function applyLabelsCsv(
  db: Db,
  csv: string,
  results: readonly ImportedFile[],
  storeLabel: (kneeId: number, grade: number, source: string, reader?: string) => boolean,
  fail: (e: ImportFileError) => void,
): Promise<number> {
  const csvPath = path.resolve(csv);
  let parsed;
  try {
    parsed = await readLabelsCsv(csvPath);
  } catch (e) {
    fail(describeFailure(csvPath, e));
    return 0;
  }
  for (const p of parsed.problems)
    fail({ path: `${csvPath}:${p.line}`, code: 'BAD_LABEL_ROW', reason: p.reason });
  const byPath = new Map(results.map((r) => [r.path, r]));
  const files = [...byPath.keys()];
  const source = `csv:${path.basename(csvPath)}`;
  let stored = 0;
  for (const row of parsed.rows) {
    const where = `${csvPath}:${row.line}`;
    const match = matchLabelFile(csvPath, row.file, files);
    if (match === undefined) {
      fail({
        path: where,
        code: 'LABEL_NO_MATCH',
        reason: `"${row.file}" is not among the files imported in this run`,
      });
      continue;
    }
    if (typeof match !== 'string') {
      fail({
        path: where,
        code: 'LABEL_AMBIGUOUS',
        reason: `"${row.file}" matches ${match.ambiguous} imported files; give more of its path`,
      });
      continue;
    }
    const rec = byPath.get(match)!;
    const kneeRows = db.prepare('SELECT id, side FROM knees WHERE image_id = ?').all(rec.imageId) as {
      id: number;
      side: string;
    }[];
    const knee = row.side
      ? kneeRows.find((k) => k.side === row.side)
      : kneeRows.length === 1
        ? kneeRows[0]
        : undefined;
    if (!knee) {
      fail({
        path: where,
        code: row.side ? 'LABEL_NO_SUCH_KNEE' : 'LABEL_NEEDS_SIDE',
        reason: row.side
          ? `${row.file} has no ${row.side} knee`
          : `${row.file} holds ${kneeRows.length} knees; give the side (L or R)`,
      });
      continue;
    }
    if (db.transaction(() => storeLabel(knee.id, row.grade, source, row.reader))()) stored++;
  }
  return stored;
}
