// buildReport: StudyData + a chosen reference -> the typed Report every renderer draws from.
import { MISSING, N_GRADES, analyseAgreement, type BootstrapOptions, type Ratings } from '../stats';
import { resolveReference, ReferenceError, type ReferenceSpec } from './reference';
import { buildStudyTable } from './studyTable';
import type { StudyData } from './studyData';
import { REPORT_SCHEMA, type Report } from './types';

export interface ReportOptions {
  /** Default: imported reference labels (the source with the most labels, unless one is named). */
  reference?: ReferenceSpec;
  /** Raters compared with the reference, in column order; default every reader and model (bar the reference). */
  raters?: string[];
  bootstrap?: Partial<BootstrapOptions>;
  /** Paired differences [a, b] = a minus b; default every model minus every reader. */
  differences?: [string, string][];
  title?: string;
  /** Bootstrap intervals for the pairwise QWK matrix (default: only with at most 10 pairs). */
  pairwiseIntervals?: boolean;
  /** Fixed clock for reproducible output (tests). */
  now?: Date;
}

export function buildReport(data: StudyData, options: ReportOptions = {}): Report {
  const spec: ReferenceSpec = options.reference ?? { kind: 'labels' };
  const ref = resolveReference(data, spec);
  const names = new Set(data.raters.map((r) => r.name));
  const refRowName = ref.readerName ?? uniqueName(ref.name, names);

  const raters = options.raters ?? data.raters.map((r) => r.name).filter((n) => n !== ref.readerName);
  for (const n of raters)
    if (!names.has(n))
      throw new ReferenceError(
        `no reader or model named "${n}" (raters: ${[...names].join(', ') || 'none'})`,
      );
  if (ref.readerName && raters.includes(ref.readerName))
    throw new ReferenceError(`"${ref.readerName}" is the reference; it cannot also be compared with itself`);
  if (raters.length === 0) throw new ReferenceError('no raters to compare with the reference');

  const ratings: Ratings = {
    knees: data.knees.map((k) => k.id),
    patients: data.knees.map((k) => k.patient),
    raters: data.raters.map((r) => ({ name: r.name, kind: r.kind })),
    grades: data.raters.map((r) => r.grades),
  };
  if (!ref.readerName) {
    ratings.raters.push({ name: refRowName, kind: 'reference' });
    ratings.grades.push(ref.grades);
  }
  const involved = new Set([...raters, ...(ref.readerName ? [ref.readerName] : []), ...ref.partOfReference]);
  const analysis = analyseAgreement(ratings, {
    reference: refRowName,
    raters,
    ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
    ...(options.differences ? { differences: options.differences } : {}),
    ...(options.pairwiseIntervals !== undefined ? { pairwiseIntervals: options.pairwiseIntervals } : {}),
    rereads: data.rereads.filter((r) => involved.has(r.reader)),
  });

  const distribution = new Array<number>(N_GRADES).fill(0);
  for (const g of ref.grades) if (g !== MISSING) distribution[g]! += 1;
  const notes = [...ref.notes];
  if (ref.partOfReference.length)
    notes.push(
      `${ref.partOfReference.join(', ')} contributed to the consensus reference; their agreement with it is not independent.`,
    );
  return {
    schema: REPORT_SCHEMA,
    title: options.title ?? 'KneeGrade agreement report',
    generatedAt: (options.now ?? new Date()).toISOString(),
    source: data.source,
    reference: {
      spec,
      name: refRowName,
      description: ref.description,
      knees: data.knees.length,
      kneesWithReference: analysis.kneesWithReference,
      excluded: ref.excluded,
      distribution,
      partOfReference: ref.partOfReference,
    },
    analysis,
    studyTable: buildStudyTable(analysis),
    notes,
    warnings: [...data.warnings],
  };
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base} #${i}`;
  return name;
}
