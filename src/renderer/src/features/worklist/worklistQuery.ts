// The worklist's filter and sort, and how they become a `knees:list` request.
import type { Input, KneeListItem } from '../../../../shared/contract';

export type StatusFilter = 'all' | 'ungraded-by-me' | 'graded' | 'ungraded' | 'disagreement';
export type SortKey = 'study' | 'id' | 'reference' | 'spread' | 'patient';

export interface WorklistFilter {
  status: StatusFilter;
  studyId: number | null;
  referenceKlg: number | null;
  minSpread: number;
  sort: SortKey;
  order: 'asc' | 'desc';
}

export const DEFAULT_FILTER: WorklistFilter = {
  status: 'all',
  studyId: null,
  referenceKlg: null,
  minSpread: 1,
  sort: 'study',
  order: 'asc',
};

export const PAGE_SIZE = 500;

export function toListInput(f: WorklistFilter, readerId: number | null, offset = 0): Input<'knees:list'> {
  const input: Input<'knees:list'> = { sort: f.sort, order: f.order, limit: PAGE_SIZE, offset };
  if (readerId !== null) input.readerId = readerId;
  if (f.studyId !== null) input.studyId = f.studyId;
  if (f.referenceKlg !== null) input.referenceKlg = f.referenceKlg;
  switch (f.status) {
    case 'ungraded-by-me':
      if (readerId !== null) input.ungradedByReaderId = readerId;
      break;
    case 'graded':
      input.graded = true;
      break;
    case 'ungraded':
      input.graded = false;
      break;
    case 'disagreement':
      input.disagreement = true;
      input.minSpread = f.minSpread;
      break;
    case 'all':
      break;
  }
  return input;
}

/** Clicking a column header: sort by it ascending, or flip the order when it already sorts. */
export function toggleSort(f: WorklistFilter, key: SortKey): WorklistFilter {
  if (f.sort === key) return { ...f, order: f.order === 'asc' ? 'desc' : 'asc' };
  return { ...f, sort: key, order: key === 'spread' ? 'desc' : 'asc' };
}

/** "KL2 · KL3" style summary of the models' grades for a row. */
export function modelSummary(item: Pick<KneeListItem, 'modelKlg'>): string {
  return Object.entries(item.modelKlg)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, g]) => `${shortModelName(name)} ${g}`)
    .join(' · ');
}

export function shortModelName(name: string): string {
  return name.replace(/-kl$/i, '');
}
