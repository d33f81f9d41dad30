// Sessions with their progress; open (resuming a paused one), pause.
import type { SessionSummary } from '../../../../shared/contract';

interface Props {
  sessions: SessionSummary[];
  onOpen: (s: SessionSummary) => void;
  onPause: (s: SessionSummary) => void;
}

export function SessionList({ sessions, onOpen, onPause }: Props) {
  if (sessions.length === 0) return <p className="empty">No sessions yet.</p>;
  return (
    <table className="table" data-testid="session-table">
      <thead>
        <tr>
          <th>Session</th>
          <th>Reader</th>
          <th>Design</th>
          <th className="num">Seed</th>
          <th>Progress</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr
            key={s.id}
            data-testid="session-row"
            data-session-id={s.id}
            data-status={s.status}
            onClick={() => onOpen(s)}
            tabIndex={0}
            onKeyDown={(e) => e.key === 'Enter' && onOpen(s)}
          >
            <td>{s.name}</td>
            <td>{s.readerName}</td>
            <td>
              {s.blinded ? 'blinded' : 'unblinded'}
              {s.aiAided ? ', AI-aided' : ''}
              {s.kind === 'reread' ? `, re-read (washout ${s.washoutDays ?? '?'} d)` : ''}
            </td>
            <td className="num">{s.seed}</td>
            <td>
              <meter min={0} max={Math.max(s.total, 1)} value={s.done} /> {s.done} / {s.total}
            </td>
            <td>{s.status}</td>
            <td onClick={(e) => e.stopPropagation()}>
              <button type="button" onClick={() => onOpen(s)}>
                {s.status === 'paused' ? 'Resume' : 'Open'}
              </button>
              {s.status === 'active' && (
                <button type="button" data-testid="session-pause" onClick={() => onPause(s)}>
                  Pause
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
