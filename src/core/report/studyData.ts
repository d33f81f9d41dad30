// The source-agnostic input of a report: knees, the readers' and models' grades, reference label
// sources and re-read pairs. Built from the study database (fromDb.ts) or a long-format CSV (longCsv.ts).
import type { RereadPair } from '../stats';

export interface StudyKnee {
  /** Stable id (the database knee id, or the CSV's knee column). */
  id: string;
  /** Cluster for the bootstrap: a patient's knees are resampled together. */
  patient: string;
}

export interface StudyRater {
  name: string;
  kind: 'reader' | 'model';
  /** Aligned with StudyData.knees; -1 = not graded. */
  grades: Int8Array;
}

export interface LabelSource {
  source: string;
  grades: Int8Array;
}

export interface StudyData {
  knees: StudyKnee[];
  raters: StudyRater[];
  labelSources: LabelSource[];
  rereads: RereadPair[];
  /** Problems met while gathering the data (bad CSV rows, ...): shown in the report, never dropped. */
  warnings: string[];
  source: { kind: 'database' | 'csv'; path?: string };
}
