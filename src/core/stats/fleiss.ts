// Fleiss' kappa (Fleiss 1971) for several raters who each put every subject in one category.
import { MISSING, N_GRADES, type Ratings } from './ratings';

export interface FleissResult {
  kappa: number;
  /** Subjects (knees) used: those every selected rater graded. */
  n: number;
  raters: number;
}

/**
 * From a subjects x categories count table (each row sums to the same number of raters m >= 2):
 * P_i = (sum_j n_ij^2 - m) / (m(m-1)), p_j = sum_i n_ij / (N m), kappa = (mean P_i - sum p_j^2) / (1 - sum p_j^2).
 */
export function fleissKappaFromCounts(counts: ArrayLike<number>[]): FleissResult {
  const N = counts.length;
  if (N === 0) return { kappa: NaN, n: 0, raters: 0 };
  const C = counts[0]!.length;
  let m = 0;
  for (let j = 0; j < C; j++) m += counts[0]![j]!;
  const pj = new Float64Array(C);
  let sumP = 0;
  counts.forEach((row, i) => {
    let total = 0;
    let sq = 0;
    for (let j = 0; j < C; j++) {
      const v = row[j]!;
      total += v;
      sq += v * v;
      pj[j]! += v;
    }
    if (total !== m)
      throw new Error(`fleissKappa: subject ${i + 1} has ${total} ratings, subject 1 has ${m}`);
    sumP += (sq - m) / (m * (m - 1));
  });
  if (m < 2) return { kappa: NaN, n: N, raters: m };
  let pe = 0;
  for (let j = 0; j < C; j++) {
    const p = pj[j]! / (N * m);
    pe += p * p;
  }
  const pBar = sumP / N;
  return { kappa: pe === 1 ? NaN : (pBar - pe) / (1 - pe), n: N, raters: m };
}

/** Knees graded by every one of `raterIdx` (Fleiss' kappa and Light's kappa need complete data). */
export function completeKnees(r: Ratings, raterIdx: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < r.knees.length; k++)
    if (raterIdx.every((i) => r.grades[i]![k] !== MISSING)) out.push(k);
  return out;
}

/** Fleiss' kappa of the selected raters over the knees all of them graded. */
export function fleissKappa(r: Ratings, raterIdx: number[]): FleissResult {
  const knees = completeKnees(r, raterIdx);
  const counts = knees.map((k) => {
    const c = new Float64Array(N_GRADES);
    for (const i of raterIdx) c[r.grades[i]![k]!]! += 1;
    return c;
  });
  const res = fleissKappaFromCounts(counts);
  return { ...res, raters: raterIdx.length };
}
