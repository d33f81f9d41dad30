import type { CropRect } from '../db/repositories/knees';
import { argmax, boxSmooth, columnProfile, downsample, rowProfile, valleyDepth } from './profiles';

/**
 * Automatic knee-joint localisation on a full radiograph (classical, no learning):
 *
 * 1. Work on a block-mean downsampled copy at about 0.5 mm per pixel (from the pixel spacing; without
 *    it the film is assumed to be 300 mm tall, a typical knee film height).
 * 2. Bone columns: the column-mean brightness over the middle 70% of rows, smoothed over 40 mm, peaks at
 *    each leg's bones. A bilateral film is searched in its left and right halves, a single knee in the
 *    whole width.
 * 3. Joint line: in two bands 12-30 mm either side of that column (the medial and lateral compartments,
 *    avoiding the intercondylar notch), each row's "valley depth" is how much darker it is than the
 *    brightest rows 1-12 mm above and below it. The joint space is the narrow dark band between the
 *    femoral condyles and the tibial plateau, so the sum of both bands' valley depths peaks there, even
 *    when one compartment is narrowed to bone-on-bone.
 * 4. Centre: the bones' outer edges (the strongest rising and falling column gradients) give the
 *    midpoints of the femoral condyles 15-25 mm above the joint line and of the tibia 7-11 mm below it;
 *    the leg axis through them, taken at the joint row, is the knee's horizontal centre (a leg that is
 *    not vertical on the film does not shift it). Step 3 is repeated around it.
 *
 * The crop is a square of 140 mm centred on the joint (the model card's crop), or, when the spacing is
 * unknown, a square of CROP_FRACTION_OF_HEIGHT of the image height.
 */
export interface JointLocation {
  /** The patient's side of this knee. */
  side: 'L' | 'R';
  /** Joint centre in image pixels. */
  centreX: number;
  centreY: number;
  /** Joint-centred square crop (image pixels; may extend past the image edge, which reads as black). */
  crop: CropRect;
  /** Valley depth at the joint line in grey levels: low values (< 10) mean the joint was not found clearly. */
  score: number;
}

export interface LocaliseOptions {
  /** Pixel spacing (mm) when known. */
  spacing?: { row: number; col: number };
  /** Both knees on the film, or one. */
  layout: 'bilateral' | 'single';
  /** For a single-knee film: which knee it is (default 'R' when unknown). */
  side?: 'L' | 'R';
  /**
   * Standard display: the patient's right is on the viewer's left (PA and AP knee films alike). False when
   * the image is displayed mirrored (DICOM Patient Orientation row direction 'R').
   */
  patientRightOnViewerLeft?: boolean;
}

export const CROP_SIZE_MM = 140;
/** Crop side as a fraction of the image height when the pixel spacing is unknown. */
export const CROP_FRACTION_OF_HEIGHT = 0.45;
const ASSUMED_FILM_HEIGHT_MM = 300;
const WORK_SPACING_MM = 0.5;

export function localiseKnees(
  img: { width: number; height: number; data: Uint8Array },
  opts: LocaliseOptions,
): JointLocation[] {
  const spacingKnown = !!opts.spacing && opts.spacing.row > 0 && opts.spacing.col > 0;
  const sRow = spacingKnown ? opts.spacing!.row : ASSUMED_FILM_HEIGHT_MM / img.height;
  const sCol = spacingKnown ? opts.spacing!.col : sRow;
  const f = Math.max(1, Math.round(WORK_SPACING_MM / Math.min(sRow, sCol)));
  const work = downsample(img.data, img.width, img.height, f);
  const mmX = (mm: number): number => Math.max(1, Math.round(mm / (sCol * f)));
  const mmY = (mm: number): number => Math.max(1, Math.round(mm / (sRow * f)));

  const regions: [number, number][] =
    opts.layout === 'bilateral'
      ? [
          [0, Math.floor(work.width / 2)],
          [Math.floor(work.width / 2), work.width],
        ]
      : [[0, work.width]];
  const colProfile = boxSmooth(
    columnProfile(work, Math.floor(work.height * 0.15), Math.ceil(work.height * 0.85)),
    2 * Math.floor(mmX(40) / 2) + 1,
  );
  const rightOnLeft = opts.patientRightOnViewerLeft ?? true;
  return regions.map(([a, b], i) => {
    const margin = Math.floor((b - a) * 0.05);
    let cx = argmax(colProfile, a + margin, b - margin);
    let { y: cy, score } = findJointRow(work, cx, mmX, mmY);
    const refined = axisAtJointLine(work, cx, cy, mmX, mmY);
    if (refined !== undefined) {
      cx = refined;
      ({ y: cy, score } = findJointRow(work, cx, mmX, mmY));
    }
    const side: 'L' | 'R' =
      opts.layout === 'single' ? (opts.side ?? 'R') : (i === 0) === rightOnLeft ? 'R' : 'L';
    // Back to full-resolution pixel coordinates (block centres).
    const centreX = (cx + 0.5) * f - 0.5;
    const centreY = (cy + 0.5) * f - 0.5;
    const w = spacingKnown ? CROP_SIZE_MM / sCol : CROP_FRACTION_OF_HEIGHT * img.height;
    const h = spacingKnown ? CROP_SIZE_MM / sRow : CROP_FRACTION_OF_HEIGHT * img.height;
    return { side, centreX, centreY, crop: { x: centreX - w / 2, y: centreY - h / 2, w, h }, score };
  });
}

