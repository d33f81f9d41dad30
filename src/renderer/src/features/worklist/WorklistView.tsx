// The worklist: every knee, filtered and sorted, with the reader's progress; a row opens the viewer.
import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { useQuery } from '../../api/useQuery';
import { useAppState } from '../../app/AppContext';
import { noteKneeRequested } from '../viewer/viewerStats';
import { ImportPanel } from './ImportPanel';
import { ReaderProgress } from './ReaderProgress';
import { WorklistFilters } from './WorklistFilters';
import { WorklistTable } from './WorklistTable';
import { DEFAULT_FILTER, PAGE_SIZE, toListInput, toggleSort, type WorklistFilter } from './worklistQuery';

export function WorklistView() {
  const api = useApi();
  const app = useAppState();
  const [filter, setFilter] = useState<WorklistFilter>(DEFAULT_FILTER);
  const studies = useQuery(() => api.studies.list(), [], ['studies']);
  const knees = useQuery(
    () => api.knees.list(toListInput(filter, app.readerId)),
    [filter, app.readerId],
    ['knees', 'grades', 'predictions'],
  );
  const items = knees.data?.items ?? [];

  const open = (index: number) => {
    noteKneeRequested();
    app.openReading({ kind: 'list', kneeIds: items.map((k) => k.id), startIndex: index, label: 'Worklist' });
  };

  return (
    <section className="view worklist-view">
      <div className="view-header">
        <h1>Worklist</h1>
        {app.readerId !== null ? (
          <ReaderProgress readerId={app.readerId} />
        ) : (
          <span className="muted">Choose or create a reader (Readers &amp; sessions) to grade.</span>
        )}
        <span className="spacer" />
        <ImportPanel
          onImported={() => {
            studies.reload();
            knees.reload();
          }}
        />
      </div>
      <WorklistFilters
        filter={filter}
        onChange={setFilter}
        studies={studies.data ?? []}
        hasReader={app.readerId !== null}
      />
      {items.some((k) => k.readerCount === null) && (
        <p className="muted" data-testid="worklist-blinded-note">
          Knees in this reader’s unfinished blinded sessions show no reference grade, other readers or models
          (—).
        </p>
      )}
      {knees.error && (
        <div className="inline-error" role="alert" data-testid="error-banner">
          Could not list the knees: {knees.error}
        </div>
      )}
      <div className="table-scroll">
        <WorklistTable
          items={items}
          filter={filter}
          onSort={(k) => setFilter((f) => toggleSort(f, k))}
          onOpen={open}
        />
        {knees.data && items.length === 0 && (
          <p className="empty">
            {knees.data.total === 0 && filter === DEFAULT_FILTER
              ? 'No knees yet: import a folder of radiographs, or add the sample phantoms.'
              : 'No knee matches these filters.'}
          </p>
        )}
        {knees.data && knees.data.total > PAGE_SIZE && (
          <p className="muted">
            Showing the first {PAGE_SIZE} of {knees.data.total} knees: narrow the filters to see the rest.
          </p>
        )}
      </div>
    </section>
  );
}
