// The knees as a sortable table; click (or Enter on) a row to read from there.
import type { KneeListItem } from '../../../../shared/contract';
import { modelSummary, type SortKey, type WorklistFilter } from './worklistQuery';

interface Props {
  items: KneeListItem[];
  filter: WorklistFilter;
  onSort: (key: SortKey) => void;
  onOpen: (index: number) => void;
}

const COLUMNS: { label: string; sort?: SortKey; className?: string }[] = [
  { label: 'Knee', sort: 'id', className: 'num' },
  { label: 'Patient', sort: 'patient' },
  { label: 'Study', sort: 'study' },
  { label: 'Side' },
  { label: 'Format' },
  { label: 'Reference', sort: 'reference', className: 'num' },
  { label: 'Mine', className: 'num' },
  { label: 'Readers', className: 'num' },
  { label: 'Models' },
  { label: 'Spread', sort: 'spread', className: 'num' },
];

export function WorklistTable({ items, filter, onSort, onOpen }: Props) {
  return (
    <table className="table worklist-table" data-testid="worklist-table">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.label}
              className={c.className}
              aria-sort={
                c.sort && filter.sort === c.sort
                  ? filter.order === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : undefined
              }
            >
              {c.sort ? (
                <button type="button" className="th-sort" onClick={() => onSort(c.sort as SortKey)}>
                  {c.label}
                  {filter.sort === c.sort ? (filter.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((k, i) => (
          <tr
            key={k.id}
            data-testid="worklist-row"
            data-knee-id={k.id}
            tabIndex={0}
            className={k.myKlg !== null ? 'row--mine' : undefined}
            onClick={() => onOpen(i)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onOpen(i);
            }}
          >
            <td className="num">{k.id}</td>
            <td>{k.patient}</td>
            <td>{k.studyDate ?? '—'}</td>
            <td>{k.side}</td>
            <td>{k.sourceFormat.toUpperCase()}</td>
            <td className="num">{k.referenceKlg ?? '—'}</td>
            <td className="num">{k.myKlg ?? '—'}</td>
            <td className="num">{k.readerCount ?? '—'}</td>
            <td>{modelSummary(k) || '—'}</td>
            <td className={k.spread !== null && k.spread >= 2 ? 'num spread--high' : 'num'}>
              {k.spread ?? '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
