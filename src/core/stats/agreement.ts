// Two-rater agreement from a 5x5 confusion matrix (rows = reference, columns = rater).
//
// Everything here is a function of the confusion matrix alone, so the bootstrap only has to rebuild a
// 25-cell matrix per resample and call `scalarMetricsInto`. Undefined values (a kappa when both raters
// used one and the same grade, a precision for a grade the rater never used) are NaN, never 0 in
// disguise; renderers show them as "n/a".
import { N_GRADES } from './ratings';

const G = N_GRADES;

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/**
 * Cohen's kappa, unweighted or weighted by grade distance. Weights use the KL grade values 0..4 (not
 * the indices of the grades that happen to occur), so a grade nobody used still counts as a step.
 * kappa = 1 - sum(w*O) / sum(w*E) with disagreement weights w = [i != j], |i-j|, (i-j)^2.
 */
export function cohenKappa(m: ArrayLike<number>, weights: KappaWeights = 'none', off = 0): number {
  let n = 0;
  const row = [0, 0, 0, 0, 0];
  const col = [0, 0, 0, 0, 0];
  for (let i = 0; i < G; i++)
    for (let j = 0; j < G; j++) {
      const v = m[off + i * G + j]!;
      n += v;
      row[i]! += v;
      col[j]! += v;
    }
  if (n === 0) return NaN;
  let obs = 0;
  let exp = 0;
  for (let i = 0; i < G; i++)
    for (let j = 0; j < G; j++) {
      const d = i - j;
      const w = weights === 'none' ? (d === 0 ? 0 : 1) : weights === 'linear' ? Math.abs(d) : d * d;
      if (w === 0) continue;
      obs += w * m[off + i * G + j]!;
      exp += (w * row[i]! * col[j]!) / n;
    }
  if (exp === 0) return NaN;
  return 1 - obs / exp;
}

export interface GradeScores {
  grade: number;
  precision: number;
  recall: number;
  f1: number;
  /** Knees the reference put in this grade. */
  support: number;
  /** Knees the rater put in this grade. */
  predicted: number;
}

/**
 * Names of the scalar metrics, in the order `scalarMetricsInto` writes them. The bootstrap stores
 * one row of these per resample.
 */
export const METRIC_KEYS = [
  'exactAccuracy',
  'adjacentAccuracy',
  'mae',
  'kappa',
  'linearKappa',
  'qwk',
  'precision0',
  'precision1',
  'precision2',
  'precision3',
  'precision4',
  'recall0',
  'recall1',
  'recall2',
  'recall3',
  'recall4',
  'f1_0',
  'f1_1',
  'f1_2',
  'f1_3',
  'f1_4',
  'macroF1',
  'weightedF1',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export const N_METRICS = METRIC_KEYS.length;
export const METRIC_INDEX: Record<MetricKey, number> = Object.fromEntries(
  METRIC_KEYS.map((k, i) => [k, i]),
) as Record<MetricKey, number>;

/**
 * Write every scalar metric of the confusion matrix at m[off..off+25) into out[outOff..outOff+N_METRICS).
 * Allocation-free apart from two 5-element scratch arrays, because the bootstrap calls it millions of times.
 */
export function scalarMetricsInto(
  m: ArrayLike<number>,
  off: number,
  out: Float64Array,
  outOff: number,
): void {
  const row = [0, 0, 0, 0, 0];
  const col = [0, 0, 0, 0, 0];
  let n = 0;
  let diag = 0;
  let adj = 0;
  let abs = 0;
  for (let i = 0; i < G; i++)
    for (let j = 0; j < G; j++) {
      const v = m[off + i * G + j]!;
      if (v === 0) continue;
      n += v;
      row[i]! += v;
      col[j]! += v;
      const d = i > j ? i - j : j - i;
      if (d === 0) diag += v;
      if (d <= 1) adj += v;
      abs += d * v;
    }
  out[outOff] = n ? diag / n : NaN;
  out[outOff + 1] = n ? adj / n : NaN;
  out[outOff + 2] = n ? abs / n : NaN;
  out[outOff + 3] = cohenKappa(m, 'none', off);
  out[outOff + 4] = cohenKappa(m, 'linear', off);
  out[outOff + 5] = cohenKappa(m, 'quadratic', off);
  // Per-grade scores. Averages follow scikit-learn's precision_recall_fscore_support: over the grades
  // that occur in either the reference or the rater, an undefined precision/recall counting as 0.
  let macro = 0;
  let used = 0;
  let weighted = 0;
  for (let g = 0; g < G; g++) {
    const tp = m[off + g * G + g]!;
    const support = row[g]!;
    const predicted = col[g]!;
    const p = predicted ? tp / predicted : NaN;
    const r = support ? tp / support : NaN;
    const p0 = p === p ? p : 0;
    const r0 = r === r ? r : 0;
    const f = support === 0 && predicted === 0 ? NaN : p0 + r0 === 0 ? 0 : (2 * p0 * r0) / (p0 + r0);
    out[outOff + 6 + g] = p;
    out[outOff + 11 + g] = r;
    out[outOff + 16 + g] = f;
    if (support || predicted) {
      used++;
      macro += f;
      weighted += f * support;
    }
  }
  out[outOff + 21] = used ? macro / used : NaN;
  out[outOff + 22] = n ? weighted / n : NaN;
}

export interface PairMetrics {
  n: number;
  exactAccuracy: number;
  adjacentAccuracy: number;
  mae: number;
  kappa: number;
  linearKappa: number;
  qwk: number;
  perGrade: GradeScores[];
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
}

/** All two-rater metrics of one confusion matrix, as a readable object. */
export function pairMetrics(m: ArrayLike<number>): PairMetrics {
  const v = new Float64Array(N_METRICS);
  scalarMetricsInto(m, 0, v, 0);
  let n = 0;
  const row = [0, 0, 0, 0, 0];
  const col = [0, 0, 0, 0, 0];
  for (let i = 0; i < G; i++)
    for (let j = 0; j < G; j++) {
      const c = m[i * G + j]!;
      n += c;
      row[i]! += c;
      col[j]! += c;
    }
  const perGrade: GradeScores[] = [];
  for (let g = 0; g < G; g++)
    perGrade.push({
      grade: g,
      precision: v[6 + g]!,
      recall: v[11 + g]!,
      f1: v[16 + g]!,
      support: row[g]!,
      predicted: col[g]!,
    });
  const avg = (key: 'precision' | 'recall' | 'f1', byWeight: boolean): number => {
    let s = 0;
    let w = 0;
    for (const g of perGrade) {
      if (!g.support && !g.predicted) continue;
      const x = Number.isNaN(g[key]) ? 0 : g[key];
      const wt = byWeight ? g.support : 1;
      s += x * wt;
      w += wt;
    }
    return w ? s / w : NaN;
  };
  return {
    n,
    exactAccuracy: v[0]!,
    adjacentAccuracy: v[1]!,
    mae: v[2]!,
    kappa: v[3]!,
    linearKappa: v[4]!,
    qwk: v[5]!,
    perGrade,
    macro: { precision: avg('precision', false), recall: avg('recall', false), f1: v[21]! },
    weighted: { precision: avg('precision', true), recall: avg('recall', true), f1: v[22]! },
  };
}
