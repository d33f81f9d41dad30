// Synthetic ratings for the stats tests: seeded, so every run sees the same data.
import { MISSING, Rng, type RaterKind, type Ratings } from '../../../src/core/stats';

export interface SynthOptions {
  patients: number;
  /** Knees per patient (1 or 2). */
  kneesPerPatient?: number;
  raters: { name: string; kind: RaterKind; noise: number; missing?: number }[];
  seed?: number;
  /** Both knees of a patient share the true grade (strong within-patient correlation). */
  sameGradeBothKnees?: boolean;
}

/** Truth per knee, and each rater = truth + noise steps with probability `noise`, clipped to 0..4. */
export function synthRatings(o: SynthOptions): Ratings & { truth: Int8Array } {
  const rng = new Rng(o.seed ?? 1);
  const kpp = o.kneesPerPatient ?? 2;
  const knees: string[] = [];
  const patients: string[] = [];
  const truth: number[] = [];
  for (let p = 0; p < o.patients; p++) {
    const t0 = rng.int(5);
    for (let s = 0; s < kpp; s++) {
      knees.push(`P${p}-${s === 0 ? 'R' : 'L'}`);
      patients.push(`P${p}`);
      truth.push(o.sameGradeBothKnees ? t0 : rng.int(5));
    }
  }
  const grades = o.raters.map((r) =>
    Int8Array.from(truth, (t) => {
      if (r.missing && rng.int(1000) < r.missing * 1000) return MISSING;
      if (rng.int(1000) >= r.noise * 1000) return t;
      const step = rng.int(2) === 0 ? -1 : 1;
      return Math.min(4, Math.max(0, t + step));
    }),
  );
  return {
    knees,
    patients,
    raters: o.raters.map((r) => ({ name: r.name, kind: r.kind })),
    grades,
    truth: Int8Array.from(truth),
  };
}
