import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from '../../../src/core/image';
import { generatePhantoms, type PhantomFilm } from '../../../src/core/phantoms';
import {
  attenuation,
  columnTerms,
  femurBottom,
  rowTerms,
  spursOf,
  tibiaTop,
} from '../../../src/core/phantoms/kneeModel';
import { featuresForGrade } from '../../../src/core/phantoms/grades';
import { Rng } from '../../../src/core/phantoms/rng';

let dir: string;
let films: PhantomFilm[];
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-ph-'));
  // A quarter of the full resolution keeps the test quick; the anatomy is the same in millimetres.
  films = await generatePhantoms({ outDir: dir, count: 3, seed: 5, scale: 0.25 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('phantom generator', () => {
  it('writes films and a truth.csv row per knee (R on the viewer’s left)', () => {
    expect(films).toHaveLength(3);
    const truth = parse(readFileSync(path.join(dir, 'truth.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(truth).toHaveLength(6);
    expect(Object.keys(truth[0]!)).toEqual(
      expect.arrayContaining(['file', 'side', 'grade', 'joint_x_px', 'joint_y_px', 'pixel_spacing_mm']),
    );
    for (const f of films) {
      const [r, l] = f.knees;
      expect(r!.side).toBe('R');
      expect(l!.side).toBe('L');
      expect(r!.jointX).toBeLessThan(f.columns / 2);
      expect(l!.jointX).toBeGreaterThan(f.columns / 2);
    }
    expect(films.map((f) => f.photometric)).toEqual(['MONOCHROME2', 'MONOCHROME2', 'MONOCHROME1']);
    // 6 knees over 5 grades: every grade appears.
    expect(new Set(films.flatMap((f) => f.knees.map((k) => k.grade)))).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('films are DX, 12-bit, bilateral, say PHANTOM, and bone is bright whatever the photometric', async () => {
    for (const f of films) {
      const img = await loadImage(f.file);
      const h = img.dicom!.header;
      expect(h.modality).toBe('DX');
      expect(h.bitsStored).toBe(12);
      expect(h.laterality).toBe('B');
      expect(`${h.studyDescription} ${h.patientName}`).toMatch(/PHANTOM/);
      expect(img.dicom!.pixelSpacing?.source).toBe('ImagerPixelSpacing');
      for (const k of f.knees) {
        const at = (dxMm: number, dyMm: number): number =>
          img.display8[
            Math.round(k.jointY + dyMm / f.spacingMm) * img.width + Math.round(k.jointX + dxMm / f.spacingMm)
          ]!;
        // The lateral compartment's joint space is darker than the femoral condyle above and the plateau below.
        const lat = k.side === 'R' ? -1 : 1;
        expect(at(lat * 22, 0)).toBeLessThan(at(lat * 22, -8) - 10);
        expect(at(lat * 22, 0)).toBeLessThan(at(lat * 22, 8) - 10);
        // Bone is brighter than soft tissue beside the knee (so MONOCHROME1 was inverted for display).
        expect(at(lat * 22, -8)).toBeGreaterThan(at(lat * 60, -8) + 20);
      }
    }
  });

  it('is deterministic: the same seed gives byte-identical files, another seed different ones', async () => {
    const again = mkdtempSync(path.join(os.tmpdir(), 'kg-ph2-'));
    try {
      const b = await generatePhantoms({ outDir: again, count: 1, seed: 5, scale: 0.25 });
      expect(sha(b[0]!.file)).toBe(sha(films[0]!.file));
      const c = await generatePhantoms({ outDir: again, count: 1, seed: 6, scale: 0.25 });
      expect(sha(c[0]!.file)).not.toBe(sha(films[0]!.file));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses bad options', async () => {
    await expect(generatePhantoms({ outDir: dir, count: 0, seed: 1 })).rejects.toThrow(/count/);
    await expect(generatePhantoms({ outDir: dir, count: 1, seed: -1 })).rejects.toThrow(/seed/);
  });
});

describe('knee model: the grade shows in the anatomy', () => {
  const geom = (grade: number) => ({ size: 1, features: featuresForGrade(grade, new Rng(1)) });
  it('medial joint space narrows monotonically with the grade', () => {
    const medialGap = [0, 1, 2, 3, 4].map((g) => tibiaTop(geom(g), 20) - femurBottom(geom(g), 20));
    for (let i = 1; i < 5; i++) expect(medialGap[i]!).toBeLessThan(medialGap[i - 1]!);
    expect(medialGap[0]!).toBeGreaterThan(4.5);
    expect(medialGap[4]!).toBeLessThan(1.5);
  });
  it('osteophytes only from KL1 on, growing with the grade', () => {
    const spurLen = [0, 1, 2, 3, 4].map((g) => Math.max(0, ...spursOf(geom(g)).map((s) => s.len)));
    expect(spurLen[0]).toBe(0);
    for (let i = 1; i < 5; i++) expect(spurLen[i]!).toBeGreaterThan(spurLen[i - 1]!);
  });
  it('sclerosis makes the subchondral tibia denser in KL4 than in KL0', () => {
    const dense = (grade: number): number => {
      const g = geom(grade);
      const col = columnTerms(g, 20);
      return attenuation(g, spursOf(g), rowTerms(g, col.tt + 3), col, 20);
    };
    expect(dense(4)).toBeGreaterThan(dense(0) + 0.1);
  });
});
