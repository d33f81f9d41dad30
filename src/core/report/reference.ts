// The reference standard a report is against: imported labels, one named reader, or a consensus of
// selected readers. Knees without a reference are counted per reason, never silently dropped.
import { MISSING, N_GRADES } from '../stats';
import type { StudyData } from './studyData';

export type TieRule = 'exclude' | 'lower' | 'higher';

export type ReferenceSpec =
  | { kind: 'labels'; source?: string }
  | { kind: 'rater'; name: string }
  | { kind: 'consensus'; readers: string[]; rule: 'majority' | 'median'; tie?: TieRule; minReaders?: number };

export interface ResolvedReference {
  /** Name of the reference row in the ratings. */
  name: string;
  /** The reader whose grades are the reference (kind 'rater'), else null. */
  readerName: string | null;
  description: string;
  grades: Int8Array;
  excluded: { reason: string; count: number }[];
  /** Readers whose grades built the reference (consensus): their agreement with it is not independent. */
  partOfReference: string[];
  notes: string[];
}

export class ReferenceError extends Error {}

export function resolveReference(data: StudyData, spec: ReferenceSpec): ResolvedReference {
  const n = data.knees.length;
  if (spec.kind === 'labels') {
    if (data.labelSources.length === 0)
      throw new ReferenceError(
        'there are no imported reference labels: import some, or take a reader (reader:NAME) or a consensus of readers as the reference',
      );
    const notes: string[] = [];
    let chosen = data.labelSources.find((s) => s.source === spec.source);
    if (spec.source !== undefined && !chosen)
      throw new ReferenceError(
        `no reference labels from source "${spec.source}" (sources: ${data.labelSources.map((s) => s.source).join(', ')})`,
      );
    if (!chosen) {
      // The contract's default: the source with the most labels, stated in the report.
      const counted = data.labelSources.map((s) => ({ s, n: s.grades.filter((g) => g !== MISSING).length }));
      counted.sort((a, b) => b.n - a.n || a.s.source.localeCompare(b.s.source));
      chosen = counted[0]!.s;
      if (counted.length > 1)
        notes.push(
          `Several reference label sources (${counted.map((c) => `${c.s.source}: ${c.n}`).join(', ')}); ` +
            `used "${chosen.source}", the one with the most labels.`,
        );
    }
    const missing = chosen.grades.filter((g) => g === MISSING).length;
    return {
      name: `reference (${chosen.source})`,
      readerName: null,
      description: `imported reference labels, source "${chosen.source}"`,
      grades: chosen.grades,
      excluded: missing ? [{ reason: `no label from "${chosen.source}"`, count: missing }] : [],
      partOfReference: [],
      notes,
    };
  }
  if (spec.kind === 'rater') {
    const r = data.raters.find((x) => x.name === spec.name);
    if (!r)
      throw new ReferenceError(
        `no reader or model named "${spec.name}" (raters: ${data.raters.map((x) => x.name).join(', ')})`,
      );
    const missing = r.grades.filter((g) => g === MISSING).length;
    return {
      name: r.name,
      readerName: r.name,
      description: `${r.kind} "${r.name}"`,
      grades: r.grades,
      excluded: missing ? [{ reason: `not graded by "${r.name}"`, count: missing }] : [],
      partOfReference: [],
      notes: [],
    };
  }
  return consensus(data, spec, n);
}

