// k-fold cross-validation for the embedding head. Folds are stratified by grade and grouped by patient
// (both knees of a patient fall in the same fold, so a head never learns a patient's anatomy from one
// knee and grades the other). Every knee's cross-validated grade comes from the one head that did not
// see it: trained on the other folds, early-stopped on yet another fold, never on the knee's own fold.
import { mulberry32, shuffleInPlace } from './rng';
import { mlpPredict, trainMlp, type MlpWeights, type TrainOptions, type TrainReport } from './mlp';

export interface Example {
  kneeId: number;
  /** Grouping key, e.g. the patient: a group never spans folds. */
  group: string;
  x: Float32Array;
  y: number;
}

export interface FoldRecord {
  fold: number;
  trainKneeIds: number[];
  valKneeIds: number[];
  testKneeIds: number[];
  report: TrainReport;
}

export interface CvResult {
  /** Out-of-fold probabilities per knee, with the fold whose head produced them. */
  oof: Map<number, { fold: number; probs: number[] }>;
  folds: FoldRecord[];
}

/** Fold index per example: groups shuffled (seeded), ordered by their majority grade, dealt round-robin. */
export function assignFolds(examples: readonly Example[], k: number, seed: number): number[] {
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => groups.set(e.group, [...(groups.get(e.group) ?? []), i]));
  const list = shuffleInPlace([...groups.values()], mulberry32(seed));
  const major = (idx: number[]) => {
    const c = [0, 0, 0, 0, 0];
    for (const i of idx) c[examples[i]!.y]!++;
    return c.indexOf(Math.max(...c));
  };
  // Stable sort by majority grade keeps the seeded order within a grade.
  const ordered = list.map((idx, o) => ({ idx, o, g: major(idx) })).sort((a, b) => a.g - b.g || a.o - b.o);
  const fold = new Array<number>(examples.length).fill(0);
  const sizes = new Array<number>(k).fill(0);
  let next = 0;
  for (const { idx } of ordered) {
    // Round-robin, but never make a fold more than one group ahead of the smallest.
    const f = next % k;
    next++;
    for (const i of idx) fold[i] = f;
    sizes[f]! += idx.length;
  }
  return fold;
}

export function crossValidate(examples: readonly Example[], k: number, opts: TrainOptions): CvResult {
  if (k < 2) throw new Error('cross-validation needs at least 2 folds');
  if (new Set(examples.map((e) => e.group)).size < k)
    throw new Error(
      `only ${new Set(examples.map((e) => e.group)).size} patients with labels and embeddings: need at least ${k} for ${k}-fold cross-validation`,
    );
  const fold = assignFolds(examples, k, opts.seed);
  const oof = new Map<number, { fold: number; probs: number[] }>();
  const folds: FoldRecord[] = [];
  for (let f = 0; f < k; f++) {
    const valFold = (f + 1) % k;
    const train = examples.filter((_, i) => fold[i] !== f && fold[i] !== valFold);
    const val = examples.filter((_, i) => fold[i] === valFold);
    const test = examples.filter((_, i) => fold[i] === f);
    const { weights, report } = trainMlp(
      train.map((e) => e.x),
      train.map((e) => e.y),
      val.map((e) => e.x),
      val.map((e) => e.y),
      { ...opts, seed: opts.seed + f },
    );
    for (const e of test) oof.set(e.kneeId, { fold: f, probs: mlpPredict(weights, e.x) });
    folds.push({
      fold: f,
      trainKneeIds: train.map((e) => e.kneeId),
      valKneeIds: val.map((e) => e.kneeId),
      testKneeIds: test.map((e) => e.kneeId),
      report,
    });
  }
  return { oof, folds };
}

/** The head that grades knees without labels: all labelled knees, for the median early-stopped epoch count. */
export function trainFinalHead(
  examples: readonly Example[],
  cv: CvResult,
  opts: TrainOptions,
): { weights: MlpWeights; epochs: number } {
  const best = cv.folds.map((f) => f.report.bestEpoch + 1).sort((a, b) => a - b);
  const epochs = Math.max(1, best[Math.floor(best.length / 2)]!);
  const { weights } = trainMlp(
    examples.map((e) => e.x),
    examples.map((e) => e.y),
    [],
    [],
    { ...opts, maxEpochs: epochs, patience: Number.POSITIVE_INFINITY },
  );
  return { weights, epochs };
}
