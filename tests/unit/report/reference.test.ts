import { describe, expect, it } from 'vitest';
import { parseReferenceSpec, resolveReference, type StudyData } from '../../../src/core/report';
import { MISSING } from '../../../src/core/stats';

const M = MISSING;
const data = (raters: Record<string, number[]>, labels: Record<string, number[]> = {}): StudyData => {
  const n = Object.values(raters)[0]?.length ?? Object.values(labels)[0]!.length;
  return {
    knees: Array.from({ length: n }, (_, i) => ({ id: `k${i}`, patient: `p${i}` })),
    raters: Object.entries(raters).map(([name, g]) => ({
      name,
      kind: 'reader' as const,
      grades: Int8Array.from(g),
    })),
    labelSources: Object.entries(labels).map(([source, g]) => ({ source, grades: Int8Array.from(g) })),
    rereads: [],
    warnings: [],
    source: { kind: 'csv' },
  };
};

describe('consensus reference', () => {
  const d = data({ A: [0, 1, 2, 3, M, 4], B: [0, 1, 3, 3, 2, 2], C: [1, 2, 4, 3, 2, M] });

  it('majority of all readers; ties and incomplete knees excluded and counted', () => {
    const r = resolveReference(d, { kind: 'consensus', readers: ['A', 'B', 'C'], rule: 'majority' });
    // k0: 0,0,1 -> 0; k1: 1,1,2 -> 1; k2: 2,3,4 -> tie; k3: 3; k4: only 2 readers; k5: only 2 readers
    expect(Array.from(r.grades)).toEqual([0, 1, M, 3, M, M]);
    expect(r.excluded).toEqual([
      { reason: 'graded by fewer than 3 of the 3 consensus readers', count: 2 },
      { reason: 'consensus tie (majority), excluded by the tie rule', count: 1 },
    ]);
    expect(r.partOfReference).toEqual(['A', 'B', 'C']);
  });

  it('tie rules lower / higher, and a minimum number of readers', () => {
    const lower = resolveReference(d, {
      kind: 'consensus',
      readers: ['A', 'B', 'C'],
      rule: 'majority',
      tie: 'lower',
      minReaders: 2,
    });
    // k4: 2,2 -> 2; k5: 4,2 -> tie -> lower 2
    expect(Array.from(lower.grades)).toEqual([0, 1, 2, 3, 2, 2]);
    expect(lower.notes).toEqual(['2 consensus tie(s) resolved to the lower grade.']);
    const higher = resolveReference(d, {
      kind: 'consensus',
      readers: ['A', 'B', 'C'],
      rule: 'majority',
      tie: 'higher',
      minReaders: 2,
    });
    expect(Array.from(higher.grades)).toEqual([0, 1, 4, 3, 2, 4]);
  });

  it('median: odd counts give the middle grade, even counts with two middles use the tie rule', () => {
    const r = resolveReference(d, {
      kind: 'consensus',
      readers: ['A', 'B', 'C'],
      rule: 'median',
      minReaders: 2,
    });
    expect(Array.from(r.grades)).toEqual([0, 1, 3, 3, 2, M]);
  });

  it('names unknown readers', () => {
    expect(() => resolveReference(d, { kind: 'consensus', readers: ['A', 'Z'], rule: 'median' })).toThrow(
      /no reader named "Z"/,
    );
  });
});

describe('labels and rater references', () => {
  it('uses the named source or the largest one, stating the choice', () => {
    const d = data({ A: [0, 1, 2] }, { small: [1, M, M], big: [0, 1, M] });
    const r = resolveReference(d, { kind: 'labels' });
    expect(r.description).toContain('"big"');
    expect(r.notes[0]).toMatch(/big: 2, small: 1/);
    expect(r.excluded).toEqual([{ reason: 'no label from "big"', count: 1 }]);
    expect(resolveReference(d, { kind: 'labels', source: 'small' }).notes).toEqual([]);
  });
  it('refuses when there are no labels', () => {
    expect(() => resolveReference(data({ A: [1] }), { kind: 'labels' })).toThrow(
      /no imported reference labels/,
    );
  });
});

describe('parseReferenceSpec', () => {
  it.each([
    ['labels', { kind: 'labels' }],
    ['labels:csv:my file.csv', { kind: 'labels', source: 'csv:my file.csv' }],
    ['reader:Dr A', { kind: 'rater', name: 'Dr A' }],
    ['consensus:median:A,B,C', { kind: 'consensus', rule: 'median', readers: ['A', 'B', 'C'] }],
    [
      'consensus:majority:A, B:lower',
      { kind: 'consensus', rule: 'majority', readers: ['A', 'B'], tie: 'lower' },
    ],
  ])('%s', (text, spec) => expect(parseReferenceSpec(text)).toEqual(spec));
  it('explains what it accepts', () => {
    expect(() => parseReferenceSpec('consensus:mode:A,B')).toThrow(/majority or median/);
    expect(() => parseReferenceSpec('reader:')).toThrow(/give a name/);
  });
});
