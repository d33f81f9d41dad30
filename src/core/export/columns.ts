// The labelled CSV's columns. Grade columns carry the rater in their header
// (reader:<name>:klg, model:<name>:p0, reference:<source>:klg) so a file is self-describing and
// re-importable.

export const LABELLED_CSV_FORMAT = 'kneegrade-labels/1';

/** Always present, in this order. */
export const BASE_COLUMNS = [
  'format',
  'patient',
  'study',
  'image',
  'knee_id',
  'side',
  'image_sha256',
] as const;
/** Only with --include-identifiers. */
export const IDENTIFIER_COLUMNS = [
  'patient_id',
  'patient_name',
  'birth_date',
  'study_uid',
  'study_date',
  'accession',
  'sop_uid',
  'image_path',
] as const;

export type GradeColumn =
  | { kind: 'reference'; source: string; field: 'klg' }
  | { kind: 'reader'; name: string; field: 'klg' | 'session' }
  | { kind: 'model'; name: string; field: 'klg' | 'p0' | 'p1' | 'p2' | 'p3' | 'p4' };

export function gradeColumnName(c: GradeColumn): string {
  const who = c.kind === 'reference' ? c.source : c.name;
  return `${c.kind}:${who}:${c.field}`;
}

/** Parse "reader:Dr A:klg" (a name may itself contain ':'), or null if not a grade column. */
export function parseGradeColumn(header: string): GradeColumn | null {
  const first = header.indexOf(':');
  const last = header.lastIndexOf(':');
  if (first < 0 || last <= first) return null;
  const kind = header.slice(0, first);
  const who = header.slice(first + 1, last);
  const field = header.slice(last + 1);
  if (!who) return null;
  if (kind === 'reference' && field === 'klg') return { kind, source: who, field };
  if (kind === 'reader' && (field === 'klg' || field === 'session')) return { kind, name: who, field };
  if (kind === 'model' && /^(klg|p[0-4])$/.test(field)) return { kind, name: who, field: field as 'klg' };
  return null;
}

/** Does this header row belong to a KneeGrade labelled CSV (so `import --labels` should hand it to importLabelledCsv)? */
export function isLabelledCsvHeader(header: readonly string[]): boolean {
  const h = header.map((x) => x.replace(/^\uFEFF/, '').trim());
  return h[0] === 'format' && h.includes('image_sha256') && h.includes('side');
}

/** Check the first line of a CSV text (cheap: no full parse). */
export function isLabelledCsv(text: string): boolean {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return isLabelledCsvHeader(firstLine.split(',').map((c) => c.replace(/^"|"$/g, '')));
}
