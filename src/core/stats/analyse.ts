// One call that runs every agreement statistic of a study against a chosen reference rater, with
// patient-bootstrap intervals from one shared set of resamples. Pure: takes Ratings, returns plain data
// (numbers, or null where a statistic is undefined, so the result survives JSON unchanged).
import { METRIC_INDEX, METRIC_KEYS, N_METRICS, pairMetrics, type MetricKey } from './agreement';
import {
  DEFAULT_BOOTSTRAP,
  bootstrapPValue,
  percentileInterval,
  runBootstrap,
  type BootstrapOptions,
  type BootstrapTarget,
} from './bootstrap';
import { confusionMatrix, toRows } from './confusion';
import { fleissKappa } from './fleiss';
import { krippendorffAlpha } from './krippendorff';
import { lightsKappa, pairwiseKappa } from './pairwise';
import { MISSING, patientIndex, raterIndex, validateRatings, type RaterKind, type Ratings } from './ratings';
import { GROUP_OUTPUTS, confusionTarget, groupAgreementTarget, pairedDifferenceTarget } from './targets';

/** A point estimate with its bootstrap percentile interval; null = undefined on these data. */
export interface Estimate {
  value: number | null;
  lo: number | null;
  hi: number | null;
}

export interface GradeRow {
  grade: number;
  precision: Estimate;
  recall: Estimate;
  f1: Estimate;
  support: number;
  predicted: number;
}

export interface RaterVsReference {
  rater: string;
  kind: RaterKind;
  /** Knees with both a reference grade and this rater's grade. */
  n: number;
  /** Knees with a reference grade that this rater did not grade (left out of this rater's figures). */
  missing: number;
  /** rows = reference grade, columns = this rater's grade. */
  confusion: number[][];
  metrics: Record<MetricKey, Estimate>;
  perGrade: GradeRow[];
  macro: { precision: number | null; recall: number | null; f1: number | null };
  weighted: { precision: number | null; recall: number | null; f1: number | null };
}

export const DIFFERENCE_METRICS = [
  'qwk',
  'linearKappa',
  'kappa',
  'exactAccuracy',
  'adjacentAccuracy',
  'mae',
] as const;
export type DifferenceMetric = (typeof DIFFERENCE_METRICS)[number];

export interface PairedDifference {
  /** a minus b, both against the reference, on the knees all three graded. */
  a: string;
  b: string;
  n: number;
  metrics: Record<DifferenceMetric, Estimate & { p: number | null }>;
}

export interface MultiRaterGroup {
  label: string;
  raters: string[];
  fleiss: { n: number; kappa: Estimate };
  light: { n: number; pairs: number; kappa: number | null };
  alpha: { units: number; pairableValues: number; nominal: Estimate; ordinal: Estimate; interval: Estimate };
}

export interface PairwiseQwk {
  raters: string[];
  qwk: (number | null)[][];
  /** Bootstrap interval of each pairwise QWK (null when not computed: see AnalysisOptions.pairwiseIntervals). */
  qwkLo: (number | null)[][];
  qwkHi: (number | null)[][];
  n: number[][];
  /** Exact agreement (share of knees given the same grade) of each pair. */
  exact: (number | null)[][];
}

/** Two readings of the same knees by one reader (e.g. a primary session and its re-read). */
export interface RereadPair {
  reader: string;
  first: string;
  second: string;
  /** Aligned with Ratings.knees; MISSING where not graded in that session. */
  firstGrades: Int8Array;
  secondGrades: Int8Array;
}

export interface IntraReader {
  reader: string;
  first: string;
  second: string;
  n: number;
  confusion: number[][];
  metrics: Record<MetricKey, Estimate>;
}

