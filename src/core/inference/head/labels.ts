// Where the head's training labels come from: reference labels (one source) or one reader's
// effective grades.
import type { Db } from '../../db/connection';
import { effectiveGrades } from '../../db/repositories/gradeEvents';
import { getReaderByName } from '../../db/repositories/readers';
import { listReferenceLabels, listReferenceSources } from '../../db/repositories/referenceLabels';

export type LabelSpec = { kind: 'reference'; source?: string } | { kind: 'reader'; name: string };

/** Parse 'reference', 'reference:<source>' or 'reader:<name>'. */
export function parseLabelSpec(s: string): LabelSpec {
  if (s === 'reference') return { kind: 'reference' };
  if (s.startsWith('reference:')) return { kind: 'reference', source: s.slice('reference:'.length) };
  if (s.startsWith('reader:') && s.length > 'reader:'.length)
    return { kind: 'reader', name: s.slice('reader:'.length) };
  throw new Error(`labels '${s}': use 'reference', 'reference:<source>' or 'reader:<name>'`);
}

export function labelSpecText(l: LabelSpec): string {
  return l.kind === 'reader' ? `reader:${l.name}` : `reference:${l.source ?? ''}`;
}

/** Knee id -> KL grade. With 'reference' and no source, the single source present (else an error). */
export function loadLabels(db: Db, spec: LabelSpec): { labels: Map<number, number>; spec: LabelSpec } {
  if (spec.kind === 'reader') {
    const reader = getReaderByName(db, spec.name);
    if (!reader) throw new Error(`no reader named '${spec.name}'`);
    return {
      labels: new Map(effectiveGrades(db, { readerIds: [reader.id] }).map((g) => [g.kneeId, g.klg])),
      spec,
    };
  }
  let source = spec.source;
  if (!source) {
    const sources = listReferenceSources(db);
    if (sources.length === 0)
      throw new Error('the database has no reference labels; import labels or use --labels reader:<name>');
    if (sources.length > 1)
      throw new Error(
        `several reference label sources (${sources.join(', ')}): choose one with --labels reference:<source>`,
      );
    source = sources[0]!;
  }
  return {
    labels: new Map(listReferenceLabels(db, { source }).map((l) => [l.kneeId, l.klg])),
    spec: { kind: 'reference', source },
  };
}
