// Stable pseudonyms for studies and images in a de-identified export: the patient's pseudonym (kept in
// the patients table) plus the study's rank among that patient's studies and the image's rank within
// its study, by database id. Ids only grow and rows are never deleted, so a knee keeps the same
// pseudonym in every later export; nothing in it derives from a UID, a date or a name.
import type { Db } from '../db/connection';

export function studyAndImagePseudonyms(db: Db): { study: Map<number, string>; image: Map<number, string> } {
  const studies = db
    .prepare(
      `SELECT s.id AS id, p.pseudonym || '-S' || ROW_NUMBER() OVER (PARTITION BY s.patient_id ORDER BY s.id) AS pseudo
         FROM studies s JOIN patients p ON p.id = s.patient_id`,
    )
    .all() as { id: number; pseudo: string }[];
  const study = new Map(studies.map((s) => [s.id, s.pseudo]));
  const images = db
    .prepare(
      `SELECT i.id AS id, i.study_id AS studyId, ROW_NUMBER() OVER (PARTITION BY i.study_id ORDER BY i.id) AS rank
         FROM images i`,
    )
    .all() as { id: number; studyId: number; rank: number }[];
  const image = new Map(images.map((i) => [i.id, `${study.get(i.studyId) ?? `S?`}-I${i.rank}`]));
  return { study, image };
}
