// One model's per-grade probabilities as horizontal bars, the predicted grade highlighted.

export function ProbabilityBars({ probs, klg }: { probs: number[]; klg: number }) {
  return (
    <div
      className="prob-bars"
      role="img"
      aria-label={`Probabilities ${probs.map((p, g) => `KL${g} ${Math.round(p * 100)}%`).join(', ')}`}
    >
      {probs.map((p, g) => (
        <div key={g} className={g === klg ? 'prob-row prob-row--top' : 'prob-row'}>
          <span className="prob-grade">{g}</span>
          <span className="prob-track">
            <span className="prob-fill" style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
          </span>
          <span className="prob-value">{(p * 100).toFixed(p >= 0.995 || p < 0.1 ? 1 : 0)} %</span>
        </div>
      ))}
    </div>
  );
}
