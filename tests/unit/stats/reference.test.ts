// The TypeScript statistics against values computed by scikit-learn and statsmodels (and Krippendorff's
// alpha from its definition), produced by scripts/reference/stats_reference.py.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MISSING,
  confusionMatrix,
  fleissKappa,
  krippendorffAlpha,
  lightsKappa,
  pairMetrics,
  pairwiseKappa,
  toRows,
  type Ratings,
} from '../../../src/core/stats';

type Num = number | null;
interface PairCase {
  name: string;
  a: (number | null)[];
  b: (number | null)[];
  expected: {
    n: number;
    confusion: number[][];
    kappa: Num;
    linearKappa: Num;
    qwk: Num;
    statsmodels: { kappa: Num; linearKappa: Num; qwk: Num };
    exactAccuracy: Num;
    adjacentAccuracy: Num;
    mae: Num;
    perGrade: { grade: number; precision: number; recall: number; f1: number; support: number }[];
    macro: { precision: Num; recall: Num; f1: Num };
    weighted: { precision: Num; recall: Num; f1: Num };
  };
}
interface MultiCase {
  name: string;
  grades: (number | null)[][];
  expected: {
    fleiss: Num;
    fleissN: number;
    light: Num;
    alpha: { nominal: Num; ordinal: Num; interval: Num };
    pairwiseQwk: Num[][];
    pairwiseN: number[][];
  };
}
const ref = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../fixtures/reference/stats_reference.json'), 'utf8'),
) as { pairs: PairCase[]; multi: MultiCase[] };

const toGrades = (xs: (number | null)[]): Int8Array => Int8Array.from(xs, (x) => (x === null ? MISSING : x));
/** NaN (undefined here) must match null (undefined there); numbers to 10 decimals. */
function same(actual: number, expected: Num, label: string): void {
  if (expected === null)
    expect(Number.isNaN(actual), `${label}: expected undefined, got ${actual}`).toBe(true);
  else expect(actual, label).toBeCloseTo(expected, 10);
}

function ratingsOf(grades: (number | null)[][]): Ratings {
  const n = grades[0]!.length;
  return {
    knees: Array.from({ length: n }, (_, i) => `k${i}`),
    patients: Array.from({ length: n }, (_, i) => `p${i}`),
    raters: grades.map((_, i) => ({ name: `r${i}`, kind: 'reader' as const })),
    grades: grades.map(toGrades),
  };
}

describe('two raters vs scikit-learn / statsmodels', () => {
  it('has the reference cases', () => expect(ref.pairs.length).toBeGreaterThanOrEqual(8));
  for (const c of ref.pairs) {
    it(c.name, () => {
      const m = confusionMatrix(toGrades(c.a), toGrades(c.b));
      expect(toRows(m)).toEqual(c.expected.confusion);
      const pm = pairMetrics(m);
      const e = c.expected;
      expect(pm.n).toBe(e.n);
      same(pm.kappa, e.kappa, 'kappa');
      same(pm.linearKappa, e.linearKappa, 'linear kappa');
      same(pm.qwk, e.qwk, 'qwk');
      // statsmodels agrees with scikit-learn to rounding on every non-degenerate table
      same(
        pm.qwk,
        e.statsmodels.qwk === null ? null : Number(e.statsmodels.qwk.toFixed(12)),
        'qwk vs statsmodels',
      );
      same(pm.exactAccuracy, e.exactAccuracy, 'exact');
      same(pm.adjacentAccuracy, e.adjacentAccuracy, 'adjacent');
      same(pm.mae, e.mae, 'mae');
      for (const g of e.perGrade) {
        const got = pm.perGrade[g.grade]!;
        expect(got.support).toBe(g.support);
        // We report an undefined precision/recall as NaN; scikit-learn (zero_division=0) as 0.
        expect(Number.isNaN(got.precision) ? 0 : got.precision).toBeCloseTo(g.precision, 10);
        expect(Number.isNaN(got.recall) ? 0 : got.recall).toBeCloseTo(g.recall, 10);
        expect(Number.isNaN(got.f1) ? 0 : got.f1).toBeCloseTo(g.f1, 10);
        if (got.predicted === 0) expect(got.precision).toBeNaN();
        if (got.support === 0) expect(got.recall).toBeNaN();
      }
      same(pm.macro.precision, e.macro.precision, 'macro precision');
      same(pm.macro.recall, e.macro.recall, 'macro recall');
      same(pm.macro.f1, e.macro.f1, 'macro f1');
      same(pm.weighted.precision, e.weighted.precision, 'weighted precision');
      same(pm.weighted.recall, e.weighted.recall, 'weighted recall');
      same(pm.weighted.f1, e.weighted.f1, 'weighted f1');
    });
  }
});

describe('several raters vs statsmodels fleiss_kappa and the alpha definition', () => {
  for (const c of ref.multi) {
    it(c.name, () => {
      const r = ratingsOf(c.grades);
      const idx = r.raters.map((_, i) => i);
      const f = fleissKappa(r, idx);
      expect(f.n).toBe(c.expected.fleissN);
      same(f.kappa, c.expected.fleiss, 'fleiss');
      same(lightsKappa(r, idx).kappa, c.expected.light, 'light');
      for (const metric of ['nominal', 'ordinal', 'interval'] as const)
        same(krippendorffAlpha(r, idx, metric).alpha, c.expected.alpha[metric], `alpha ${metric}`);
      const pw = pairwiseKappa(r, idx);
      expect(pw.n).toEqual(c.expected.pairwiseN);
      pw.kappa.forEach((row, i) =>
        row.forEach((v, j) => same(v, c.expected.pairwiseQwk[i]![j]!, `qwk[${i}][${j}]`)),
      );
    });
  }
});
