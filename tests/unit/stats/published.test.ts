// Published worked examples: Fleiss (1971) and Krippendorff (2011).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MISSING, fleissKappaFromCounts, krippendorffAlpha, type Ratings } from '../../../src/core/stats';

const published = (
  JSON.parse(
    readFileSync(path.resolve(__dirname, '../../fixtures/reference/stats_reference.json'), 'utf8'),
  ) as {
    published: {
      krippendorff2011: {
        grades: (number | null)[][];
        published: Record<'nominal' | 'ordinal' | 'interval', number>;
      };
      fleiss1971: { counts: number[][]; published: number; statsmodels: number };
    };
  }
).published;

describe('Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses', () => {
  it('kappa = 0.430 as published, and equal to statsmodels', () => {
    const { counts } = published.fleiss1971;
    expect(counts.length).toBe(30);
    const res = fleissKappaFromCounts(counts);
    expect(res.raters).toBe(6);
    expect(res.kappa.toFixed(3)).toBe('0.430');
    expect(res.kappa).toBeCloseTo(published.fleiss1971.statsmodels, 12);
  });
  it('refuses a table whose rows have different numbers of ratings', () => {
    expect(() =>
      fleissKappaFromCounts([
        [1, 1],
        [2, 1],
      ]),
    ).toThrow(/subject 2 has 3 ratings/);
  });
});

describe('Krippendorff (2011): 4 observers x 12 units with missing values', () => {
  const g = published.krippendorff2011.grades;
  const r: Ratings = {
    knees: g[0]!.map((_, i) => `u${i + 1}`),
    patients: g[0]!.map((_, i) => `u${i + 1}`),
    raters: g.map((_, i) => ({ name: 'ABCD'[i]!, kind: 'reader' as const })),
    grades: g.map((row) => Int8Array.from(row, (v) => (v === null ? MISSING : v))),
  };
  const idx = [0, 1, 2, 3];
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
  ] as const)('%s alpha = %s', (metric, value) => {
    const res = krippendorffAlpha(r, idx, metric);
    expect(res.alpha.toFixed(3)).toBe(value.toFixed(3));
  });
  it('drops the unit with a single value (unit 12) and counts 40 pairable values', () => {
    const res = krippendorffAlpha(r, idx, 'nominal');
    expect(res.units).toBe(11);
    expect(res.pairableValues).toBeCloseTo(40, 12);
  });
});
