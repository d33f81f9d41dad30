import { describe, expect, it } from 'vitest';
import {
  METRIC_INDEX,
  N_METRICS,
  Rng,
  confusionMatrix,
  confusionTarget,
  fleissKappa,
  krippendorffAlpha,
  groupAgreementTarget,
  compressByPattern,
  MISSING,
  pairedDifferenceTarget,
  patientIndex,
  percentileInterval,
  quantileSorted,
  runBootstrap,
  scalarMetricsInto,
  bootstrapPValue,
} from '../../../src/core/stats';
import { synthRatings } from './helpers';

describe('Rng', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xa = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(xa);
  });
  it('draws integers in range, roughly uniformly', () => {
    const r = new Rng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300);
  });
});

describe('quantiles', () => {
  it('interpolates like numpy (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.025)).toBeCloseTo(1.1, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
  it('leaves undefined resamples out of the interval and counts them', () => {
    const s = Float64Array.from([NaN, 1, 2, 3, NaN]);
    const iv = percentileInterval(s, 1, 0, 0.5);
    expect(iv.defined).toBe(3);
    expect(iv.lo).toBe(1.5);
    expect(iv.hi).toBe(2.5);
  });
});

describe('runBootstrap', () => {
  const r = synthRatings({
    patients: 150,
    raters: [
      { name: 'ref', kind: 'reference', noise: 0 },
      { name: 'a', kind: 'reader', noise: 0.3 },
      { name: 'b', kind: 'model', noise: 0.5 },
    ],
  });
  const { index: cluster, count } = patientIndex(r);
  const opts = { resamples: 200, seed: 11, confidence: 0.95 };

  it('point estimates equal the statistics on the full data', () => {
    const run = runBootstrap(count, [confusionTarget(r.grades[0]!, r.grades[1]!, cluster)], opts);
    const direct = new Float64Array(N_METRICS);
    scalarMetricsInto(confusionMatrix(r.grades[0]!, r.grades[1]!), 0, direct, 0);
    expect(Array.from(run.point[0]!)).toEqual(Array.from(direct));
    const idx = [0, 1, 2];
    // with missing grades: alpha keeps knees with >= 2 grades, Fleiss only complete knees
    const withGaps = r.grades.map((g, i) =>
      Int8Array.from(g, (v, k) => (i === 2 && k % 7 === 0 ? MISSING : v)),
    );
    const gapped = { ...r, grades: withGaps };
    const run2 = runBootstrap(count, [groupAgreementTarget(withGaps, cluster, r.knees.length)], opts);
    expect(run2.point[0]![0]).toBeCloseTo(fleissKappa(gapped, idx).kappa, 12);
    expect(run2.point[0]![1]).toBeCloseTo(krippendorffAlpha(gapped, idx, 'nominal').alpha, 12);
    expect(run2.point[0]![2]).toBeCloseTo(krippendorffAlpha(gapped, idx, 'ordinal').alpha, 12);
    expect(run2.point[0]![3]).toBeCloseTo(krippendorffAlpha(gapped, idx, 'interval').alpha, 12);
  });

  it('groups patients with identical contributions, without changing any resample', () => {
    const big = synthRatings({
      patients: 2000,
      raters: [
        { name: 'ref', kind: 'reference', noise: 0 },
        { name: 'a', kind: 'reader', noise: 0.3 },
      ],
      seed: 8,
    });
    const { index: bigCluster, count: bigCount } = patientIndex(big);
    const t = confusionTarget(big.grades[0]!, big.grades[1]!, bigCluster);
    const c = compressByPattern(t);
    expect(c).not.toBe(t);
    expect(c.cluster.length).toBeLessThan(t.cluster.length);
    // evaluate both forms on the same weights
    const rng = new Rng(5);
    const w = new Int32Array(bigCount);
    for (let i = 0; i < bigCount; i++) w[rng.int(bigCount)]! += 1;
    const acc = (x: typeof t): Float64Array => {
      const a = new Float64Array(x.cells);
      for (let e = 0; e < x.cluster.length; e++) a[x.cell[e]!]! += w[x.cluster[e]!]! * x.value[e]!;
      return a;
    };
    const o1 = new Float64Array(N_METRICS);
    const o2 = new Float64Array(N_METRICS);
    t.evaluate(acc(t), o1, 0);
    c.evaluate(acc(c), o2, 0);
    expect(Array.from(o2)).toEqual(Array.from(o1));
  });

  it('is reproducible for a seed and changes with the seed', () => {
    const t = (): ReturnType<typeof confusionTarget> => confusionTarget(r.grades[0]!, r.grades[1]!, cluster);
    const x = runBootstrap(count, [t()], opts).samples[0]!;
    const y = runBootstrap(count, [t()], opts).samples[0]!;
    const z = runBootstrap(count, [t()], { ...opts, seed: 12 }).samples[0]!;
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(Array.from(z)).not.toEqual(Array.from(x));
  });

  it('each resample equals the statistic recomputed knee by knee on the resampled patients', () => {
    const run = runBootstrap(count, [confusionTarget(r.grades[0]!, r.grades[2]!, cluster)], {
      ...opts,
      resamples: 3,
    });
    const rng = new Rng(opts.seed);
    for (let b = 0; b < 3; b++) {
      const w = new Int32Array(count);
      for (let i = 0; i < count; i++) w[rng.int(count)]! += 1;
      const ref: number[] = [];
      const rat: number[] = [];
      r.knees.forEach((_, k) => {
        for (let c = 0; c < w[cluster[k]!]!; c++) {
          ref.push(r.grades[0]![k]!);
          rat.push(r.grades[2]![k]!);
        }
      });
      const direct = new Float64Array(N_METRICS);
      scalarMetricsInto(confusionMatrix(ref, rat), 0, direct, 0);
      const row = Array.from(run.samples[0]!.subarray(b * N_METRICS, (b + 1) * N_METRICS));
      row.forEach((v, j) =>
        Number.isNaN(direct[j]!) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(direct[j]!, 12),
      );
    }
  });

  it('gives the same samples whether targets run together (fused pass) or alone', () => {
    const big = synthRatings({
      patients: 1500,
      raters: [
        { name: 'ref', kind: 'reference', noise: 0 },
        { name: 'a', kind: 'reader', noise: 0.3 },
        { name: 'b', kind: 'reader', noise: 0.5 },
        { name: 'c', kind: 'model', noise: 0.2, missing: 0.1 },
      ],
      seed: 13,
    });
    const { index: cl, count: n } = patientIndex(big);
    const mk = (i: number): ReturnType<typeof confusionTarget> =>
      confusionTarget(big.grades[0]!, big.grades[i]!, cl);
    const o = { resamples: 40, seed: 5, confidence: 0.95 };
    const together = runBootstrap(n, [mk(1), mk(2), mk(3)], o);
    for (let i = 1; i <= 3; i++) {
      const alone = runBootstrap(n, [mk(i)], o);
      expect(Array.from(together.samples[i - 1]!)).toEqual(Array.from(alone.samples[0]!));
    }
  });

  it('gives a binomial-sized interval for exact accuracy', () => {
    const big = synthRatings({
      patients: 1000,
      kneesPerPatient: 1,
      raters: [
        { name: 'ref', kind: 'reference', noise: 0 },
        { name: 'a', kind: 'reader', noise: 0.3 },
      ],
      seed: 5,
    });
    const pi = patientIndex(big);
    const run = runBootstrap(pi.count, [confusionTarget(big.grades[0]!, big.grades[1]!, pi.index)], {
      ...opts,
      resamples: 1000,
    });
    const p = run.point[0]![0]!;
    const iv = percentileInterval(run.samples[0]!, N_METRICS, METRIC_INDEX.exactAccuracy, 0.95);
    const expectedWidth = 2 * 1.96 * Math.sqrt((p * (1 - p)) / 1000);
    expect(iv.lo).toBeLessThan(p);
    expect(iv.hi).toBeGreaterThan(p);
    expect((iv.hi - iv.lo) / expectedWidth).toBeGreaterThan(0.85);
    expect((iv.hi - iv.lo) / expectedWidth).toBeLessThan(1.15);
  });

  it('resamples patients: correlated knees widen the interval versus treating knees as independent', () => {
    // Both knees of a patient carry the same grade from both raters, so each patient is one
    // observation counted twice: resampling knees would understate the uncertainty by about sqrt(2).
    const d = synthRatings({
      patients: 400,
      sameGradeBothKnees: true,
      raters: [
        { name: 'ref', kind: 'reference', noise: 0 },
        { name: 'a', kind: 'reader', noise: 0 },
      ],
      seed: 9,
    });
    // make rater a disagree on whole patients
    const rng = new Rng(4);
    for (let k = 0; k < d.knees.length; k += 2) {
      if (rng.int(10) < 3) {
        const g = (d.grades[1]![k]! + 1) % 5;
        d.grades[1]![k] = g;
        d.grades[1]![k + 1] = g;
      }
    }
    const byPatient = patientIndex(d);
    const byKnee = { index: Int32Array.from(d.knees, (_, k) => k), count: d.knees.length };
    const width = (ci: { index: Int32Array; count: number }): number => {
      const run = runBootstrap(ci.count, [confusionTarget(d.grades[0]!, d.grades[1]!, ci.index)], {
        ...opts,
        resamples: 800,
      });
      const iv = percentileInterval(run.samples[0]!, N_METRICS, METRIC_INDEX.exactAccuracy, 0.95);
      return iv.hi - iv.lo;
    };
    const ratio = width(byPatient) / width(byKnee);
    expect(ratio).toBeGreaterThan(1.25);
    expect(ratio).toBeLessThan(1.6);
  });
});

describe('paired difference', () => {
  const r = synthRatings({
    patients: 200,
    raters: [
      { name: 'ref', kind: 'reference', noise: 0 },
      { name: 'good', kind: 'model', noise: 0.1 },
      { name: 'poor', kind: 'reader', noise: 0.6, missing: 0.1 },
    ],
    seed: 21,
  });
  const { index: cluster, count } = patientIndex(r);
  const opts = { resamples: 500, seed: 2, confidence: 0.95 };
  const q = METRIC_INDEX.qwk;

  it('a rater minus itself is exactly 0 in every resample', () => {
    const t = pairedDifferenceTarget(r.grades[0]!, r.grades[1]!, r.grades[1]!, cluster);
    const run = runBootstrap(count, [t], opts);
    expect(run.point[0]![q]).toBe(0);
    const iv = percentileInterval(run.samples[0]!, N_METRICS, q, 0.95);
    expect([iv.lo, iv.hi]).toEqual([0, 0]);
  });

  it('finds a clearly better rater better, on the knees all three graded', () => {
    const t = pairedDifferenceTarget(r.grades[0]!, r.grades[1]!, r.grades[2]!, cluster);
    const missing = Array.from(r.grades[2]!).filter((g) => g < 0).length;
    expect(missing).toBeGreaterThan(0);
    expect(t.n).toBe(r.knees.length - missing);
    const run = runBootstrap(count, [t], opts);
    const iv = percentileInterval(run.samples[0]!, N_METRICS, q, 0.95);
    expect(run.point[0]![q]).toBeGreaterThan(0);
    expect(iv.lo).toBeGreaterThan(0);
    expect(bootstrapPValue(run.samples[0]!, N_METRICS, q)).toBeLessThan(0.01);
    // MAE difference is negative (the better rater errs less)
    expect(run.point[0]![METRIC_INDEX.mae]).toBeLessThan(0);
  });
});
