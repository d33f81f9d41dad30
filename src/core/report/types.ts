// The comparison report as data: what buildReport returns, what every renderer (text, CSV, JSON,
// HTML, the React app) draws from.
import type { AgreementAnalysis, Estimate, RaterKind } from '../stats';
import type { ReferenceSpec } from './reference';

export const REPORT_SCHEMA = 'kneegrade-report/1';

export type CellFormat = 'proportion' | 'decimal' | 'count';

export interface StudyTableRow {
  /** 'KL0'..'KL4' for per-grade rows, 'overall' after them. */
  section: string;
  /** Machine key, e.g. 'precision', 'qwk'. */
  metric: string;
  label: string;
  format: CellFormat;
  /** One per column (rater), in column order. */
  cells: Estimate[];
}

export interface StudyTable {
  columns: { name: string; kind: RaterKind; n: number }[];
  rows: StudyTableRow[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  title: string;
  generatedAt: string;
  source: { kind: 'database' | 'csv'; path?: string };
  reference: {
    spec: ReferenceSpec;
    name: string;
    description: string;
    knees: number;
    kneesWithReference: number;
    /** Knees left out for want of a reference, by reason. */
    excluded: { reason: string; count: number }[];
    /** Reference grade counts KL0..KL4. */
    distribution: number[];
    /** Raters whose grades make up the reference (consensus readers). */
    partOfReference: string[];
  };
  analysis: AgreementAnalysis;
  studyTable: StudyTable;
  /** Notes on choices made (reference source picked, tie rule applied) and data problems. */
  notes: string[];
  warnings: string[];
}
