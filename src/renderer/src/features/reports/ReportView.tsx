// The comparison report: readers and models against a reference and against each other, as tables and
// heatmaps, with the exports.
import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { useQuery } from '../../api/useQuery';
import { AgreementTable, PairwiseTable } from './AgreementTable';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { ExportButtons } from './ExportButtons';
import { fmtStat, raterLabel } from './format';
import { PairwiseHeatmap } from './PairwiseHeatmap';
import { ReportPickers, type ReportSelection } from './ReportPickers';

export function ReportView() {
  const api = useApi();
  const [sel, setSel] = useState<ReportSelection>({ referenceSource: '', readerIds: null, models: null });
  const readers = useQuery(() => api.readers.list(), [], ['readers']);
  const models = useQuery(() => api.models.list(), [], ['models']);
  const ref = sel.referenceSource.trim() || undefined;
  const report = useQuery(
    () =>
      api.reports.build({
        ...(ref ? { referenceSource: ref } : {}),
        ...(sel.readerIds ? { readerIds: sel.readerIds } : {}),
        ...(sel.models ? { models: sel.models } : {}),
      }),
    [ref, sel.readerIds?.join(','), sel.models?.join(',')],
    ['grades', 'predictions', 'readers'],
  );
  const r = report.data;
  const sources = r?.referenceSource ? [r.referenceSource] : [];

  return (
    <section className="view report-view" data-testid="report-view">
      <div className="view-header">
        <h1>Agreement report</h1>
        <span className="spacer" />
        <ExportButtons
          referenceSource={ref}
          readerIds={sel.readerIds ?? undefined}
          models={sel.models ?? undefined}
        />
      </div>
      <ReportPickers
        value={sel}
        onChange={setSel}
        readers={readers.data ?? []}
        models={models.data ?? []}
        knownSources={sources}
      />
      {report.error && (
        <div className="inline-error" role="alert" data-testid="error-banner">
          Could not build the report: {report.error}
        </div>
      )}
      {report.loading && !r && <p className="muted">Computing…</p>}
      {r && (
        <>
          <p className="muted">
            {r.knees} knees · reference: {r.referenceSource ?? 'none'} · {r.raters.length} raters · generated{' '}
            {r.generatedAt.replace('T', ' ').slice(0, 19)}
            {report.loading ? ' · updating…' : ''}
          </p>
          <AgreementTable report={r} />
          {r.multiRater && (
            <p>
              Across all readers: {r.multiRater.kind} = {fmtStat(r.multiRater.value)} (n = {r.multiRater.n})
            </p>
          )}
          <div className="heatmaps">
            {r.vsReference.map((v) => (
              <ConfusionHeatmap
                key={v.rater}
                title={`${raterLabel(v.rater)} (n = ${v.n})`}
                matrix={v.confusion}
                rowLabel="reference"
                colLabel="rater"
              />
            ))}
            <PairwiseHeatmap report={r} />
          </div>
          <PairwiseTable report={r} />
          <details>
            <summary>Plain-text report</summary>
            <pre className="report-text">{r.text}</pre>
          </details>
        </>
      )}
    </section>
  );
}