export interface AnalysisOptions {
  /** Name of the rater in `ratings` that is the reference standard. */
  reference: string;
  /** Raters compared with the reference (default: every other rater), in column order. */
  raters?: string[];
  bootstrap?: Partial<BootstrapOptions>;
  /** Paired differences to estimate, [a, b] = a minus b; default: every model minus every reader. */
  differences?: [string, string][];
  rereads?: RereadPair[];
  /** Bootstrap intervals for the pairwise QWK matrix (default: only when there are at most 10 pairs, as each pair costs a target). */
  pairwiseIntervals?: boolean;
}

export interface AgreementAnalysis {
  reference: string;
  raters: { name: string; kind: RaterKind }[];
  knees: number;
  patients: number;
  kneesWithReference: number;
  patientsWithReference: number;
  bootstrap: BootstrapOptions;
  vsReference: RaterVsReference[];
  pairwise: PairwiseQwk;
  multiRater: MultiRaterGroup[];
  differences: PairedDifference[];
  intraReader: IntraReader[];
}

const fin = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

export function analyseAgreement(ratings: Ratings, opts: AnalysisOptions): AgreementAnalysis {
  validateRatings(ratings);
  const boot: BootstrapOptions = { ...DEFAULT_BOOTSTRAP, ...opts.bootstrap };
  if (!(boot.confidence > 0 && boot.confidence < 1))
    throw new Error(`confidence must be in (0, 1), got ${boot.confidence}`);
  const refIdx = raterIndex(ratings, opts.reference);
  const ref = ratings.grades[refIdx]!;
  const raterIdx = (opts.raters ?? ratings.raters.map((r) => r.name).filter((n) => n !== opts.reference)).map(
    (n) => raterIndex(ratings, n),
  );
  const { index: cluster, count: nPatients } = patientIndex(ratings);
  const nKnees = ratings.knees.length;
  const withRef: number[] = [];
  const refPatients = new Set<number>();
  for (let k = 0; k < nKnees; k++)
    if (ref[k] !== MISSING) {
      withRef.push(k);
      refPatients.add(cluster[k]!);
    }

  // Every target shares the same resampled patients.
  const targets: BootstrapTarget[] = [];
  const add = (t: BootstrapTarget): number => targets.push(t) - 1;

  const vsSlots = raterIdx.map((i) => add(confusionTarget(ref, ratings.grades[i]!, cluster)));

  const diffPairs =
    opts.differences ??
    raterIdx
      .filter((i) => ratings.raters[i]!.kind === 'model')
      .flatMap((m) =>
        raterIdx
          .filter((i) => ratings.raters[i]!.kind === 'reader')
          .map((r) => [ratings.raters[m]!.name, ratings.raters[r]!.name] as [string, string]),
      );
  // A paired difference needs both raters on the same knees. When A and B graded exactly the same
  // knees among those with a reference (the usual case), A's and B's rater-vs-reference samples
  // already come from the same resampled patients on the same knees, so the paired difference is their
  // difference resample by resample and needs no extra accumulation. Otherwise a dedicated target
  // restricts both to the knees all three graded.
  const diffSlots = diffPairs.map(([a, b]) => {
    const ia = raterIndex(ratings, a);
    const ib = raterIndex(ratings, b);
    const xa = raterIdx.indexOf(ia);
    const xb = raterIdx.indexOf(ib);
    if (xa >= 0 && xb >= 0 && sameKnees(ref, ratings.grades[ia]!, ratings.grades[ib]!)) {
      let n = 0;
      for (let k = 0; k < nKnees; k++) if (ref[k] !== MISSING && ratings.grades[ia]![k] !== MISSING) n++;
      return { a, b, n, slot: -1, from: [vsSlots[xa]!, vsSlots[xb]!] as [number, number] };
    }
    const t = pairedDifferenceTarget(ref, ratings.grades[ia]!, ratings.grades[ib]!, cluster);
    return { a, b, n: t.n, slot: add(t), from: null };
  });

  const groups = multiRaterGroups(ratings, raterIdx, refIdx).map((g) => ({
    ...g,
    slot: add(
      groupAgreementTarget(
        g.idx.map((i) => ratings.grades[i]!),
        cluster,
        nKnees,
      ),
    ),
  }));

  const rereadSlots = (opts.rereads ?? []).map((rr) => ({
    rr,
    slot: add(confusionTarget(rr.firstGrades, rr.secondGrades, cluster)),
  }));

  const allIdx = [...new Set([...(ratings.raters[refIdx]!.kind === 'reader' ? [refIdx] : []), ...raterIdx])];
  const nPairs = (allIdx.length * (allIdx.length - 1)) / 2;
  const pairSlots = new Map<string, number>();
  if (opts.pairwiseIntervals ?? nPairs <= 10)
    for (let x = 0; x < allIdx.length; x++)
      for (let y = x + 1; y < allIdx.length; y++)
        pairSlots.set(
          `${x}:${y}`,
          add(confusionTarget(ratings.grades[allIdx[x]!]!, ratings.grades[allIdx[y]!]!, cluster)),
        );

  const run = runBootstrap(nPatients, targets, boot);
  // Differences derived from two rater-vs-reference slots become slots of their own (appended).
  for (const d of diffSlots) {
    if (!d.from) continue;
    const [sa, sb] = d.from;
    const point = new Float64Array(N_METRICS);
    const samples = new Float64Array(run.samples[sa]!.length);
    for (let j = 0; j < N_METRICS; j++) point[j] = run.point[sa]![j]! - run.point[sb]![j]!;
    for (let i = 0; i < samples.length; i++) samples[i] = run.samples[sa]![i]! - run.samples[sb]![i]!;
    d.slot = targets.length;
    targets.push({ ...targets[sa]! });
    run.point.push(point);
    run.samples.push(samples);
  }
  const est = (slot: number, j: number): Estimate => {
    const value = fin(run.point[slot]![j]);
    if (run.resamples === 0 || value === null) return { value, lo: null, hi: null };
    const t = targets[slot]!;
    const iv = percentileInterval(run.samples[slot]!, t.outputs, j, boot.confidence);
    return { value, lo: fin(iv.lo), hi: fin(iv.hi) };
  };
  const metricEstimates = (slot: number): Record<MetricKey, Estimate> =>
    Object.fromEntries(METRIC_KEYS.map((k, j) => [k, est(slot, j)])) as Record<MetricKey, Estimate>;

  const vsReference: RaterVsReference[] = raterIdx.map((i, x) => {
    const slot = vsSlots[x]!;
    const m = confusionMatrix(ref, ratings.grades[i]!);
    const pm = pairMetrics(m);
    const metrics = metricEstimates(slot);
    return {
      rater: ratings.raters[i]!.name,
      kind: ratings.raters[i]!.kind,
      n: pm.n,
      missing: withRef.length - pm.n,
      confusion: toRows(m),
      metrics,
      perGrade: pm.perGrade.map((g) => ({
        grade: g.grade,
        precision: metrics[`precision${g.grade}` as MetricKey],
        recall: metrics[`recall${g.grade}` as MetricKey],
        f1: metrics[`f1_${g.grade}` as MetricKey],
        support: g.support,
        predicted: g.predicted,
      })),
      macro: { precision: fin(pm.macro.precision), recall: fin(pm.macro.recall), f1: fin(pm.macro.f1) },
      weighted: {
        precision: fin(pm.weighted.precision),
        recall: fin(pm.weighted.recall),
        f1: fin(pm.weighted.f1),
      },
    };
  });

  const differences: PairedDifference[] = diffSlots.map(({ a, b, n, slot }) => ({
    a,
    b,
    n,
    metrics: Object.fromEntries(
      DIFFERENCE_METRICS.map((k) => {
        const j = METRIC_INDEX[k];
        const e = est(slot, j);
        const p =
          run.resamples && e.value !== null ? fin(bootstrapPValue(run.samples[slot]!, N_METRICS, j)) : null;
        return [k, { ...e, p }];
      }),
    ) as PairedDifference['metrics'],
  }));

  const pw = pairwiseKappa(ratings, allIdx, 'quadratic');
  const pairBound = (side: 'lo' | 'hi'): (number | null)[][] =>
    allIdx.map((_, x) =>
      allIdx.map((__, y) => {
        const slot = pairSlots.get(x < y ? `${x}:${y}` : `${y}:${x}`);
        return x === y || slot === undefined ? null : est(slot, METRIC_INDEX.qwk)[side];
      }),
    );

  const multiRater: MultiRaterGroup[] = groups.map((g) => {
    const f = fleissKappa(ratings, g.idx);
    const l = lightsKappa(ratings, g.idx);
    const a = krippendorffAlpha(ratings, g.idx, 'ordinal');
    const gi = (name: (typeof GROUP_OUTPUTS)[number]): Estimate => est(g.slot, GROUP_OUTPUTS.indexOf(name));
    return {
      label: g.label,
      raters: g.idx.map((i) => ratings.raters[i]!.name),
      fleiss: { n: f.n, kappa: gi('fleiss') },
      light: { n: l.n, pairs: l.pairs, kappa: fin(l.kappa) },
      alpha: {
        units: a.units,
        pairableValues: a.pairableValues,
        nominal: gi('alphaNominal'),
        ordinal: gi('alphaOrdinal'),
        interval: gi('alphaInterval'),
      },
    };
  });

  const intraReader: IntraReader[] = rereadSlots.map(({ rr, slot }) => {
    const m = confusionMatrix(rr.firstGrades, rr.secondGrades);
    let n = 0;
    for (const v of m) n += v;
    return {
      reader: rr.reader,
      first: rr.first,
      second: rr.second,
      n,
      confusion: toRows(m),
      metrics: metricEstimates(slot),
    };
  });

  return {
    reference: opts.reference,
    raters: raterIdx.map((i) => ({ ...ratings.raters[i]! })),
    knees: nKnees,
    patients: nPatients,
    kneesWithReference: withRef.length,
    patientsWithReference: refPatients.size,
    bootstrap: { ...boot, resamples: run.resamples },
    vsReference,
    pairwise: {
      raters: pw.raters,
      qwk: pw.kappa.map((row) => row.map((v) => fin(v))),
      n: pw.n,
      exact: pw.exact.map((row) => row.map((v) => fin(v))),
      qwkLo: pairBound('lo'),
      qwkHi: pairBound('hi'),
    },
    multiRater,
    differences,
    intraReader,
  };
}

/** Do raters a and b have grades on exactly the same knees among those with a reference grade? */
function sameKnees(ref: Int8Array, a: Int8Array, b: Int8Array): boolean {
  for (let k = 0; k < ref.length; k++)
    if (ref[k] !== MISSING && (a[k] === MISSING) !== (b[k] === MISSING)) return false;
  return true;
}

/**
 * Groups for the multi-rater statistics: the readers (including a reader who is the reference), and,
 * when models are compared too, readers and models together. Only groups of two or more raters.
 */
function multiRaterGroups(
  r: Ratings,
  raterIdx: number[],
  refIdx: number,
): { label: string; idx: number[] }[] {
  const readers = [
    ...new Set([...(r.raters[refIdx]!.kind === 'reader' ? [refIdx] : []), ...raterIdx]),
  ].filter((i) => r.raters[i]!.kind === 'reader');
  const all = [...new Set([...readers, ...raterIdx])];
  const groups: { label: string; idx: number[] }[] = [];
  if (readers.length >= 2) groups.push({ label: 'readers', idx: readers });
  if (all.length >= 2 && all.length !== readers.length)
    groups.push({ label: readers.length ? 'readers and models' : 'models', idx: all });
  return groups;
}
