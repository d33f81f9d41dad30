// CSV outputs: every figure of the report in one tidy long table, and the study table as laid out.
import { stringify } from 'csv-stringify/sync';
import type { Estimate } from '../../stats';
import { formatEstimate } from '../format';
import type { Report } from '../types';

const csv = (rows: (string | number | null)[][]): string =>
  // escape_formulas: a rater called "=HYPERLINK(...)" must not become a formula in a spreadsheet.
  stringify(rows, { escape_formulas: true, record_delimiter: 'unix' });

export const TIDY_HEADER = [
  'table',
  'rater',
  'versus',
  'row',
  'metric',
  'value',
  'ci_low',
  'ci_high',
  'n',
] as const;

/** One row per figure: table, rater, versus (the reference / other rater), row, metric, value, interval, n. */
export function renderTidyCsv(report: Report): string {
  const a = report.analysis;
  const rows: (string | number | null)[][] = [[...TIDY_HEADER]];
  const est = (e: Estimate): (number | null)[] => [e.value, e.lo, e.hi];
  const ref = report.reference.name;
  for (const r of report.studyTable.rows)
    r.cells.forEach((c, i) => {
      const col = report.studyTable.columns[i]!;
      rows.push(['study', col.name, ref, r.section, r.metric, ...est(c), col.n]);
    });
  for (const v of a.vsReference)
    v.confusion.forEach((row, g) =>
      row.forEach((count, h) =>
        rows.push(['confusion', v.rater, ref, `KL${g}`, `KL${h}`, count, null, null, v.n]),
      ),
    );
  a.pairwise.raters.forEach((x, i) =>
    a.pairwise.raters.forEach((y, j) => {
      if (i !== j)
        rows.push(
          [
            'pairwise',
            x,
            y,
            '',
            'qwk',
            a.pairwise.qwk[i]![j]!,
            a.pairwise.qwkLo[i]![j]!,
            a.pairwise.qwkHi[i]![j]!,
            a.pairwise.n[i]![j]!,
          ],
          [
            'pairwise',
            x,
            y,
            '',
            'exactAgreement',
            a.pairwise.exact[i]![j]!,
            null,
            null,
            a.pairwise.n[i]![j]!,
          ],
        );
    }),
  );
  for (const d of a.differences)
    for (const [metric, e] of Object.entries(d.metrics))
      rows.push(
        ['difference', d.a, d.b, ref, metric, ...est(e), d.n],
        ['difference', d.a, d.b, ref, `${metric}_p`, e.p, null, null, d.n],
      );
  for (const g of a.multiRater) {
    const who = g.raters.join(' | ');
    rows.push(['multirater', who, '', g.label, 'fleiss_kappa', ...est(g.fleiss.kappa), g.fleiss.n]);
    rows.push(['multirater', who, '', g.label, 'light_kappa', g.light.kappa, null, null, g.light.n]);
    rows.push(['multirater', who, '', g.label, 'alpha_ordinal', ...est(g.alpha.ordinal), g.alpha.units]);
    rows.push(['multirater', who, '', g.label, 'alpha_interval', ...est(g.alpha.interval), g.alpha.units]);
    rows.push(['multirater', who, '', g.label, 'alpha_nominal', ...est(g.alpha.nominal), g.alpha.units]);
  }
  for (const x of a.intraReader)
    for (const [metric, e] of Object.entries(x.metrics))
      rows.push(['intra_reader', x.reader, x.second, x.first, metric, ...est(e), x.n]);
  return csv(rows);
}

/** The study table as in the paper: metrics in rows, raters in columns, "value (low–high)" cells. */
export function renderStudyTableCsv(report: Report): string {
  const t = report.studyTable;
  const rows: string[][] = [['section', 'metric', ...t.columns.map((c) => c.name)]];
  for (const r of t.rows) rows.push([r.section, r.label, ...r.cells.map((c) => formatEstimate(c, r.format))]);
  return csv(rows);
}
