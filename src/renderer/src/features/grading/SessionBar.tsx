// Above the viewer: what is being read, where we are in it, and whether it is blinded.
import type { SessionDetail } from '../../../../shared/contract';

interface Props {
  session: SessionDetail | null;
  label: string;
  position: number;
  total: number;
  done: number;
  kneeLabel: string;
}

export function SessionBar({ session, label, position, total, done, kneeLabel }: Props) {
  return (
    <div className="session-bar">
      <span className="session-name">{session ? session.name : label}</span>
      {session?.blinded && (
        <span
          className="badge badge--blinded"
          data-testid="blinded-badge"
          title="Models, reference grades and other readers are hidden"
        >
          Blinded
        </span>
      )}
      {session?.aiAided && <span className="badge">AI-aided</span>}
      {session?.kind === 'reread' && <span className="badge">Re-read</span>}
      <span className="muted">{kneeLabel}</span>
      <span className="spacer" />
      <span className="muted">
        knee {position + 1} of {total}
      </span>
      {session && (
        <span className="session-progress" data-testid="session-progress" data-done={done} data-total={total}>
          <meter min={0} max={Math.max(total, 1)} value={done} /> {done} / {total}
        </span>
      )}
    </div>
  );
}
