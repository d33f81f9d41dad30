// Readers and reading sessions.
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import { useQuery } from '../../api/useQuery';
import { useAppState } from '../../app/AppContext';
import type { SessionSummary } from '../../../../shared/contract';
import { noteKneeRequested } from '../viewer/viewerStats';
import { ReaderForm } from './ReaderForm';
import { SessionForm } from './SessionForm';
import { SessionList } from './SessionList';

export function SessionsView() {
  const api = useApi();
  const app = useAppState();
  const sessions = useQuery(() => api.sessions.list({}), [], ['sessions', 'grades']);
  const studies = useQuery(() => api.studies.list(), [], ['studies']);
  const readers = useQuery(() => api.readers.list(), [], ['readers']);

  const open = async (s: SessionSummary) => {
    try {
      if (s.status === 'paused') await api.sessions.resume({ sessionId: s.id });
      if (app.readerId !== s.readerId) app.setReaderId(s.readerId);
      noteKneeRequested();
      app.openReading({ kind: 'session', sessionId: s.id });
    } catch (e) {
      app.reportError(`Cannot open session “${s.name}”: ${errorMessage(e)}`);
    }
  };
  const pause = async (s: SessionSummary) => {
    try {
      await api.sessions.pause({ sessionId: s.id });
      sessions.reload();
    } catch (e) {
      app.reportError(`Cannot pause session “${s.name}”: ${errorMessage(e)}`);
    }
  };

  return (
    <section className="view sessions-view">
      <h1>Readers</h1>
      <p className="muted">
        {readers.data?.length ?? 0} reader(s). The current reader is chosen at the top right.
      </p>
      <ReaderForm onCreated={readers.reload} />
      <h1>New reading session</h1>
      <SessionForm studies={studies.data ?? []} sessions={sessions.data ?? []} onCreated={sessions.reload} />
      <h1>Sessions</h1>
      {sessions.error && (
        <div className="inline-error" role="alert" data-testid="error-banner">
          Could not list the sessions: {sessions.error}
        </div>
      )}
      <SessionList
        sessions={sessions.data ?? []}
        onOpen={(s) => void open(s)}
        onPause={(s) => void pause(s)}
      />
    </section>
  );
}
