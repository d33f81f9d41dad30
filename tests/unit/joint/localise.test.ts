import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage, type LoadedImage } from '../../../src/core/image';
import { cropGrey } from '../../../src/core/image/crop';
import { CROP_FRACTION_OF_HEIGHT, localiseKnees } from '../../../src/core/joint';
import { generatePhantoms, type PhantomFilm } from '../../../src/core/phantoms';

// Stated accuracy bound on the phantoms (the numbers measured are printed and in the report).
const MEAN_BOUND_MM = 1.5;
const MAX_BOUND_MM = 3;

let dir: string;
let films: { film: PhantomFilm; img: LoadedImage }[];
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-joint-'));
  // Half resolution (~0.3 mm pixels): the same anatomy in mm, a quarter of the pixels to synthesise.
  const generated = await generatePhantoms({ outDir: dir, count: 5, seed: 3, scale: 0.5 });
  films = await Promise.all(generated.map(async (film) => ({ film, img: await loadImage(film.file) })));
}, 300_000); // synthesising films is CPU work: generous on a shared machine
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const grey = (img: LoadedImage) => ({ width: img.width, height: img.height, data: img.display8 });

describe('joint localisation on phantom films', () => {
  it(`finds every joint centre within ${MAX_BOUND_MM} mm (mean under ${MEAN_BOUND_MM} mm), all grades`, () => {
    const errors: number[] = [];
    for (const { film, img } of films) {
      const locs = localiseKnees(grey(img), { layout: 'bilateral', spacing: img.dicom!.pixelSpacing! });
      expect(locs.map((l) => l.side)).toEqual(['R', 'L']);
      for (const loc of locs) {
        const truth = film.knees.find((k) => k.side === loc.side)!;
        const err = Math.hypot(
          (loc.centreX - truth.jointX) * film.spacingMm,
          (loc.centreY - truth.jointY) * film.spacingMm,
        );
        errors.push(err);
        expect(loc.score).toBeGreaterThan(20);
        // A 140 mm square around the centre.
        expect(loc.crop.w * film.spacingMm).toBeCloseTo(140, 6);
        expect(loc.crop.x + loc.crop.w / 2).toBeCloseTo(loc.centreX, 6);
      }
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const max = Math.max(...errors);
    console.log(
      `joint localisation on ${errors.length} phantom knees: mean ${mean.toFixed(2)} mm, max ${max.toFixed(2)} mm`,
    );
    expect(mean).toBeLessThan(MEAN_BOUND_MM);
    expect(max).toBeLessThan(MAX_BOUND_MM);
  });

  it('a mirrored display swaps the sides', () => {
    const { img } = films[0]!;
    const locs = localiseKnees(grey(img), {
      layout: 'bilateral',
      spacing: img.dicom!.pixelSpacing!,
      patientRightOnViewerLeft: false,
    });
    expect(locs.map((l) => l.side)).toEqual(['L', 'R']);
  });

  it('finds the one knee of a single-knee film (the left half of a phantom)', () => {
    const { film, img } = films[1]!;
    const half = cropGrey(grey(img), { x: 0, y: 0, w: Math.floor(img.width / 2), h: img.height });
    const [loc] = localiseKnees(half, { layout: 'single', side: 'R', spacing: img.dicom!.pixelSpacing! });
    const truth = film.knees[0]!;
    expect(loc!.side).toBe('R');
    expect(
      Math.hypot(loc!.centreX - truth.jointX, loc!.centreY - truth.jointY) * film.spacingMm,
    ).toBeLessThan(MAX_BOUND_MM);
  });

  it('without pixel spacing the crop is a stated fraction of the image height, and the centre is still found', () => {
    const { film, img } = films[2]!;
    const locs = localiseKnees(grey(img), { layout: 'bilateral' });
    for (const loc of locs) {
      expect(loc.crop.h).toBeCloseTo(CROP_FRACTION_OF_HEIGHT * img.height, 6);
      const truth = film.knees.find((k) => k.side === loc.side)!;
      expect(
        Math.hypot(loc.centreX - truth.jointX, loc.centreY - truth.jointY) * film.spacingMm,
      ).toBeLessThan(5);
    }
  });

  it('a blank image gives a near-zero score (nothing to find)', () => {
    const blank = { width: 400, height: 300, data: new Uint8Array(400 * 300).fill(90) };
    for (const loc of localiseKnees(blank, { layout: 'bilateral' })) expect(loc.score).toBeLessThan(1);
  });
});
