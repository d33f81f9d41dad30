// Exports: the labelled CSV (de-identified by default) and the HTML report, to a file the reader
// picks; where no file dialog exists the content is offered as a download instead.
import { useState } from 'react';
import type { ExportResult } from '../../../../shared/contract';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import { useAppState } from '../../app/AppContext';

interface Props {
  referenceSource: string | undefined;
  readerIds: number[] | undefined;
  models: string[] | undefined;
}

export function ExportButtons({ referenceSource, readerIds, models }: Props) {
  const api = useApi();
  const app = useAppState();
  const [deidentify, setDeidentify] = useState(true);
  const [last, setLast] = useState<{ kind: string; result: ExportResult } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (purpose: 'csv' | 'html') => {
    setBusy(true);
    try {
      const stamp = new Date().toISOString().slice(0, 10);
      const defaultName =
        purpose === 'csv' ? `kneegrade-labels-${stamp}.csv` : `kneegrade-report-${stamp}.html`;
      const pick = await api.dialogs.savePath({ purpose, defaultName });
      if (pick.canceled || !pick.path) return;
      const result =
        purpose === 'csv'
          ? await api.exports.labelledCsv({
              path: pick.path,
              deidentify,
              ...(readerIds ? { readerIds } : {}),
              ...(models ? { models } : {}),
            })
          : await api.exports.htmlReport({
              path: pick.path,
              ...(referenceSource ? { referenceSource } : {}),
            });
      setLast({ kind: purpose, result });
      if (result.content !== null) offerDownload(result.content, defaultName, purpose);
      app.toast('ok', `${purpose === 'csv' ? 'CSV' : 'HTML report'} written: ${result.path ?? defaultName}`);
    } catch (e) {
      app.reportError(`Export failed: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-buttons">
      <label className="check">
        <input
          type="checkbox"
          checked={deidentify}
          onChange={(e) => setDeidentify(e.target.checked)}
          data-testid="export-deidentify"
        />
        de-identify the CSV (pseudonyms)
      </label>
      <button type="button" data-testid="export-csv" disabled={busy} onClick={() => void run('csv')}>
        Export labelled CSV…
      </button>
      <button type="button" data-testid="export-html" disabled={busy} onClick={() => void run('html')}>
        Export HTML report…
      </button>
      {last && (
        <span
          className="muted"
          data-testid="export-result"
          data-path={last.result.path ?? ''}
          data-kind={last.kind}
        >
          {last.result.path ?? 'downloaded'} · {last.result.rows} rows ·{' '}
          {(last.result.bytes / 1024).toFixed(1)} KiB
        </span>
      )}
    </div>
  );
}

function offerDownload(content: string, name: string, purpose: 'csv' | 'html'): void {
  const blob = new Blob([content], { type: purpose === 'csv' ? 'text/csv' : 'text/html' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
