// The one bar across the top: navigation, the current reader, and help.
import { useApi } from '../api/ApiContext';
import { useQuery } from '../api/useQuery';
import { useAppState, type ViewName } from './AppContext';

const NAV: { view: ViewName; label: string; testid: string }[] = [
  { view: 'worklist', label: 'Worklist', testid: 'nav-worklist' },
  { view: 'read', label: 'Read', testid: 'nav-read' },
  { view: 'sessions', label: 'Readers & sessions', testid: 'nav-sessions' },
  { view: 'models', label: 'Models', testid: 'nav-models' },
  { view: 'report', label: 'Report', testid: 'nav-report' },
];

export function TopBar({ onHelp }: { onHelp: () => void }) {
  const api = useApi();
  const app = useAppState();
  const readers = useQuery(() => api.readers.list(), [app.readerId], ['readers']);
  return (
    <header className="topbar">
      <span className="brand">KneeGrade</span>
      <nav className="nav">
        {NAV.map((n) => (
          <button
            key={n.view}
            type="button"
            className={app.view === n.view ? 'nav-item nav-item--active' : 'nav-item'}
            data-testid={n.testid}
            disabled={n.view === 'read' && !app.queue}
            onClick={() => app.setView(n.view)}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <label className="reader-picker">
        <span className="muted">Reader</span>
        <select
          data-testid="reader-select"
          value={app.readerId ?? ''}
          onChange={(e) => {
            app.setReaderId(e.target.value ? Number(e.target.value) : null);
            // A focused <select> takes digit keys as type-ahead: give the keys back to grading.
            e.target.blur();
          }}
        >
          <option value="">— choose —</option>
          {(readers.data ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.role})
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="help-button"
        title="Keyboard shortcuts (?)"
        onClick={onHelp}
        data-testid="help-open"
      >
        ?
      </button>
    </header>
  );
}
