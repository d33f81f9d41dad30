import { attenuation, columnTerms, legHalfWidth, rowTerms, spursOf, type KneeGeometry } from './kneeModel';
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
  for (const knee of spec.knees) {
    const g = knee.geometry;
    const spurs = spursOf(g);
    const maxHalf = legHalfWidth(g.size, -1e6) + 2;
    const x0 = Math.max(0, Math.floor(knee.centreX - maxHalf / s));
    const x1 = Math.min(columns - 1, Math.ceil(knee.centreX + maxHalf / s));
    const cols = [];
    for (let x = x0; x <= x1; x++) {
      const u = (x - knee.centreX) * s;
      cols.push({ u, terms: columnTerms(g, u * knee.medialSign) });
    }
    for (let y = 0; y < rows; y++) {
      const row = rowTerms(g, (y - knee.jointY) * s);
      const base = y * columns;
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i]!;
        if (Math.abs(c.u) >= row.legHW) continue;
        att[base + x0 + i]! += attenuation(g, spurs, row, c.terms, c.u);
      }
    }
  }
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
