import { describe, expect, it } from 'vitest';
import {
  assignFolds,
  crossValidate,
  trainFinalHead,
  type Example,
} from '../../../src/core/inference/head/cv';
import { classWeights, DEFAULT_TRAIN, mlpPredict, trainMlp } from '../../../src/core/inference/head/mlp';
import { mulberry32 } from '../../../src/core/inference/head/rng';

const OPTS = { ...DEFAULT_TRAIN, hidden: 16, maxEpochs: 100, patience: 10, lr: 1e-2 };

/** Two knees per patient; embeddings carry the grade (signal) or only a per-knee identity (noise). */
function examples(n: number, signal: boolean, seed = 1): Example[] {
  const r = mulberry32(seed);
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const y = Math.floor(r() * 5);
    const x = new Float32Array(12);
    for (let d = 0; d < 12; d++) x[d] = r() * 2 - 1;
    if (signal) {
      x[0] = y + 0.3 * (r() - 0.5);
      x[1] = -y + 0.3 * (r() - 0.5);
    }
    out.push({ kneeId: i + 1, group: `P${Math.floor(i / 2)}`, x, y });
  }
  return out;
}

const acc = (ex: Example[], probs: Map<number, { probs: number[] }>) =>
  ex.filter((e) => {
    const p = probs.get(e.kneeId)!.probs;
    return p.indexOf(Math.max(...p)) === e.y;
  }).length / ex.length;

describe('class weights', () => {
  it('weights rare grades up and absent grades to zero', () => {
    const w = classWeights([0, 0, 0, 1]);
    expect(w[0]).toBeCloseTo(4 / 6);
    expect(w[1]).toBeCloseTo(2);
    expect(w[4]).toBe(0);
  });
});

describe('folds', () => {
  it('keeps both knees of a patient in one fold and balances fold sizes', () => {
    const ex = examples(100, true);
    const f = assignFolds(ex, 5, 7);
    for (let i = 0; i < ex.length; i += 2) expect(f[i]).toBe(f[i + 1]);
    const sizes = [0, 1, 2, 3, 4].map((k) => f.filter((v) => v === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(4);
    expect(assignFolds(ex, 5, 7)).toEqual(f); // seeded
  });
});

describe('cross-validated MLP head', { timeout: 120_000 }, () => {
  it('learns a real signal', () => {
    const ex = examples(250, true);
    const cv = crossValidate(ex, 5, OPTS);
    expect(cv.oof.size).toBe(250);
    expect(acc(ex, cv.oof)).toBeGreaterThan(0.8);
  });

  it('grades no knee with a head that saw its label', () => {
    const ex = examples(120, true, 3);
    const cv = crossValidate(ex, 4, OPTS);
    for (const e of ex) {
      const { fold } = cv.oof.get(e.kneeId)!;
      const rec = cv.folds[fold]!;
      expect(rec.testKneeIds).toContain(e.kneeId);
      expect(rec.trainKneeIds).not.toContain(e.kneeId);
      expect(rec.valKneeIds).not.toContain(e.kneeId);
    }
  });

  it('cannot score on labels it can only memorise: out-of-fold accuracy stays at chance while in-sample is high', () => {
    // Random labels on random embeddings: a head that had seen the labels would reproduce them.
    const ex = examples(100, false, 5);
    const memorise = { ...OPTS, hidden: 64, maxEpochs: 150, patience: 150, lr: 2e-2, weightDecay: 0 };
    const all = trainMlp(
      ex.map((e) => e.x),
      ex.map((e) => e.y),
      [],
      [],
      memorise,
    );
    const inSample =
      ex.filter((e) => {
        const p = mlpPredict(all.weights, e.x);
        return p.indexOf(Math.max(...p)) === e.y;
      }).length / ex.length;
    expect(inSample).toBeGreaterThan(0.9);
    const cv = crossValidate(ex, 5, memorise);
    expect(acc(ex, cv.oof)).toBeLessThan(0.4);
  });

  it('is reproducible from its seed', () => {
    const ex = examples(60, true, 9);
    const a = crossValidate(ex, 3, OPTS);
    const b = crossValidate(ex, 3, OPTS);
    expect([...a.oof.values()].map((v) => v.probs)).toEqual([...b.oof.values()].map((v) => v.probs));
    const fin = trainFinalHead(ex, a, OPTS);
    expect(fin.epochs).toBeGreaterThan(0);
  });
});
