// The models' view of the current knee: each model's grade and probabilities, its name and version,
// models that are not installed, and a run over the whole session. Never rendered in a blinded
// session (the caller leaves it out entirely).
import type { ModelInfo, ModelPrediction } from '../../../../shared/contract';
import { ProbabilityBars } from './ProbabilityBars';
import type { InferenceRunState } from './useInferenceRun';

interface Props {
  predictions: ModelPrediction[];
  models: ModelInfo[];
  run: InferenceRunState;
  onRunAll: () => void;
  scopeLabel: string;
}

export function AiPanel({ predictions, models, run, onRunAll, scopeLabel }: Props) {
  const classifiers = models.filter((m) => m.approach !== 'embedding');
  const ready = classifiers.filter((m) => m.status === 'ready');
  return (
    <section className="panel ai-panel" data-testid="model-predictions" aria-label="Model predictions">
      <h2>Models</h2>
      {classifiers.map((m) => {
        const p = predictions.find((x) => x.model === m.name);
        return (
          <div
            key={m.name}
            className="model-card"
            data-testid="model-prediction"
            data-model={m.name}
            data-klg={p?.klg ?? ''}
          >
            <div className="model-head">
              <span className="model-name">{m.name}</span>
              <span className="muted">{m.version ? `v${m.version}` : ''}</span>
              <span className="spacer" />
              {p ? (
                <span className="model-grade">KL {p.klg}</span>
              ) : m.status === 'ready' ? (
                <span className="muted">not run yet</span>
              ) : (
                <span className="badge badge--warn" title={m.reason ?? undefined}>
                  {m.status === 'not-installed' ? 'not installed' : 'invalid'}
                </span>
              )}
            </div>
            {p && <ProbabilityBars probs={p.probs} klg={p.klg} />}
            {p && !p.current && <p className="warn small">Computed for an earlier crop: run again.</p>}
            {!p && m.status !== 'ready' && m.reason && <p className="muted small">{m.reason}</p>}
          </div>
        );
      })}
      {classifiers.length === 0 && <p className="muted">No models found in the models folder.</p>}
      <div className="ai-run">
        {run.running ? (
          <>
            <progress max={run.progress?.total || 1} value={run.progress?.done ?? 0} />
            <span className="muted">
              {run.progress ? `${run.progress.done} / ${run.progress.total}` : 'starting…'}
            </span>
            <button type="button" onClick={run.cancel}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" data-testid="ai-run-session" disabled={ready.length === 0} onClick={onRunAll}>
            Run models on {scopeLabel}
          </button>
        )}
      </div>
      {run.error && <p className="warn small">Model run failed: {run.error}</p>}
      {run.result && !run.running && (
        <p className="muted small">
          Last run: {run.result.computed} computed, {run.result.cached} cached
          {run.result.failures.length
            ? `, ${run.result.failures.length} failed (${run.result.failures[0]?.reason ?? ''})`
            : ''}
        </p>
      )}
    </section>
  );
}
