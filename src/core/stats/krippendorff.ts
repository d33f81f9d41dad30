// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"), tolerating
// missing grades: units (knees) with fewer than two grades are not pairable and drop out.
import { MISSING, N_GRADES, type Ratings } from './ratings';

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

const G = N_GRADES;

/**
 * Add one unit's coincidences to o (Float64Array(25)): for values c, k in the unit,
 * o_ck += m_c (m_k - [c = k]) / (m_u - 1). Returns false when the unit is not pairable.
 */
export function addUnitCoincidences(counts: ArrayLike<number>, o: Float64Array, off = 0): boolean {
  let mu = 0;
  for (let c = 0; c < G; c++) mu += counts[c]!;
  if (mu < 2) return false;
  for (let c = 0; c < G; c++) {
    const mc = counts[c]!;
    if (!mc) continue;
    for (let k = 0; k < G; k++) {
      const mk = counts[k]! - (c === k ? 1 : 0);
      if (mk > 0) o[off + c * G + k]! += (mc * mk) / (mu - 1);
    }
  }
  return true;
}

/** Squared distance between values c and k for the metric, given the marginal value counts n_g. */
function delta2(metric: AlphaMetric, c: number, k: number, nc: ArrayLike<number>): number {
  if (c === k) return 0;
  if (metric === 'nominal') return 1;
  if (metric === 'interval') return (c - k) * (c - k);
  // Ordinal: (sum_{g between c and k} n_g - (n_c + n_k) / 2)^2
  const lo = c < k ? c : k;
  const hi = c < k ? k : c;
  let s = 0;
  for (let g = lo; g <= hi; g++) s += nc[g]!;
  s -= (nc[c]! + nc[k]!) / 2;
  return s * s;
}

/** alpha = 1 - (n - 1) * sum o_ck d_ck / sum n_c n_k d_ck, from a coincidence matrix at o[off..off+25). */
export function alphaFromCoincidences(o: ArrayLike<number>, metric: AlphaMetric, off = 0): number {
  const nc = [0, 0, 0, 0, 0];
  let n = 0;
  for (let c = 0; c < G; c++)
    for (let k = 0; k < G; k++) {
      nc[c]! += o[off + c * G + k]!;
    }
  for (let c = 0; c < G; c++) n += nc[c]!;
  if (n <= 1) return NaN;
  let dObs = 0;
  let dExp = 0;
  for (let c = 0; c < G; c++)
    for (let k = 0; k < G; k++) {
      if (c === k) continue;
      const d = delta2(metric, c, k, nc);
      dObs += o[off + c * G + k]! * d;
      dExp += nc[c]! * nc[k]! * d;
    }
  if (dExp === 0) return NaN;
  return 1 - ((n - 1) * dObs) / dExp;
}

export interface AlphaResult {
  alpha: number;
  /** Pairable values (sum of the coincidence matrix). */
  pairableValues: number;
  /** Units (knees) with at least two grades. */
  units: number;
}

/** Coincidence matrix of the selected raters over all knees (units with < 2 grades skipped). */
export function coincidences(r: Ratings, raterIdx: number[]): { o: Float64Array; units: number } {
  const o = new Float64Array(G * G);
  const counts = new Float64Array(G);
  let units = 0;
  for (let k = 0; k < r.knees.length; k++) {
    counts.fill(0);
    for (const i of raterIdx) {
      const g = r.grades[i]![k]!;
      if (g !== MISSING) counts[g]! += 1;
    }
    if (addUnitCoincidences(counts, o)) units++;
  }
  return { o, units };
}

export function krippendorffAlpha(r: Ratings, raterIdx: number[], metric: AlphaMetric): AlphaResult {
  const { o, units } = coincidences(r, raterIdx);
  let n = 0;
  for (const v of o) n += v;
  return { alpha: alphaFromCoincidences(o, metric), pairableValues: n, units };
}
