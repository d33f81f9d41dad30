// Each rater against the reference.
import type { Report } from '../../../../shared/contract';
import { fmtNum, fmtPct, fmtStat, raterLabel } from './format';

export function AgreementTable({ report }: { report: Report }) {
  return (
    <table className="table" data-testid="report-table">
      <caption>
        Against the reference ({report.referenceSource ?? 'none'}), 95 % confidence intervals in brackets
      </caption>
      <thead>
        <tr>
          <th>Rater</th>
          <th className="num">n</th>
          <th className="num">QWK</th>
          <th className="num">Linear κ</th>
          <th className="num">Exact</th>
          <th className="num">Within 1</th>
          <th className="num">MAE</th>
        </tr>
      </thead>
      <tbody>
        {report.vsReference.map((r) => (
          <tr key={r.rater} data-rater={r.rater}>
            <td>{raterLabel(r.rater)}</td>
            <td className="num">{r.n}</td>
            <td className="num">{fmtStat(r.qwk)}</td>
            <td className="num">{fmtStat(r.linearKappa)}</td>
            <td className="num">{fmtPct(r.exactAccuracy)}</td>
            <td className="num">{fmtPct(r.adjacentAccuracy)}</td>
            <td className="num">{fmtNum(r.mae)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PairwiseTable({ report }: { report: Report }) {
  if (report.pairwise.length === 0) return null;
  return (
    <table className="table" data-testid="report-pairwise-table">
      <caption>Between raters, on the knees both graded</caption>
      <thead>
        <tr>
          <th>Rater A</th>
          <th>Rater B</th>
          <th className="num">n</th>
          <th className="num">QWK</th>
          <th className="num">Exact agreement</th>
        </tr>
      </thead>
      <tbody>
        {report.pairwise.map((p) => (
          <tr key={`${p.a}|${p.b}`}>
            <td>{raterLabel(p.a)}</td>
            <td>{raterLabel(p.b)}</td>
            <td className="num">{p.n}</td>
            <td className="num">{fmtStat(p.qwk)}</td>
            <td className="num">{fmtPct(p.exactAgreement)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
