// The visible proof that a grade is stored: the last grade and its state, and anything not yet saved.
import type { SaveState } from './gradeSaver';

export function SaveStatus({
  last,
  pending,
  note,
}: {
  last: SaveState | null;
  pending: number;
  note: string | null;
}) {
  if (note && (!last || last.kind === 'saved')) {
    return (
      <div
        className="save-status save-status--info"
        role="status"
        data-testid="grade-saved"
        data-state="undone"
      >
        {note}
      </div>
    );
  }
  if (!last) return <div className="save-status muted">Grades are saved the moment you press a key.</div>;
  const { entry } = last;
  const what = `KL ${entry.input.klg} for knee ${entry.input.kneeId}`;
  let text: string;
  let tone: string;
  switch (last.kind) {
    case 'saved':
      text = `✓ ${what} saved`;
      tone = 'ok';
      break;
    case 'saving':
      text = `Saving ${what}…`;
      tone = 'info';
      break;
    case 'retrying':
      text = `${what} not saved yet — retrying${last.message ? ` (${last.message})` : ''}. It is kept on this computer meanwhile.`;
      tone = 'warn';
      break;
    case 'failed':
      text = `${what} was NOT saved: ${last.message}`;
      tone = 'error';
      break;
  }
  return (
    <div
      className={`save-status save-status--${tone}`}
      role="status"
      data-testid="grade-saved"
      data-state={last.kind}
      data-knee-id={entry.input.kneeId}
      data-klg={entry.input.klg}
    >
      {text}
      {pending > 1 && <span className="muted"> · {pending} grades waiting to be saved</span>}
    </div>
  );
}
