// Agreement between every pair of raters: the pairwise QWK matrix and Light's kappa.
import { cohenKappa, type KappaWeights } from './agreement';
import { confusionMatrix } from './confusion';
import { completeKnees } from './fleiss';
import type { Ratings } from './ratings';

export interface PairwiseMatrix {
  raters: string[];
  /** kappa[i][j]: NaN on pairs with no common knees or undefined kappa; 1 on the diagonal. */
  kappa: number[][];
  /** Knees both raters graded. */
  n: number[][];
  /** Share of those knees given the same grade (NaN with none). */
  exact: number[][];
}

/** Weighted (default quadratic) kappa of every pair over the knees both graded (pairwise-complete). */
export function pairwiseKappa(
  r: Ratings,
  raterIdx: number[],
  weights: KappaWeights = 'quadratic',
): PairwiseMatrix {
  const kappa: number[][] = [];
  const n: number[][] = [];
  const exact: number[][] = [];
  for (const a of raterIdx) {
    const krow: number[] = [];
    const nrow: number[] = [];
    const erow: number[] = [];
    for (const b of raterIdx) {
      const m = confusionMatrix(r.grades[a]!, r.grades[b]!);
      let count = 0;
      for (const v of m) count += v;
      nrow.push(count);
      let same = 0;
      for (let g = 0; g < 5; g++) same += m[g * 5 + g]!;
      erow.push(count ? same / count : NaN);
      krow.push(a === b ? (count ? 1 : NaN) : cohenKappa(m, weights));
    }
    kappa.push(krow);
    n.push(nrow);
    exact.push(erow);
  }
  return { raters: raterIdx.map((i) => r.raters[i]!.name), kappa, n, exact };
}

export interface LightsKappaResult {
  kappa: number;
  /** Knees every selected rater graded. */
  n: number;
  pairs: number;
}

/** Light's kappa (Light 1971): the mean of the pairwise (unweighted) Cohen's kappas on complete data. */
export function lightsKappa(
  r: Ratings,
  raterIdx: number[],
  weights: KappaWeights = 'none',
): LightsKappaResult {
  const knees = completeKnees(r, raterIdx);
  let sum = 0;
  let pairs = 0;
  for (let x = 0; x < raterIdx.length; x++)
    for (let y = x + 1; y < raterIdx.length; y++) {
      const ga = r.grades[raterIdx[x]!]!;
      const gb = r.grades[raterIdx[y]!]!;
      const a = knees.map((k) => ga[k]!);
      const b = knees.map((k) => gb[k]!);
      sum += cohenKappa(confusionMatrix(a, b), weights);
      pairs++;
    }
  return { kappa: pairs ? sum / pairs : NaN, n: knees.length, pairs };
}
