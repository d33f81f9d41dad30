// The optional parts of a grade: confidence, OARSI osteophyte and joint-space-narrowing grades, a
// comment. Set them before pressing the grade key; they go with that grade and then clear.
import { CONFIDENCE_LEVELS, OARSI_GRADES } from '../../../../shared/kl';

export interface Extras {
  confidence: number | null;
  osteophyte: number | null;
  jsn: number | null;
  comment: string;
}

export const NO_EXTRAS: Extras = { confidence: null, osteophyte: null, jsn: null, comment: '' };

export function GradeExtras({ value, onChange }: { value: Extras; onChange: (v: Extras) => void }) {
  return (
    <div className="grade-extras">
      <Choice
        label="Confidence"
        testid="grade-confidence"
        options={CONFIDENCE_LEVELS}
        value={value.confidence}
        onChange={(confidence) => onChange({ ...value, confidence })}
        hint="1 guess … 5 certain"
      />
      <Choice
        label="Osteophytes (OARSI)"
        testid="grade-osteophyte"
        options={OARSI_GRADES}
        value={value.osteophyte}
        onChange={(osteophyte) => onChange({ ...value, osteophyte })}
      />
      <Choice
        label="JSN (OARSI)"
        testid="grade-jsn"
        options={OARSI_GRADES}
        value={value.jsn}
        onChange={(jsn) => onChange({ ...value, jsn })}
      />
      <label className="grade-comment">
        <span className="muted">Comment</span>
        <textarea
          data-testid="grade-comment"
          rows={2}
          maxLength={2000}
          value={value.comment}
          placeholder="Optional; Esc returns to grading keys"
          onChange={(e) => onChange({ ...value, comment: e.target.value })}
        />
      </label>
    </div>
  );
}

function Choice(props: {
  label: string;
  testid: string;
  options: readonly number[];
  value: number | null;
  onChange: (v: number | null) => void;
  hint?: string;
}) {
  return (
    <div className="choice" role="radiogroup" aria-label={props.label} data-testid={props.testid}>
      <span className="muted" title={props.hint}>
        {props.label}
      </span>
      <div className="choice-buttons">
        {props.options.map((o) => (
          <button
            key={o}
            type="button"
            role="radio"
            aria-checked={props.value === o}
            className={props.value === o ? 'chip chip--on' : 'chip'}
            onClick={() => props.onChange(props.value === o ? null : o)}
            onMouseDown={(e) => e.preventDefault()}
          >
            {o}
          </button>
        ))}
      </div>
    </div>
  );
}
