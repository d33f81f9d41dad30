import type { Rng } from './rng';

/**
 * How each Kellgren-Lawrence grade shows on the phantom, in millimetres, following the KL definitions:
 * KL1 doubtful narrowing and possible tiny osteophytes; KL2 definite osteophytes, possible narrowing;
 * KL3 moderate multiple osteophytes, definite narrowing, some sclerosis; KL4 large osteophytes, marked
 * narrowing, severe sclerosis and deformity. Narrowing is mostly medial, as in most knee OA.
 */
export interface KneeOaFeatures {
  grade: number;
  /** Joint-space width (femoral condyle to tibial plateau) in the medial / lateral compartment, mm. */
  gapMedialMm: number;
  gapLateralMm: number;
  /** Length of the marginal osteophytes, mm (0 = none). */
  osteophyteMedialMm: number;
  osteophyteLateralMm: number;
  /** Subchondral sclerosis strength 0-1 (extra bone density under the articular surfaces). */
  sclerosis: number;
  /** Flattening of the medial condyle 0-1 (deformity, KL4). */
  deformity: number;
}

const BASE: readonly Omit<KneeOaFeatures, 'grade'>[] = [
  {
    gapMedialMm: 5.5,
    gapLateralMm: 6.0,
    osteophyteMedialMm: 0,
    osteophyteLateralMm: 0,
    sclerosis: 0,
    deformity: 0,
  },
  {
    gapMedialMm: 4.9,
    gapLateralMm: 5.8,
    osteophyteMedialMm: 1.2,
    osteophyteLateralMm: 0.6,
    sclerosis: 0,
    deformity: 0,
  },
  {
    gapMedialMm: 3.8,
    gapLateralMm: 5.4,
    osteophyteMedialMm: 3.0,
    osteophyteLateralMm: 2.0,
    sclerosis: 0.25,
    deformity: 0,
  },
  {
    gapMedialMm: 2.3,
    gapLateralMm: 4.8,
    osteophyteMedialMm: 4.5,
    osteophyteLateralMm: 3.2,
    sclerosis: 0.6,
    deformity: 0.3,
  },
  {
    gapMedialMm: 0.7,
    gapLateralMm: 3.8,
    osteophyteMedialMm: 6.5,
    osteophyteLateralMm: 4.5,
    sclerosis: 1,
    deformity: 1,
  },
];

/** The features of a grade, with a little per-knee variation (±8%) so equal grades are not identical. */
export function featuresForGrade(grade: number, rng: Rng): KneeOaFeatures {
  const b = BASE[grade];
  if (!b) throw new Error(`KL grade must be 0-4, got ${grade}`);
  const j = (v: number): number => v * rng.uniform(0.92, 1.08);
  return {
    grade,
    gapMedialMm: j(b.gapMedialMm),
    gapLateralMm: j(b.gapLateralMm),
    osteophyteMedialMm: j(b.osteophyteMedialMm),
    osteophyteLateralMm: j(b.osteophyteLateralMm),
    sclerosis: b.sclerosis,
    deformity: b.deformity,
  };
}
