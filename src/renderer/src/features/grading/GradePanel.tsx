// Grading a knee: the five KL buttons (keys 0-4), optional extras, previous / next / undo, and the
// save confirmation.
import { KL_DESCRIPTIONS, KL_GRADES } from '../../../../shared/kl';
import { GradeExtras, type Extras } from './GradeExtras';
import type { SaveState } from './gradeSaver';
import { SaveStatus } from './SaveStatus';

interface Props {
  currentKlg: number | null;
  disabledReason: string | null;
  extras: Extras;
  onExtras: (e: Extras) => void;
  onGrade: (klg: number) => void;
  onPrev: () => void;
  onNext: () => void;
  onUndo: () => void;
  canUndo: boolean;
  lastSave: SaveState | null;
  pending: number;
  /** Shown instead of the last save after an undo. */
  note: string | null;
}

export function GradePanel(p: Props) {
  return (
    <section className="panel grade-panel" data-testid="grade-panel" aria-label="Grade">
      <h2>
        Kellgren–Lawrence grade
        {p.currentKlg !== null && (
          <span className="current-grade" data-testid="grade-current" data-klg={p.currentKlg}>
            yours: KL {p.currentKlg}
          </span>
        )}
      </h2>
      {p.disabledReason && <p className="warn">{p.disabledReason}</p>}
      <div className="grade-buttons">
        {KL_GRADES.map((g) => (
          <button
            key={g}
            type="button"
            className={p.currentKlg === g ? 'grade-button grade-button--current' : 'grade-button'}
            data-testid={`grade-button-${g}`}
            disabled={p.disabledReason !== null}
            title={KL_DESCRIPTIONS[g]}
            onClick={() => p.onGrade(g)}
            // No focus from a click: a later Space/Enter must not grade the next knee too.
            onMouseDown={(e) => e.preventDefault()}
          >
            <span className="grade-key">{g}</span>
            <span className="grade-desc">{KL_DESCRIPTIONS[g]}</span>
          </button>
        ))}
      </div>
      <GradeExtras value={p.extras} onChange={p.onExtras} />
      <div className="grade-nav">
        <button type="button" data-testid="grade-prev" onClick={p.onPrev} title="Previous knee (← or P)">
          ← Previous
        </button>
        <button
          type="button"
          data-testid="grade-undo"
          onClick={p.onUndo}
          disabled={!p.canUndo}
          title="Undo the last grade (Ctrl+Z)"
        >
          Undo
        </button>
        <button type="button" data-testid="grade-next" onClick={p.onNext} title="Next knee (→ or N)">
          Next →
        </button>
      </div>
      <SaveStatus last={p.lastSave} pending={p.pending} note={p.note} />
    </section>
  );
}
