import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { renderFilm, BITS_STORED, type PlacedKnee } from './film';
import { encodeFilmDicom } from './filmDicom';
import { featuresForGrade } from './grades';
import { Rng } from './rng';
import { uidFromName } from './uid';

/** Ground truth of one knee on a phantom film. */
export interface PhantomKneeTruth {
  side: 'L' | 'R';
  grade: number;
  /** Joint centre in pixels (column, row). */
  jointX: number;
  jointY: number;
}

export interface PhantomFilm {
  /** Absolute path of the written DICOM file. */
  file: string;
  patientId: string;
  studyUid: string;
  rows: number;
  columns: number;
  spacingMm: number;
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  knees: PhantomKneeTruth[];
}

export interface PhantomOptions {
  outDir: string;
  count: number;
  seed: number;
  /**
   * Pixel scale (default 1: ~2500 x 2000 at ~0.15 mm). 0.25 gives the same anatomy at a quarter of the
   * resolution, for fast tests. The physical size stays the same; the pixel spacing grows.
   */
  scale?: number;
  onProgress?: (done: number, total: number, file: string) => void;
}

export const TRUTH_FILE = 'truth.csv';
export const PHANTOM_NOTICE =
  'PHANTOM data: synthetic knee radiographs made by KneeGrade, not images of patients. Ground truth in truth.csv.';

/**
 * The grade of knee j (film j >> 1, side j & 1): each block of 5 consecutive knees holds every grade once,
 * in an order shuffled by (seed, block). Balanced, and film i's grades depend only on the seed and i.
 */
function gradeOf(seed: number, knee: number): number {
  const block = Math.floor(knee / 5);
  const rng = new Rng((seed * 2_654_435_761 + block * 40_503 + 17) >>> 0);
  const g = [0, 1, 2, 3, 4];
  for (let i = 4; i > 0; i--) {
    const j = rng.int(0, i);
    [g[i], g[j]] = [g[j]!, g[i]!];
  }
  return g[knee % 5]!;
}

/**
 * Write `count` bilateral knee phantom films (real DX DICOM Part 10 files) and truth.csv into outDir.
 * Films are determined by (seed, index) alone, so the same seed always gives the same files.
 */
export async function generatePhantoms(opts: PhantomOptions): Promise<PhantomFilm[]> {
  if (!Number.isInteger(opts.count) || opts.count < 1)
    throw new Error(`phantom count must be a positive integer, got ${opts.count}`);
  if (!Number.isInteger(opts.seed) || opts.seed < 0)
    throw new Error(`phantom seed must be a non-negative integer, got ${opts.seed}`);
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= 2)) throw new Error(`phantom scale must be in (0, 2], got ${scale}`);
  await mkdir(opts.outDir, { recursive: true });
  const films: PhantomFilm[] = [];
  for (let i = 0; i < opts.count; i++) {
    const rng = new Rng((opts.seed * 1_000_003 + i * 7919 + 1) >>> 0);
    const spacing = rng.uniform(0.14, 0.16) / scale;
    // About 300 x 375 mm: both knees with a hand's width of femur and tibia, as on a bilateral PA film.
    const rows = Math.round(rng.uniform(290, 315) / spacing);
    const columns = Math.round(rng.uniform(360, 390) / spacing);
    const size = rng.uniform(0.9, 1.1);
    const jointY = rows * rng.uniform(0.45, 0.55);
    const knees: PlacedKnee[] = (['R', 'L'] as const).map((side, s) => ({
      side,
      // PA film: the patient's right knee is on the viewer's left, and each knee's medial side faces the midline.
      centreX: columns * (side === 'R' ? 0.27 : 0.73) + rng.uniform(-0.02, 0.02) * columns,
      jointY: jointY + rng.uniform(-4, 4) / spacing,
      medialSign: side === 'R' ? 1 : -1,
      // Legs are rarely exactly vertical on a film: up to 4 degrees either way.
      tilt: (rng.uniform(-4, 4) * Math.PI) / 180,
      geometry: {
        size: size * rng.uniform(0.98, 1.02),
        features: featuresForGrade(gradeOf(opts.seed, i * 2 + s), rng),
      },
    }));
    const photometric = i % 3 === 2 ? 'MONOCHROME1' : 'MONOCHROME2';
    const pixels = renderFilm(
      {
        rows,
        columns,
        spacingMm: spacing,
        knees,
        noiseSigma: rng.uniform(15, 30),
        markerX: Math.round(30 / spacing),
      },
      rng,
    );
    const max = (1 << BITS_STORED) - 1;
    if (photometric === 'MONOCHROME1') for (let p = 0; p < pixels.length; p++) pixels[p] = max - pixels[p]!;
    const n = String(i + 1).padStart(3, '0');
    const patientId = `PHANTOM-${opts.seed}-${n}`;
    const studyUid = uidFromName(`kneegrade-phantom/${opts.seed}/${i}/study`);
    const file = path.resolve(opts.outDir, `phantom-${opts.seed}-${n}.dcm`);
    const center = photometric === 'MONOCHROME1' ? max - 2000 : 2000;
    const bytes = encodeFilmDicom(
      {
        patientId,
        patientName: `PHANTOM^KNEE ${opts.seed}-${n}`,
        birthDate: `19${50 + rng.int(0, 30)}0101`,
        sex: i % 2 === 0 ? 'F' : 'M',
        studyUid,
        seriesUid: uidFromName(`kneegrade-phantom/${opts.seed}/${i}/series`),
        sopUid: uidFromName(`kneegrade-phantom/${opts.seed}/${i}/sop`),
        studyDate: `2025${String(1 + (i % 12)).padStart(2, '0')}15`,
        accession: `PH${opts.seed}${n}`,
        rows,
        columns,
        spacingMm: spacing,
        photometric,
        window: { center, width: 3600 },
        instanceNumber: i + 1,
      },
      pixels,
    );
    await writeFile(file, bytes);
    films.push({
      file,
      patientId,
      studyUid,
      rows,
      columns,
      spacingMm: Number(spacing.toFixed(4)),
      photometric,
      knees: knees.map((k) => ({
        side: k.side,
        grade: k.geometry.features.grade,
        jointX: Number(k.centreX.toFixed(1)),
        jointY: Number(k.jointY.toFixed(1)),
      })),
    });
    opts.onProgress?.(i + 1, opts.count, file);
  }
  await writeFile(path.join(opts.outDir, TRUTH_FILE), truthCsv(films, opts.outDir));
  return films;
}

/** truth.csv: one row per knee; file names relative to the folder. */
export function truthCsv(films: readonly PhantomFilm[], dir: string): string {
  const rows = films.flatMap((f) =>
    f.knees.map((k) => ({
      file: path.relative(dir, f.file),
      side: k.side,
      grade: k.grade,
      joint_x_px: k.jointX,
      joint_y_px: k.jointY,
      pixel_spacing_mm: f.spacingMm,
      rows: f.rows,
      columns: f.columns,
      photometric: f.photometric,
      patient_id: f.patientId,
    })),
  );
  return stringify(rows, { header: true });
}