function findJointRow(
  work: { data: Float32Array; width: number; height: number },
  cx: number,
  mmX: (mm: number) => number,
  mmY: (mm: number) => number,
): { y: number; score: number } {
  const near = mmY(1);
  const far = mmY(12);
  const bands = [
    [cx - mmX(30), cx - mmX(12)],
    [cx + mmX(12), cx + mmX(30)],
  ] as const;
  const total = new Float32Array(work.height);
  for (const [x0, x1] of bands) {
    const v = valleyDepth(boxSmooth(rowProfile(work, x0, x1), 2 * Math.floor(mmY(1) / 2) + 1), near, far);
    for (let y = 0; y < total.length; y++) total[y]! += v[y]!;
  }
  const peak = argmax(total, Math.floor(work.height * 0.1), Math.ceil(work.height * 0.9));
  // The joint space is a band, not a line: take the centroid of the contiguous rows above half the peak.
  const half = total[peak]! / 2;
  let a = peak;
  let b = peak;
  while (a > 0 && total[a - 1]! > half) a--;
  while (b < total.length - 1 && total[b + 1]! > half) b++;
  let sw = 0;
  let sy = 0;
  for (let y = a; y <= b; y++) {
    sw += total[y]!;
    sy += total[y]! * y;
  }
  return { y: sw > 0 ? sy / sw : peak, score: total[peak]! / 2 };
}

// Bands (mm from the joint line) where the bones' outer edges are clear: the femoral condyles at their
// widest, and the tibia just below the plateau rim, above the fibular head.
const FEMUR_BAND_MM: readonly [number, number] = [-25, -15];
const TIBIA_BAND_MM: readonly [number, number] = [7, 11];

/**
 * The leg's axis where it crosses the joint line: the midpoints of the femoral condyles (above) and of
 * the tibia (below), interpolated to the joint row, so a leg that is not vertical on the film does not
 * shift the centre. Femur alone when the tibia's edges are unclear; undefined when neither is clear.
 */
function axisAtJointLine(
  work: { data: Float32Array; width: number; height: number },
  cx: number,
  cy: number,
  mmX: (mm: number) => number,
  mmY: (mm: number) => number,
): number | undefined {
  const femur = boneCentre(work, cx, cy, FEMUR_BAND_MM, mmX, mmY);
  const tibia = boneCentre(work, cx, cy, TIBIA_BAND_MM, mmX, mmY);
  if (femur === undefined) return tibia;
  if (tibia === undefined) return femur;
  const dFemur = (FEMUR_BAND_MM[0] + FEMUR_BAND_MM[1]) / 2;
  const dTibia = (TIBIA_BAND_MM[0] + TIBIA_BAND_MM[1]) / 2;
  return Math.round(femur + ((tibia - femur) * (0 - dFemur)) / (dTibia - dFemur));
}

/** Midpoint of a bone's outer edges (strongest rising and falling column gradients) in a band of rows. */
function boneCentre(
  work: { data: Float32Array; width: number; height: number },
  cx: number,
  cy: number,
  bandMm: readonly [number, number],
  mmX: (mm: number) => number,
  mmY: (mm: number) => number,
): number | undefined {
  const row = (mm: number): number => Math.round(cy) + Math.sign(mm) * mmY(Math.abs(mm));
  const y0 = Math.min(work.height - 1, Math.max(0, row(bandMm[0])));
  const y1 = Math.min(work.height, Math.max(y0 + 1, row(bandMm[1])));
  const x0 = Math.max(0, cx - mmX(70));
  const x1 = Math.min(work.width, cx + mmX(70));
  const p = boxSmooth(columnProfile(work, y0, y1, x0, x1), 2 * Math.floor(mmX(2) / 2) + 1);
  const step = mmX(2);
  let left = -1;
  let right = -1;
  let bestRise = 0;
  let bestFall = 0;
  for (let x = x0 + step; x < x1 - step; x++) {
    const g = p[x + step]! - p[x - step]!;
    if (x < cx && g > bestRise) {
      bestRise = g;
      left = x;
    }
    if (x > cx && -g > bestFall) {
      bestFall = -g;
      right = x;
    }
  }
  if (left < 0 || right < 0) return undefined;
  const widthMm = ((right - left) * 100) / mmX(100);
  // A knee's condylar width is 60-100 mm; anything else means the edges were not the condyles.
  if (widthMm < 45 || widthMm > 120) return undefined;
  return Math.round((left + right) / 2);
}
