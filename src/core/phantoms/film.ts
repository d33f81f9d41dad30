import {
  attenuation,
  columnTerms,
  legHalfWidth,
  rowTerms,
  spursOf,
  type ColumnTerms,
  type KneeGeometry,
  type RowTerms,
} from './kneeModel';
import type { Rng } from './rng';

/** One knee placed on a film. */
export interface PlacedKnee {
  /** The patient's side. */
  side: 'L' | 'R';
  geometry: KneeGeometry;
  /** Joint centre on the film, pixels (column, row). */
  centreX: number;
  jointY: number;
  /** +1 when the knee's medial side is toward larger x on the film, else -1. */
  medialSign: 1 | -1;
  /** Rotation of the leg about the joint centre, radians (positive: clockwise on the film). Default 0. */
  tilt?: number;
}

export interface FilmSpec {
  rows: number;
  columns: number;
  /** Square pixels, mm (recorded as ImagerPixelSpacing). */
  spacingMm: number;
  knees: readonly PlacedKnee[];
  /** Standard deviation of the added noise, in stored values. */
  noiseSigma: number;
  /** A lead "R" marker block near the top of the patient's right side, as on real films. */
  markerX: number;
}

export const BITS_STORED = 12;
const MAX_VALUE = (1 << BITS_STORED) - 1;

/**
 * Rasterise a film to 12-bit MONOCHROME2 values (bright = more attenuation): background, legs, bones,
 * joint spaces, an anode heel effect across the rows, and Gaussian noise.
 */
export function renderFilm(spec: FilmSpec, rng: Rng): Uint16Array {
  const { rows, columns, spacingMm: s } = spec;
  const att = new Float32Array(rows * columns);
  for (const knee of spec.knees) renderKnee(att, spec, knee);
  // Lead marker: 14 x 18 mm, 25 mm from the top.
  const mw = Math.round(14 / s);
  const mh = Math.round(18 / s);
  const my = Math.round(25 / s);
  for (let y = my; y < Math.min(rows, my + mh); y++)
    for (let x = Math.max(0, spec.markerX); x < Math.min(columns, spec.markerX + mw); x++)
      att[y * columns + x] = 6;

  const out = new Uint16Array(rows * columns);
  for (let y = 0; y < rows; y++) {
    // Anode heel: the beam is a little weaker toward one end of the film.
    const heel = 1 + 0.06 * (y / rows - 0.5);
    const base = y * columns;
    for (let x = 0; x < columns; x++) {
      const a = att[base + x]! * heel;
      const v = 250 + 3500 * (1 - Math.exp(-0.6 * a)) + spec.noiseSigma * rng.gaussianFast();
      out[base + x] = v < 0 ? 0 : v > MAX_VALUE ? MAX_VALUE : Math.round(v);
    }
  }
  return out;
}

// Outline and width tables are sampled every 0.05 mm: far finer than a pixel, and it keeps the
// per-pixel work to a rotation and a few table reads now that a tilted leg's rows are not image rows.
const LUT_STEP_MM = 0.05;

function table(
  fromMm: number,
  toMm: number,
  f: (mm: number) => number,
): { from: number; values: Float32Array } {
  const n = Math.ceil((toMm - fromMm) / LUT_STEP_MM) + 1;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = f(fromMm + i * LUT_STEP_MM);
  return { from: fromMm, values };
}

/** Add one knee's attenuation to the film, the leg rotated by its tilt about the joint centre. */
function renderKnee(att: Float32Array, spec: FilmSpec, knee: PlacedKnee): void {
  const { rows, columns, spacingMm: s } = spec;
  const g = knee.geometry;
  const spurs = spursOf(g);
  const cos = Math.cos(knee.tilt ?? 0);
  const sin = Math.sin(knee.tilt ?? 0);
  const maxHalf = legHalfWidth(g.size, -1e6) + 2;
  const maxAbsD = Math.max(knee.jointY, rows - knee.jointY) * s + maxHalf;
  const reach = maxHalf + Math.abs(sin) * maxAbsD;
  const x0 = Math.max(0, Math.floor(knee.centreX - reach / s));
  const x1 = Math.min(columns - 1, Math.ceil(knee.centreX + reach / s));

  const dTables = {
    femHW: table(-maxAbsD - 1, maxAbsD + 1, (d) => rowTerms(g, d).femHW),
    tibHW: table(-maxAbsD - 1, maxAbsD + 1, (d) => rowTerms(g, d).tibHW),
    legHW: table(-maxAbsD - 1, maxAbsD + 1, (d) => rowTerms(g, d).legHW),
    femCortex: table(-maxAbsD - 1, maxAbsD + 1, (d) => rowTerms(g, d).femCortex),
    tibCortex: table(-maxAbsD - 1, maxAbsD + 1, (d) => rowTerms(g, d).tibCortex),
  };
  const fb = table(-maxHalf - 1, maxHalf + 1, (m) => columnTerms(g, m).fb);
  const tt = table(-maxHalf - 1, maxHalf + 1, (m) => columnTerms(g, m).tt);
  const dFrom = dTables.legHW.from;
  const mFrom = fb.from;
  // Reused for every pixel (no allocation in the inner loop).
  const row: RowTerms = { d: 0, femHW: 0, tibHW: 0, legHW: 0, femCortex: 0, tibCortex: 0 };
  const col: ColumnTerms = { m: 0, fb: 0, tt: 0 };

  for (let y = 0; y < rows; y++) {
    const dy = (y - knee.jointY) * s;
    const base = y * columns;
    for (let x = x0; x <= x1; x++) {
      const dx = (x - knee.centreX) * s;
      const u = dx * cos + dy * sin;
      const d = -dx * sin + dy * cos;
      const di = Math.round((d - dFrom) / LUT_STEP_MM);
      const legHW = dTables.legHW.values[di]!;
      if (!(Math.abs(u) < legHW)) continue;
      row.d = d;
      row.legHW = legHW;
      row.femHW = dTables.femHW.values[di]!;
      row.tibHW = dTables.tibHW.values[di]!;
      row.femCortex = dTables.femCortex.values[di]!;
      row.tibCortex = dTables.tibCortex.values[di]!;
      const m = u * knee.medialSign;
      const mi = Math.round((m - mFrom) / LUT_STEP_MM);
      col.m = m;
      col.fb = fb.values[mi]!;
      col.tt = tt.values[mi]!;
      att[base + x]! += attenuation(g, spurs, row, col, u);
    }
  }
}
