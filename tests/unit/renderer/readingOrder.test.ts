import { describe, expect, it } from 'vitest';
import {
  firstUngraded,
  nextUngraded,
  prefetchTargets,
} from '../../../src/renderer/src/features/grading/readingOrder';

const order = [10, 11, 12, 13, 14];

describe('reading order', () => {
  it('next ungraded after the current one, wrapping round to skipped knees', () => {
    expect(nextUngraded(order, new Set([10]), 0)).toBe(1);
    expect(nextUngraded(order, new Set([10, 11, 13]), 1)).toBe(2);
    expect(nextUngraded(order, new Set([12, 13, 14]), 4)).toBe(0);
    expect(nextUngraded(order, new Set(order), 2)).toBeNull();
  });

  it('a resumed session starts at its first ungraded knee', () => {
    expect(firstUngraded(order, new Set([10, 11]))).toBe(2);
    expect(firstUngraded(order, new Set())).toBe(0);
    expect(firstUngraded(order, new Set(order))).toBeNull();
    expect(firstUngraded([], new Set())).toBeNull();
  });

  it('prefetches the knee a grade key goes to first, then the neighbours', () => {
    expect(prefetchTargets(order, new Set([11]), 0, true)).toEqual([2, 1]);
    expect(prefetchTargets(order, new Set(), 2, false)).toEqual([3, 1]);
    expect(prefetchTargets(order, new Set(), 4, false)).toEqual([3]);
  });
});
