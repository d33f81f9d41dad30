// A new reading session: which knees, blinded or AI-aided, the order seed, or a re-read of an earlier
// session after a washout. Creating it opens it in the viewer.
import { useState } from 'react';
import type { SessionSummary, StudySummary } from '../../../../shared/contract';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import { useAppState } from '../../app/AppContext';
import { DEFAULT_SESSION_FORM, toCreateInput, type SessionFormValues } from './sessionForm';

interface Props {
  studies: StudySummary[];
  sessions: SessionSummary[];
  onCreated: () => void;
}

export function SessionForm({ studies, sessions, onCreated }: Props) {
  const api = useApi();
  const app = useAppState();
  const [v, setV] = useState<SessionFormValues>(DEFAULT_SESSION_FORM);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = sessions.filter((s) => s.readerId === app.readerId && s.kind === 'primary');
  const set = (patch: Partial<SessionFormValues>) => setV((old) => ({ ...old, ...patch }));

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = toCreateInput(v, app.readerId);
    if (typeof input === 'string') return setError(input);
    setBusy(true);
    try {
      const s = await api.sessions.create(input);
      setError(null);
      setV(DEFAULT_SESSION_FORM);
      app.toast('ok', `Session “${s.name}” created: ${s.total} knees, order seed ${s.seed}`);
      onCreated();
      app.openReading({ kind: 'session', sessionId: s.id });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="session-form" onSubmit={(e) => void create(e)} aria-label="New reading session">
      <label>
        Name
        <input
          data-testid="session-name"
          value={v.name}
          maxLength={200}
          onChange={(e) => set({ name: e.target.value })}
          placeholder="e.g. Baseline read 1"
        />
      </label>
      <label>
        Re-read of
        <select
          data-testid="session-reread-of"
          value={v.rereadOf ?? ''}
          onChange={(e) => set({ rereadOf: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">— a new set of knees —</option>
          {mine.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.createdAt.slice(0, 10)})
            </option>
          ))}
        </select>
      </label>
      {v.rereadOf === null ? (
        <label>
          Knees
          <select
            data-testid="session-scope"
            value={v.scope === 'study' ? String(v.studyId ?? '') : 'all'}
            onChange={(e) =>
              e.target.value === 'all'
                ? set({ scope: 'all', studyId: null })
                : set({ scope: 'study', studyId: Number(e.target.value) })
            }
          >
            <option value="all">Every knee in the database</option>
            {studies.map((s) => (
              <option key={s.id} value={s.id}>
                Study {s.patient} · {s.studyDate ?? 'no date'} ({s.kneeCount})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <label>
            Washout (days)
            <input
              data-testid="session-washout"
              type="number"
              min={0}
              max={3650}
              value={v.washoutDays}
              onChange={(e) => set({ washoutDays: Math.max(0, Number(e.target.value) || 0) })}
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={v.force} onChange={(e) => set({ force: e.target.checked })} />
            start before the washout has passed (recorded)
          </label>
        </>
      )}
      <label className="check">
        <input
          data-testid="session-blinded"
          type="checkbox"
          checked={v.blinded}
          onChange={(e) => set({ blinded: e.target.checked, aiAided: e.target.checked ? false : v.aiAided })}
        />
        Blinded (hide models, reference grades and other readers)
      </label>
      <label className="check">
        <input
          data-testid="session-ai-aided"
          type="checkbox"
          checked={v.aiAided}
          onChange={(e) => set({ aiAided: e.target.checked, blinded: e.target.checked ? false : v.blinded })}
        />
        AI-aided (show the models’ grades while reading)
      </label>
      <label>
        Order seed
        <input
          data-testid="session-seed"
          inputMode="numeric"
          value={v.seed}
          onChange={(e) => set({ seed: e.target.value })}
          placeholder="random (recorded)"
        />
      </label>
      <button type="submit" data-testid="session-create" disabled={busy || app.readerId === null}>
        Create and start reading
      </button>
      {error && (
        <span className="warn" role="alert" data-testid="session-form-error">
          {error}
        </span>
      )}
    </form>
  );
}
