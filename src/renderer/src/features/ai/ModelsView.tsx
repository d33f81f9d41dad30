// The installed models: status, card (validation figures, training data and licence), and a run
// over every knee.
import { useApi } from '../../api/ApiContext';
import { useQuery } from '../../api/useQuery';
import { useAppState } from '../../app/AppContext';
import { useInferenceRun } from './useInferenceRun';

export function ModelsView() {
  const api = useApi();
  const app = useAppState();
  const models = useQuery(() => api.models.list(), [], ['models', 'predictions']);
  const run = useInferenceRun();
  const list = models.data ?? [];
  const anyReady = list.some((m) => m.status === 'ready');

  const runAll = async () => {
    const r = await run.start({});
    if (r) {
      app.toast(
        r.failures.length ? 'warn' : 'ok',
        `Models: ${r.computed} computed, ${r.cached} cached, ${r.failures.length} failed`,
      );
      models.reload();
    }
  };

  return (
    <section className="view models-view">
      <div className="view-header">
        <h1>Models</h1>
        <span className="spacer" />
        {run.running ? (
          <span role="status">
            <progress max={run.progress?.total || 1} value={run.progress?.done ?? 0} />{' '}
            {run.progress
              ? `${run.progress.done} / ${run.progress.total} ${run.progress.model ?? ''}`
              : 'starting…'}{' '}
            <button type="button" onClick={run.cancel}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" data-testid="models-run" disabled={!anyReady} onClick={() => void runAll()}>
            Run all ready models on every knee
          </button>
        )}
      </div>
      {models.error && (
        <div className="inline-error" role="alert" data-testid="error-banner">
          Could not list the models: {models.error}
        </div>
      )}
      {run.error && (
        <div className="inline-error" role="alert" data-testid="error-banner">
          Model run failed: {run.error}
        </div>
      )}
      {run.result && !run.running && (
        <p data-testid="inference-done" data-computed={run.result.computed} className="muted">
          Finished: {run.result.computed} computed, {run.result.cached} from cache
          {run.result.cancelled ? ' (cancelled)' : ''}.
          {run.result.failures.length > 0 &&
            ` ${run.result.failures.length} failed, e.g. knee ${run.result.failures[0]?.kneeId}: ${run.result.failures[0]?.reason}`}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Model</th>
            <th>Version</th>
            <th>Approach</th>
            <th>Status</th>
            <th className="num">Input</th>
            <th className="num">Val QWK</th>
            <th className="num">Val accuracy</th>
            <th className="num">Val MAE</th>
            <th className="num">Knees predicted</th>
            <th>Training data</th>
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr key={m.name} data-testid="models-row" data-model={m.name} data-status={m.status}>
              <td>{m.name}</td>
              <td>{m.version ?? '—'}</td>
              <td>
                {m.approach ?? '—'}
                {m.architecture ? ` (${m.architecture})` : ''}
              </td>
              <td>
                <span className={m.status === 'ready' ? 'badge badge--ok' : 'badge badge--warn'}>
                  {m.status}
                </span>
                {m.reason && <div className="muted small">{m.reason}</div>}
              </td>
              <td className="num">{m.inputSize ? `${m.inputSize} px` : '—'}</td>
              <td className="num">{m.validation ? m.validation.qwk.toFixed(3) : '—'}</td>
              <td className="num">
                {m.validation ? `${(m.validation.exactAccuracy * 100).toFixed(1)} %` : '—'}
              </td>
              <td className="num">{m.validation ? m.validation.mae.toFixed(3) : '—'}</td>
              <td className="num">{m.predictedKnees}</td>
              <td className="small">
                {m.training ? (
                  <>
                    {m.training.data} <span className="muted">({m.training.licence})</span>
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && models.data && <p className="empty">No models in {app.info.modelsDir}.</p>}
    </section>
  );
}
