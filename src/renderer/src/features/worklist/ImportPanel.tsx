// Bringing films in: a folder or files chosen in a dialog, or the synthetic phantoms; progress while
// it runs, and a summary naming every file that could not be imported and why.
import { useEffect, useState } from 'react';
import type { ImportProgress, ImportSummary } from '../../../../shared/contract';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import { useAppState } from '../../app/AppContext';

export function ImportPanel({ onImported }: { onImported: () => void }) {
  const api = useApi();
  const app = useAppState();
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);

  useEffect(
    () =>
      api.on('import:progress', (p) => {
        if (p.jobId === busy) setProgress(p);
      }),
    [api, busy],
  );

  const run = async (start: (jobId: string) => Promise<ImportSummary | null>) => {
    const jobId = `import-${Date.now()}`;
    setBusy(jobId);
    setProgress(null);
    try {
      const s = await start(jobId);
      if (s) {
        setSummary(s);
        onImported();
        if (s.errors.length > 0)
          app.toast('warn', `${s.errors.length} file(s) could not be imported — see the list`);
      }
    } catch (e) {
      app.reportError(`Import failed: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const fromDialog = (directories: boolean) =>
    run(async (jobId) => {
      const pick = await api.dialogs.openPaths({ purpose: 'import', directories });
      if (pick.canceled || pick.paths.length === 0) return null;
      return api.import.run({ jobId, paths: pick.paths });
    });

  return (
    <div className="import-panel">
      <button
        type="button"
        data-testid="import-open"
        disabled={busy !== null}
        onClick={() => fromDialog(true)}
      >
        Import folder…
      </button>
      <button type="button" disabled={busy !== null} onClick={() => fromDialog(false)}>
        Import files…
      </button>
      <button
        type="button"
        data-testid="import-samples"
        disabled={busy !== null}
        title="Generate synthetic bilateral knee films with known grades, and import them"
        onClick={() => run((jobId) => api.import.samplePhantoms({ jobId }))}
      >
        Add sample phantoms
      </button>
      {busy && (
        <span className="muted" role="status">
          Importing{progress ? ` ${progress.done} / ${progress.total}` : '…'}
          <button type="button" className="link" onClick={() => void api.jobs.cancel({ jobId: busy })}>
            cancel
          </button>
        </span>
      )}
      {summary && !busy && (
        <details className="import-summary" data-testid="import-summary" data-imported={summary.imported}>
          <summary>
            Imported {summary.imported} of {summary.files} file(s): {summary.knees} knee(s), {summary.labels}{' '}
            label(s)
            {summary.duplicates ? `, ${summary.duplicates} already there` : ''}
            {summary.errors.length ? `, ${summary.errors.length} failed` : ''}
            {summary.cancelled ? ' (cancelled)' : ''}
          </summary>
          {summary.errors.length > 0 && (
            <ul className="import-errors">
              {summary.errors.map((e) => (
                <li key={e.path}>
                  <code>{e.path}</code>: {e.reason}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </div>
  );
}
