// A 5×5 confusion matrix (reference rows, rater columns) as a heatmap, cells shaded by row share so
// each reference grade reads on its own.
import { heatBackground } from './format';

export function ConfusionHeatmap({
  title,
  matrix,
  rowLabel,
  colLabel,
}: {
  title: string;
  matrix: number[][];
  rowLabel: string;
  colLabel: string;
}) {
  return (
    <figure className="heatmap" data-testid="report-heatmap">
      <figcaption>{title}</figcaption>
      <table className="heat-table">
        <thead>
          <tr>
            <th className="heat-corner">
              {rowLabel} ↓ / {colLabel} →
            </th>
            {matrix.map((_, j) => (
              <th key={j}>{j}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={i}>
                <th>{i}</th>
                {row.map((n, j) => (
                  <td
                    key={j}
                    className={i === j ? 'heat-cell heat-cell--diag' : 'heat-cell'}
                    style={{ background: heatBackground(total ? n / total : 0) }}
                    title={`${rowLabel} ${i}, ${colLabel} ${j}: ${n}`}
                  >
                    {n || ''}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
