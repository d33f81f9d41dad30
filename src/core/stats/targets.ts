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

export const ALPHA_OUTPUTS = ['nominal', 'ordinal', 'interval'] as const;

/** Krippendorff's alpha (nominal, ordinal, interval) from per-patient coincidence matrices. */
export function alphaTarget(grades: Int8Array[], cluster: Int32Array, nKnees: number): BootstrapTarget {
  const sb = new SparseBuilder(CELLS);
  const counts = new Float64Array(N_GRADES);
  const o = new Float64Array(CELLS);
  for (let k = 0; k < nKnees; k++) {
    counts.fill(0);
    for (const g of grades) if (g[k] !== MISSING) counts[g[k]!]! += 1;
    o.fill(0);
    if (!addUnitCoincidences(counts, o)) continue;
    for (let c = 0; c < CELLS; c++) sb.add(cluster[k]!, c, o[c]!);
  }
  return {
    cells: CELLS,
    ...sb.pack(),
    outputs: 3,
    evaluate(acc, out, off) {
      out[off] = alphaFromCoincidences(acc, 'nominal');
      out[off + 1] = alphaFromCoincidences(acc, 'ordinal');
      out[off + 2] = alphaFromCoincidences(acc, 'interval');
    },
  };
}

/**
 * Fleiss' kappa on the knees every rater graded. Per patient: sum of P_i numerators, knee count and the
 * per-grade rating counts — enough to recompute kappa for any multiset of patients.
 */
export function fleissTarget(grades: Int8Array[], cluster: Int32Array, nKnees: number): BootstrapTarget {
  const m = grades.length;
  const sb = new SparseBuilder(2 + N_GRADES);
  const counts = new Float64Array(N_GRADES);
  for (let k = 0; k < nKnees; k++) {
    if (grades.some((g) => g[k] === MISSING)) continue;
    counts.fill(0);
    for (const g of grades) counts[g[k]!]! += 1;
    let sq = 0;
    for (const c of counts) sq += c * c;
    const p = cluster[k]!;
    sb.add(p, 0, (sq - m) / (m * (m - 1)));
    sb.add(p, 1, 1);
    for (let g = 0; g < N_GRADES; g++) sb.add(p, 2 + g, counts[g]!);
  }
  return {
    cells: 2 + N_GRADES,
    ...sb.pack(),
    outputs: 1,
    evaluate(acc, out, off) {
      const N = acc[1]!;
      if (N === 0 || m < 2) {
        out[off] = NaN;
        return;
      }
      let pe = 0;
      for (let g = 0; g < N_GRADES; g++) {
        const pj = acc[2 + g]! / (N * m);
        pe += pj * pj;
      }
      out[off] = pe === 1 ? NaN : (acc[0]! / N - pe) / (1 - pe);
    },
  };
}
