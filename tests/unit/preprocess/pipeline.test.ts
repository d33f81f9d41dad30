import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCardText, type EndToEndCard } from '../../../src/core/inference/card';
import { clahe } from '../../../src/core/preprocess/clahe';
import { cropForCard, mirrorHorizontal } from '../../../src/core/preprocess/crop';
import { prepareInput } from '../../../src/core/preprocess/pipeline';
import { repoRoot, testImage } from './helpers';

const card = parseCardText(
  readFileSync(path.join(repoRoot, 'tests/fixtures/models/tiny-kl/model.json'), 'utf8'),
  'tiny-kl',
) as EndToEndCard;
const image = { width: 300, height: 260, pixels: testImage(300, 260, 11) };
const crop = { x: 20, y: 10, w: 224, h: 224 };

describe('prepareInput follows the card', () => {
  it('applies CLAHE when the image did not have it, and not a second time when it did', () => {
    const raw = prepareInput({ image, crop, side: 'R', appliedSteps: [] }, card.input);
    expect(raw.steps).toEqual(['crop', 'clahe']);
    const already = prepareInput({ image, crop, side: 'R', appliedSteps: ['clahe'] }, card.input);
    expect(already.steps).toEqual(['crop']);
    expect(Array.from(raw.native)).toEqual(
      Array.from(clahe(already.native, 224, 224, { clipLimit: 2, tiles: 8 })),
    );
  });

  it('mirrors left knees only when the card says so', () => {
    const mirrorCard = { ...card.input, mirrorLeft: true };
    const right = prepareInput({ image, crop, side: 'R', appliedSteps: ['clahe'] }, mirrorCard);
    const left = prepareInput({ image, crop, side: 'L', appliedSteps: ['clahe'] }, mirrorCard);
    expect(left.steps).toContain('mirror');
    expect(Array.from(left.native)).toEqual(Array.from(mirrorHorizontal(right.native, 224, 224)));
    const noMirror = prepareInput({ image, crop, side: 'L', appliedSteps: ['clahe'] }, card.input);
    expect(Array.from(noMirror.native)).toEqual(Array.from(right.native));
  });

  it('builds a CHW tensor of the card size with the card normalisation, replicated to 3 channels', () => {
    const p = prepareInput({ image, crop, side: 'R', appliedSteps: ['clahe'] }, card.input);
    expect(p.tensor).toHaveLength(3 * 32 * 32);
    // A black pixel maps to (0 - 0.5) / 0.25 = -2 and white to +2: every value lies inside.
    for (const v of p.tensor) {
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
    }
    expect(Array.from(p.tensor.subarray(2048, 3072))).toEqual(Array.from(p.tensor.subarray(0, 1024)));
  });

  it('refuses a degenerate crop with a clear message', () => {
    expect(() =>
      prepareInput({ image, crop: { x: 0, y: 0, w: 0, h: 10 }, side: 'R', appliedSteps: [] }, card.input),
    ).toThrow(/invalid crop/);
  });
});

describe('cropForCard', () => {
  const c = { x: 100, y: 200, w: 1000, h: 1000 };
  it('keeps crops that already have the card size, whole-image crops and crops without spacing', () => {
    expect(cropForCard(c, 140, { row: 0.14, col: 0.14 }, false)).toBe(c);
    expect(cropForCard(c, 100, { row: 0.14, col: 0.14 }, true)).toBe(c);
    expect(cropForCard(c, 100, null, false)).toBe(c);
  });
  it('resizes other crops to sizeMm around the same centre', () => {
    const r = cropForCard(c, 70, { row: 0.14, col: 0.14 }, false);
    expect(r.w).toBeCloseTo(500, 9);
    expect(r.x + r.w / 2).toBeCloseTo(600, 9);
    expect(r.y + r.h / 2).toBeCloseTo(700, 9);
  });
});
