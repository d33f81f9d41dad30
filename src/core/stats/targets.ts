// The bootstrap targets the report uses, each built from the ratings once.
import { N_METRICS, scalarMetricsInto } from './agreement';
import { SparseBuilder, type BootstrapTarget } from './bootstrap';
import { addUnitCoincidences, alphaFromCoincidences } from './krippendorff';
import { MISSING, N_GRADES } from './ratings';

const CELLS = N_GRADES * N_GRADES;

/** Rater vs reference: the 25-cell confusion matrix, evaluated to every scalar metric (METRIC_KEYS). */
export function confusionTarget(
  ref: ArrayLike<number>,
  rater: ArrayLike<number>,
  cluster: Int32Array,
  knees?: ArrayLike<number>,
): BootstrapTarget {
  const sb = new SparseBuilder(CELLS);
  const visit = (k: number): void => {
    const a = ref[k]!;
    const b = rater[k]!;
    if (a !== MISSING && b !== MISSING) sb.add(cluster[k]!, a * N_GRADES + b, 1);
  };
  if (knees) for (let i = 0; i < knees.length; i++) visit(knees[i]!);
  else for (let k = 0; k < ref.length; k++) visit(k);
  return {
    cells: CELLS,
    ...sb.pack(),
    outputs: N_METRICS,
    evaluate: (acc, out, off) => scalarMetricsInto(acc, 0, out, off),
  };
}

/**
 * Paired difference (rater A minus rater B, both against the same reference) on the knees all three
 * graded: two confusion matrices from the same resampled patients, every metric differenced.
 */
export function pairedDifferenceTarget(
  ref: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  cluster: Int32Array,
): BootstrapTarget & { n: number } {
  const sb = new SparseBuilder(2 * CELLS);
  let n = 0;
  for (let k = 0; k < ref.length; k++) {
    const r = ref[k]!;
    const x = a[k]!;
    const y = b[k]!;
    if (r === MISSING || x === MISSING || y === MISSING) continue;
    n++;
    sb.add(cluster[k]!, r * N_GRADES + x, 1);
    sb.add(cluster[k]!, CELLS + r * N_GRADES + y, 1);
  }
  const scratch = new Float64Array(2 * N_METRICS);
  return {
    n,
    cells: 2 * CELLS,
    ...sb.pack(),
    outputs: N_METRICS,
    evaluate(acc, out, off) {
      scalarMetricsInto(acc, 0, scratch, 0);
      scalarMetricsInto(acc, CELLS, scratch, N_METRICS);
      for (let j = 0; j < N_METRICS; j++) out[off + j] = scratch[j]! - scratch[N_METRICS + j]!;
    },
  };
}

export const GROUP_OUTPUTS = ['fleiss', 'alphaNominal', 'alphaOrdinal', 'alphaInterval'] as const;

/**
 * Fleiss' kappa and Krippendorff's alpha (nominal, ordinal, interval) of a group of raters in one
 * target. Both depend on each knee only through its count vector (how many raters gave each grade),
 * and a study has few distinct count vectors (at most C(m+4, 4)), so the target accumulates one weight
 * per count vector ("pattern") and expands patterns into coincidences and Fleiss sums per resample.
 * Fleiss uses the knees every rater graded; alpha every knee with two or more grades.
 */
export function groupAgreementTarget(
  grades: Int8Array[],
  cluster: Int32Array,
  nKnees: number,
): BootstrapTarget {
  const m = grades.length;
  const patternOf = new Map<number, number>();
  const pCounts: number[][] = [];
  const kneePattern = new Int32Array(nKnees).fill(-1);
  const counts = [0, 0, 0, 0, 0];
  for (let k = 0; k < nKnees; k++) {
    counts.fill(0);
    let total = 0;
    for (const g of grades)
      if (g[k] !== MISSING) {
        counts[g[k]!]! += 1;
        total++;
      }
    if (total < 2) continue;
    let key = 0;
    for (let g = 0; g < N_GRADES; g++) key = key * (m + 1) + counts[g]!;
    let id = patternOf.get(key);
    if (id === undefined) {
      id = pCounts.length;
      patternOf.set(key, id);
      pCounts.push([...counts]);
    }
    kneePattern[k] = id;
  }
  const P = pCounts.length;
  const builder = new SparseBuilder(Math.max(1, P));
  for (let k = 0; k < nKnees; k++) if (kneePattern[k]! >= 0) builder.add(cluster[k]!, kneePattern[k]!, 1);
  // Per pattern: its coincidences (25), whether it is complete (all m raters), P_i numerator, counts.
  const coinc = new Float64Array(P * CELLS);
  const complete = new Uint8Array(P);
  const fleissP = new Float64Array(P);
  pCounts.forEach((c, p) => {
    addUnitCoincidences(c, coinc, p * CELLS);
    const total = c.reduce((s, v) => s + v, 0);
    if (total === m) {
      complete[p] = 1;
      fleissP[p] = (c.reduce((s, v) => s + v * v, 0) - m) / (m * (m - 1));
    }
  });
  const o = new Float64Array(CELLS);
  const cat = new Float64Array(N_GRADES);
  return {
    cells: Math.max(1, P),
    ...builder.pack(),
    outputs: GROUP_OUTPUTS.length,
    evaluate(acc, out, off) {
      o.fill(0);
      cat.fill(0);
      let N = 0;
      let sumP = 0;
      for (let p = 0; p < P; p++) {
        const w = acc[p]!;
        if (w === 0) continue;
        const base = p * CELLS;
        for (let c = 0; c < CELLS; c++) o[c]! += w * coinc[base + c]!;
        if (complete[p]) {
          N += w;
          sumP += w * fleissP[p]!;
          const pc = pCounts[p]!;
          for (let g = 0; g < N_GRADES; g++) cat[g]! += w * pc[g]!;
        }
      }
      if (N === 0 || m < 2) out[off] = NaN;
      else {
        let pe = 0;
        for (let g = 0; g < N_GRADES; g++) {
          const pj = cat[g]! / (N * m);
          pe += pj * pj;
        }
        out[off] = pe === 1 ? NaN : (sumP / N - pe) / (1 - pe);
      }
      out[off + 1] = alphaFromCoincidences(o, 'nominal');
      out[off + 2] = alphaFromCoincidences(o, 'ordinal');
      out[off + 3] = alphaFromCoincidences(o, 'interval');
    },
  };
}
