import { describe, expect, it } from 'vitest';
import {
  METRIC_INDEX,
  MISSING,
  N_METRICS,
  analyseAgreement,
  confusionMatrix,
  pairMetrics,
  pairedDifferenceTarget,
  patientIndex,
  percentileInterval,
  runBootstrap,
} from '../../../src/core/stats';
import { synthRatings } from './helpers';

const study = (): ReturnType<typeof synthRatings> => {
  const r = synthRatings({
    patients: 120,
    raters: [
      { name: 'truth', kind: 'reference', noise: 0, missing: 0.1 },
      { name: 'Dr A', kind: 'reader', noise: 0.3 },
      { name: 'Dr B', kind: 'reader', noise: 0.4, missing: 0.2 },
      { name: 'resnet', kind: 'model', noise: 0.2 },
    ],
    seed: 77,
  });
  return r;
};

describe('analyseAgreement', () => {
  const r = study();
  const a = analyseAgreement(r, { reference: 'truth', bootstrap: { resamples: 300, seed: 1 } });

  it('compares every other rater with the reference, counting knees left out', () => {
    expect(a.raters.map((x) => x.name)).toEqual(['Dr A', 'Dr B', 'resnet']);
    const withRef = Array.from(r.grades[0]!).filter((g) => g !== MISSING).length;
    expect(a.kneesWithReference).toBe(withRef);
    expect(a.knees).toBe(240);
    expect(a.patients).toBe(120);
    const b = a.vsReference[1]!;
    const pm = pairMetrics(confusionMatrix(r.grades[0]!, r.grades[2]!));
    expect(b.n).toBe(pm.n);
    expect(b.missing).toBe(withRef - pm.n);
    expect(b.missing).toBeGreaterThan(0);
    expect(b.metrics.qwk.value).toBeCloseTo(pm.qwk, 12);
    expect(b.perGrade[2]!.f1.value).toBeCloseTo(pm.perGrade[2]!.f1, 12);
  });

  it('gives every defined estimate an interval around its value', () => {
    for (const v of a.vsReference)
      for (const [key, e] of Object.entries(v.metrics)) {
        if (e.value === null) continue;
        expect(e.lo, key).not.toBeNull();
        expect(e.lo!, key).toBeLessThanOrEqual(e.value + 1e-12);
        expect(e.hi!, key).toBeGreaterThanOrEqual(e.value - 1e-12);
      }
  });

  it('by default estimates model-minus-reader differences', () => {
    expect(a.differences.map((d) => `${d.a}-${d.b}`)).toEqual(['resnet-Dr A', 'resnet-Dr B']);
    const d = a.differences[0]!;
    expect(d.metrics.qwk.value).toBeCloseTo(
      a.vsReference[2]!.metrics.qwk.value! - a.vsReference[0]!.metrics.qwk.value!,
      12,
    );
    expect(d.metrics.qwk.p).not.toBeNull();
  });

  it("derives a difference from the two raters' samples exactly as a dedicated paired target would", () => {
    // Dr A and resnet graded every knee: the fast path (difference of the two rater-vs-reference
    // samples) must equal the general paired target run on the same resampled patients.
    const { index, count } = patientIndex(r);
    const t = pairedDifferenceTarget(r.grades[0]!, r.grades[3]!, r.grades[1]!, index);
    const run = runBootstrap(count, [t], { resamples: 300, seed: 1, confidence: 0.95 });
    const iv = percentileInterval(run.samples[0]!, N_METRICS, METRIC_INDEX.qwk, 0.95);
    const d = a.differences[0]!;
    expect(d.n).toBe(t.n);
    expect(d.metrics.qwk.lo).toBeCloseTo(iv.lo, 12);
    expect(d.metrics.qwk.hi).toBeCloseTo(iv.hi, 12);
    // Dr B has missing grades: its pair goes through the dedicated target on the common knees
    expect(a.differences[1]!.n).toBe(
      t.n - Array.from(r.grades[2]!).filter((g, k) => g === MISSING && r.grades[0]![k] !== MISSING).length,
    );
  });

  it('has readers-only and readers-and-models groups, and a symmetric pairwise QWK matrix', () => {
    expect(a.multiRater.map((g) => g.label)).toEqual(['readers', 'readers and models']);
    expect(a.multiRater[0]!.raters).toEqual(['Dr A', 'Dr B']);
    expect(a.pairwise.raters).toEqual(['Dr A', 'Dr B', 'resnet']);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(a.pairwise.qwk[i]![j]).toBeCloseTo(a.pairwise.qwk[j]![i]!, 12);
    expect(a.pairwise.qwk[0]![0]).toBe(1);
    const pm = pairMetrics(confusionMatrix(r.grades[1]!, r.grades[3]!));
    expect(a.pairwise.exact[0]![2]).toBeCloseTo(pm.exactAccuracy, 12);
    // 3 pairs (<= 10): intervals by default, around the estimate, symmetric
    expect(a.pairwise.qwkLo[0]![2]).toBe(a.pairwise.qwkLo[2]![0]);
    expect(a.pairwise.qwkLo[0]![2]!).toBeLessThanOrEqual(a.pairwise.qwk[0]![2]!);
    expect(a.pairwise.qwkHi[0]![2]!).toBeGreaterThanOrEqual(a.pairwise.qwk[0]![2]!);
    expect(a.pairwise.qwkLo[1]![1]).toBeNull();
    const off = analyseAgreement(r, {
      reference: 'truth',
      bootstrap: { resamples: 20 },
      pairwiseIntervals: false,
    });
    expect(off.pairwise.qwkLo.flat().every((v) => v === null)).toBe(true);
  });

  it('is reproducible', () => {
    const b = analyseAgreement(r, { reference: 'truth', bootstrap: { resamples: 300, seed: 1 } });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('measures intra-reader agreement from re-read pairs', () => {
    const second = Int8Array.from(r.grades[1]!, (g, k) => (k % 3 === 0 ? MISSING : g));
    const x = analyseAgreement(r, {
      reference: 'truth',
      bootstrap: { resamples: 50 },
      rereads: [
        { reader: 'Dr A', first: 's1', second: 's2', firstGrades: r.grades[1]!, secondGrades: second },
      ],
    });
    expect(x.intraReader).toHaveLength(1);
    expect(x.intraReader[0]!.n).toBe(160);
    expect(x.intraReader[0]!.metrics.qwk.value).toBe(1);
  });

  it('names a missing rater', () => {
    expect(() => analyseAgreement(r, { reference: 'nobody' })).toThrow(/no rater named "nobody"/);
  });

  it('reports undefined statistics as null, not 0', () => {
    const one = {
      knees: ['a', 'b', 'c'],
      patients: ['1', '2', '3'],
      raters: [
        { name: 'ref', kind: 'reference' as const },
        { name: 'x', kind: 'reader' as const },
      ],
      grades: [Int8Array.from([2, 2, 2]), Int8Array.from([2, 2, 2])],
    };
    const res = analyseAgreement(one, { reference: 'ref', bootstrap: { resamples: 20 } });
    expect(res.vsReference[0]!.metrics.qwk.value).toBeNull();
    expect(res.vsReference[0]!.metrics.exactAccuracy.value).toBe(1);
    expect(res.vsReference[0]!.perGrade[0]!.precision.value).toBeNull();
  });
});