function consensus(
  data: StudyData,
  spec: Extract<ReferenceSpec, { kind: 'consensus' }>,
  n: number,
): ResolvedReference {
  const readers = spec.readers.map((name) => {
    const r = data.raters.find((x) => x.name === name);
    if (!r)
      throw new ReferenceError(
        `consensus: no reader named "${name}" (raters: ${data.raters.map((x) => x.name).join(', ')})`,
      );
    return r;
  });
  if (readers.length < 2) throw new ReferenceError('consensus needs at least two readers');
  const tie: TieRule = spec.tie ?? 'exclude';
  const minReaders = spec.minReaders ?? readers.length;
  if (minReaders < 1 || minReaders > readers.length)
    throw new ReferenceError(`consensus: minReaders must be 1..${readers.length}, got ${minReaders}`);
  const grades = new Int8Array(n).fill(MISSING);
  let incomplete = 0;
  let ties = 0;
  let tieBroken = 0;
  const counts = new Int32Array(N_GRADES);
  for (let k = 0; k < n; k++) {
    const got: number[] = [];
    for (const r of readers) if (r.grades[k] !== MISSING) got.push(r.grades[k]!);
    if (got.length < minReaders || got.length === 0) {
      incomplete++;
      continue;
    }
    let candidates: number[];
    if (spec.rule === 'majority') {
      counts.fill(0);
      for (const g of got) counts[g]! += 1;
      const top = Math.max(...counts);
      candidates = [];
      for (let g = 0; g < N_GRADES; g++) if (counts[g] === top) candidates.push(g);
    } else {
      got.sort((a, b) => a - b);
      const mid = got.length / 2;
      candidates = got.length % 2 ? [got[Math.floor(mid)]!] : [...new Set([got[mid - 1]!, got[mid]!])];
    }
    if (candidates.length === 1) grades[k] = candidates[0]!;
    else if (tie === 'exclude') ties++;
    else {
      tieBroken++;
      grades[k] = tie === 'lower' ? Math.min(...candidates) : Math.max(...candidates);
    }
  }
  const names = readers.map((r) => r.name);
  const ruleText =
    spec.rule === 'majority'
      ? `majority (most frequent grade) of ${names.join(', ')}`
      : `median of ${names.join(', ')}`;
  const tieText = tie === 'exclude' ? 'ties excluded' : `ties resolved to the ${tie} grade`;
  const excluded: { reason: string; count: number }[] = [];
  if (incomplete)
    excluded.push({
      reason: `graded by fewer than ${minReaders} of the ${readers.length} consensus readers`,
      count: incomplete,
    });
  if (ties) excluded.push({ reason: `consensus tie (${spec.rule}), excluded by the tie rule`, count: ties });
  return {
    name: `consensus (${spec.rule})`,
    readerName: null,
    description: `consensus: ${ruleText}; ${tieText}; at least ${minReaders} reader(s) per knee`,
    grades,
    excluded,
    partOfReference: names,
    notes: tieBroken ? [`${tieBroken} consensus tie(s) resolved to the ${tie} grade.`] : [],
  };
}

/** Parse a CLI reference spec: labels[:SOURCE] | reader:NAME | consensus:majority|median:A,B,C[:lower|higher|exclude]. */
export function parseReferenceSpec(text: string): ReferenceSpec {
  const [head, ...rest] = text.split(':');
  if (head === 'labels') return rest.length ? { kind: 'labels', source: rest.join(':') } : { kind: 'labels' };
  if (head === 'reader' || head === 'rater' || head === 'model') {
    if (!rest.length || !rest.join(':'))
      throw new ReferenceError(`reference "${text}": give a name, e.g. reader:"Dr A"`);
    return { kind: 'rater', name: rest.join(':') };
  }
  if (head === 'consensus') {
    const [rule, list, tie] = rest;
    if (rule !== 'majority' && rule !== 'median')
      throw new ReferenceError(`reference "${text}": consensus rule must be majority or median`);
    const readers = (list ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (tie !== undefined && tie !== 'lower' && tie !== 'higher' && tie !== 'exclude')
      throw new ReferenceError(`reference "${text}": tie rule must be lower, higher or exclude`);
    return { kind: 'consensus', rule, readers, ...(tie ? { tie } : {}) };
  }
  throw new ReferenceError(
    `reference "${text}" not understood: use labels[:SOURCE], reader:NAME, or consensus:majority|median:A,B,C[:lower|higher|exclude]`,
  );
}
