// Pairwise quadratic-weighted kappa between every two raters, as a symmetric heatmap.
import type { Report } from '../../../../shared/contract';
import { heatBackground, raterLabel } from './format';

export function PairwiseHeatmap({ report }: { report: Report }) {
  const keys = report.raters.map((r) => r.key);
  if (keys.length < 2) return null;
  const cell = (a: string, b: string) =>
    report.pairwise.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
  return (
    <figure className="heatmap" data-testid="report-pairwise-heatmap">
      <figcaption>Pairwise QWK</figcaption>
      <table className="heat-table">
        <thead>
          <tr>
            <th />
            {keys.map((k) => (
              <th key={k} className="heat-col-label">
                {raterLabel(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((a) => (
            <tr key={a}>
              <th>{raterLabel(a)}</th>
              {keys.map((b) => {
                if (a === b) return <td key={b} className="heat-cell heat-cell--self" />;
                const p = cell(a, b);
                const v = p?.qwk.value ?? null;
                return (
                  <td
                    key={b}
                    className="heat-cell"
                    style={{ background: heatBackground(v === null ? 0 : Math.max(0, v)) }}
                    title={p ? `n = ${p.n}` : 'no common knees'}
                  >
                    {v === null ? '—' : v.toFixed(2)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
