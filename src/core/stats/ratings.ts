// The plain ratings structure every statistic works on: no database, no files, no Node APIs.
//
// Grades are stored per rater as an Int8Array aligned with `knees`, MISSING (-1) where the rater did not
// grade the knee. Each knee belongs to one patient; the bootstrap resamples patients, because a
// patient's two knees are not independent observations.

/** Number of Kellgren-Lawrence grades (KL0..KL4). */
export const N_GRADES = 5;
/** A grade matrix cell with no grade. */
export const MISSING = -1;

export type RaterKind = 'reader' | 'model' | 'reference';

export interface Rater {
  name: string;
  kind: RaterKind;
}

export interface Ratings {
  /** Knee identifiers (display only; position is the key). */
  knees: string[];
  /** The patient each knee belongs to, aligned with `knees`. */
  patients: string[];
  raters: Rater[];
  /** One row per rater, aligned with `knees`: 0..4, or MISSING. */
  grades: Int8Array[];
}

export class RatingsError extends Error {}

/** Check shapes and grade ranges once, so the statistics can index without re-checking. */
export function validateRatings(r: Ratings): void {
  const n = r.knees.length;
  if (r.patients.length !== n)
    throw new RatingsError(`ratings: ${r.patients.length} patients for ${n} knees`);
  if (r.grades.length !== r.raters.length)
    throw new RatingsError(`ratings: ${r.grades.length} grade rows for ${r.raters.length} raters`);
  const names = new Set<string>();
  r.raters.forEach((rater, i) => {
    if (names.has(rater.name)) throw new RatingsError(`ratings: rater name "${rater.name}" appears twice`);
    names.add(rater.name);
    const g = r.grades[i]!;
    if (g.length !== n)
      throw new RatingsError(`ratings: rater "${rater.name}" has ${g.length} grades for ${n} knees`);
    for (let k = 0; k < n; k++) {
      const v = g[k]!;
      if (v !== MISSING && (v < 0 || v >= N_GRADES))
        throw new RatingsError(`ratings: rater "${rater.name}" has grade ${v} for knee ${r.knees[k]}`);
    }
  });
}

/** Index of a rater by name, or a clear error listing the names there are. */
export function raterIndex(r: Ratings, name: string): number {
  const i = r.raters.findIndex((x) => x.name === name);
  if (i < 0)
    throw new RatingsError(`no rater named "${name}" (raters: ${r.raters.map((x) => x.name).join(', ')})`);
  return i;
}

/** Dense patient indices 0..P-1 for each knee, in order of first appearance. */
export function patientIndex(r: Ratings): { index: Int32Array; count: number } {
  const map = new Map<string, number>();
  const index = new Int32Array(r.knees.length);
  r.patients.forEach((p, k) => {
    let i = map.get(p);
    if (i === undefined) {
      i = map.size;
      map.set(p, i);
    }
    index[k] = i;
  });
  return { index, count: map.size };
}
