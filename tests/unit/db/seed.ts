// Builds a small study database for repository tests: one patient, one study, one bilateral image, two knees.
import { openDatabase, type Db } from '../../../src/core/db/connection';
import { ensurePatient, ensureStudy, insertImage, insertKnee } from '../../../src/core/db/repositories';

export interface Seeded {
  db: Db;
  studyId: number;
  imageId: number;
  rightKneeId: number;
  leftKneeId: number;
}

export function seedDb(file = ':memory:'): Seeded {
  const db = openDatabase({ file });
  const patient = ensurePatient(db, { key: 'PAT-001', name: 'Doe^Jane' });
  const study = ensureStudy(db, {
    patientId: patient.id,
    uid: '1.2.3.4',
    date: '20240101',
    description: 'Knees PA',
  });
  const image = insertImage(db, {
    studyId: study.id,
    path: '/data/knee.dcm',
    sha256: 'a'.repeat(64),
    pixelSha256: 'b'.repeat(64),
    rows: 2500,
    columns: 2000,
    sourceFormat: 'dicom',
    modality: 'DX',
    pixelSpacing: { row: 0.14, col: 0.14, source: 'ImagerPixelSpacing' },
  });
  const right = insertKnee(db, {
    imageId: image.id,
    side: 'R',
    crop: { x: 0, y: 750, w: 1000, h: 1000 },
    cropSource: 'auto',
  });
  const left = insertKnee(db, {
    imageId: image.id,
    side: 'L',
    crop: { x: 1000, y: 750, w: 1000, h: 1000 },
    cropSource: 'auto',
  });
  return { db, studyId: study.id, imageId: image.id, rightKneeId: right.id, leftKneeId: left.id };
}
