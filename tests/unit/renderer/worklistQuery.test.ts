import { describe, expect, it } from 'vitest';
import { kneesListInput } from '../../../src/shared/contract';
import {
  DEFAULT_FILTER,
  modelSummary,
  toListInput,
  toggleSort,
} from '../../../src/renderer/src/features/worklist/worklistQuery';

describe('worklist query', () => {
  it('maps each status filter onto the contract’s fields, and the contract accepts them', () => {
    const base = { ...DEFAULT_FILTER };
    expect(toListInput({ ...base, status: 'ungraded-by-me' }, 4)).toMatchObject({
      ungradedByReaderId: 4,
      readerId: 4,
    });
    expect(toListInput({ ...base, status: 'graded' }, 4)).toMatchObject({ graded: true });
    expect(toListInput({ ...base, status: 'ungraded' }, null)).toMatchObject({ graded: false });
    expect(toListInput({ ...base, status: 'disagreement', minSpread: 2 }, 4)).toMatchObject({
      disagreement: true,
      minSpread: 2,
    });
    const all = toListInput({ ...base, studyId: 3, referenceKlg: 0 }, null);
    expect(all).toMatchObject({ studyId: 3, referenceKlg: 0 });
    expect(all).not.toHaveProperty('readerId');
    for (const status of ['all', 'ungraded-by-me', 'graded', 'ungraded', 'disagreement'] as const) {
      expect(kneesListInput.safeParse(toListInput({ ...base, status }, 4)).success).toBe(true);
    }
  });

  it('clicking a header sorts by it, clicking again flips the order', () => {
    const a = toggleSort(DEFAULT_FILTER, 'reference');
    expect(a).toMatchObject({ sort: 'reference', order: 'asc' });
    expect(toggleSort(a, 'reference')).toMatchObject({ sort: 'reference', order: 'desc' });
    expect(toggleSort(a, 'spread')).toMatchObject({ sort: 'spread', order: 'desc' });
  });

  it('summarises model grades by short name, sorted', () => {
    expect(modelSummary({ modelKlg: { 'resnet18-kl': 2, 'convnext-kl': 3 } })).toBe(
      'convnext 3 · resnet18 2',
    );
    expect(modelSummary({ modelKlg: {} })).toBe('');
  });
});
