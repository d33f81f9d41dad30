import type { StudySummary } from '../../../../shared/contract';
import type { StatusFilter, WorklistFilter } from './worklistQuery';

const STATUS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All knees' },
  { value: 'ungraded-by-me', label: 'Not graded by me' },
  { value: 'graded', label: 'Graded by anyone' },
  { value: 'ungraded', label: 'Graded by nobody' },
  { value: 'disagreement', label: 'Disagreement (readers / models)' },
];

interface Props {
  filter: WorklistFilter;
  onChange: (f: WorklistFilter) => void;
  studies: StudySummary[];
  hasReader: boolean;
}

export function WorklistFilters({ filter, onChange, studies, hasReader }: Props) {
  return (
    <div className="filters" role="group" aria-label="Worklist filters">
      <label>
        Show
        <select
          data-testid="filter-status"
          value={filter.status}
          onChange={(e) => onChange({ ...filter, status: e.target.value as StatusFilter })}
        >
          {STATUS.map((s) => (
            <option key={s.value} value={s.value} disabled={s.value === 'ungraded-by-me' && !hasReader}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {filter.status === 'disagreement' && (
        <label>
          by at least
          <select
            data-testid="filter-min-spread"
            value={filter.minSpread}
            onChange={(e) => onChange({ ...filter, minSpread: Number(e.target.value) })}
          >
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n} grade{n > 1 ? 's' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Study
        <select
          data-testid="filter-study"
          value={filter.studyId ?? ''}
          onChange={(e) => onChange({ ...filter, studyId: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">All studies</option>
          {studies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.patient} · {s.studyDate ?? 'no date'} · {s.kneeCount} knee{s.kneeCount === 1 ? '' : 's'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reference grade
        <select
          data-testid="filter-reference"
          value={filter.referenceKlg ?? ''}
          onChange={(e) =>
            onChange({ ...filter, referenceKlg: e.target.value === '' ? null : Number(e.target.value) })
          }
        >
          <option value="">Any</option>
          {[0, 1, 2, 3, 4].map((g) => (
            <option key={g} value={g}>
              KL {g}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
