// Choosing what the report compares: the reference source, which readers, which models.
import type { ModelInfo, Reader } from '../../../../shared/contract';

export interface ReportSelection {
  referenceSource: string;
  readerIds: number[] | null; // null: all
  models: string[] | null; // null: all
}

interface Props {
  value: ReportSelection;
  onChange: (v: ReportSelection) => void;
  readers: Reader[];
  models: ModelInfo[];
  knownSources: string[];
}

export function ReportPickers({ value, onChange, readers, models, knownSources }: Props) {
  const toggle = <T,>(list: T[] | null, all: T[], item: T): T[] | null => {
    const cur = list ?? all;
    const next = cur.includes(item) ? cur.filter((x) => x !== item) : [...cur, item];
    return next.length === all.length ? null : next;
  };
  const readerIds = readers.map((r) => r.id);
  // Models that grade and have something to report: installed, or uninstalled with stored predictions
  // (a removed model's grades stay comparable). Embedding encoders grade nothing themselves.
  const modelNames = models
    .filter((m) => m.approach !== 'embedding' && (m.status === 'ready' || m.predictedKnees > 0))
    .map((m) => m.name);
  return (
    <div className="report-pickers">
      <label>
        Reference
        <input
          data-testid="report-reference"
          list="report-reference-sources"
          value={value.referenceSource}
          placeholder="most common source"
          onChange={(e) => onChange({ ...value, referenceSource: e.target.value })}
        />
        <datalist id="report-reference-sources">
          {knownSources.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <fieldset>
        <legend>Readers</legend>
        {readers.map((r) => (
          <label key={r.id} className="check">
            <input
              type="checkbox"
              data-testid="report-reader"
              data-reader-id={r.id}
              checked={value.readerIds === null || value.readerIds.includes(r.id)}
              onChange={() => onChange({ ...value, readerIds: toggle(value.readerIds, readerIds, r.id) })}
            />
            {r.name}
          </label>
        ))}
        {readers.length === 0 && <span className="muted">none yet</span>}
      </fieldset>
      <fieldset>
        <legend>Models</legend>
        {modelNames.map((m) => (
          <label key={m} className="check">
            <input
              type="checkbox"
              data-testid="report-model"
              data-model={m}
              checked={value.models === null || value.models.includes(m)}
              onChange={() => onChange({ ...value, models: toggle(value.models, modelNames, m) })}
            />
            {m}
          </label>
        ))}
        {modelNames.length === 0 && <span className="muted">none installed</span>}
      </fieldset>
    </div>
  );
}
