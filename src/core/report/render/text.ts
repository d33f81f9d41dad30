// The report as aligned plain text (the CLI's default output; also handy to paste into a draft).
import { formatEstimate, formatNumber } from '../format';
import type { Report } from '../types';

/** Left-align the first `leftCols` columns, right-align the rest, two spaces between columns. */
export function alignTable(rows: string[][], leftCols = 1): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => {
          const pad = ' '.repeat(widths[i]! - [...c].length);
          return i < leftCols ? c + pad : pad + c;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderText(report: Report): string {
  const a = report.analysis;
  const out: string[] = [];
  const h = (title: string): void => {
    out.push('', title, '-'.repeat(title.length));
  };
  const ref = report.reference;
  out.push(report.title, '='.repeat(report.title.length));
  out.push(
    `Generated ${report.generatedAt} from ${report.source.kind}${report.source.path ? ` ${report.source.path}` : ''}`,
  );
  out.push(`Reference: ${ref.description}`);
  out.push(
    `Knees: ${ref.knees}; with a reference: ${ref.kneesWithReference} (${a.patientsWithReference} patients)`,
  );
  for (const e of ref.excluded) out.push(`  left out: ${e.count} knee(s), ${e.reason}`);
  out.push(`Reference grades: ${ref.distribution.map((n, g) => `KL${g} ${n}`).join(', ')}`);
  const conf = Math.round(a.bootstrap.confidence * 100);
  out.push(
    a.bootstrap.resamples
      ? `Intervals: ${conf}% percentile bootstrap, ${a.bootstrap.resamples} resamples of ${a.patients} patients (seed ${a.bootstrap.seed}); a patient's knees are resampled together`
      : 'Intervals: none (bootstrap off)',
  );

  h('Agreement with the reference');
  const t = report.studyTable;
  const rows: string[][] = [['', '', ...t.columns.map((c) => `${c.name} (${c.kind})`)]];
  let last = '';
  for (const r of t.rows) {
    rows.push([
      r.section === last ? '' : r.section,
      r.label,
      ...r.cells.map((c) => formatEstimate(c, r.format)),
    ]);
    last = r.section;
  }
  out.push(alignTable(rows, 2));

  if (a.differences.length) {
    h('Paired differences (a minus b, same reference, knees all three graded)');
    const d: string[][] = [['a − b', 'n', 'QWK', 'p', 'Exact accuracy', 'p', 'MAE', 'p']];
    for (const x of a.differences)
      d.push([
        `${x.a} − ${x.b}`,
        String(x.n),
        formatEstimate(x.metrics.qwk, 'decimal'),
        formatNumber(x.metrics.qwk.p, 'decimal'),
        formatEstimate(x.metrics.exactAccuracy, 'decimal'),
        formatNumber(x.metrics.exactAccuracy.p, 'decimal'),
        formatEstimate(x.metrics.mae, 'decimal'),
        formatNumber(x.metrics.mae.p, 'decimal'),
      ]);
    out.push(alignTable(d));
  }

  if (a.multiRater.length) {
    h('Agreement among several raters');
    const m: string[][] = [
      ['Group', 'Fleiss κ', 'n', "Light's κ", 'n', 'Kripp. α ordinal', 'α interval', 'α nominal', 'units'],
    ];
    for (const g of a.multiRater)
      m.push([
        `${g.label}: ${g.raters.join(', ')}`,
        formatEstimate(g.fleiss.kappa, 'decimal'),
        String(g.fleiss.n),
        formatNumber(g.light.kappa, 'decimal'),
        String(g.light.n),
        formatEstimate(g.alpha.ordinal, 'decimal'),
        formatEstimate(g.alpha.interval, 'decimal'),
        formatEstimate(g.alpha.nominal, 'decimal'),
        String(g.alpha.units),
      ]);
    out.push(alignTable(m));
    out.push(
      "Fleiss' and Light's kappa use the knees every rater in the group graded; alpha uses every knee with two or more grades.",
    );
  }

  h('Pairwise quadratic weighted kappa (knees both graded)');
  const pw = a.pairwise;
  out.push(
    alignTable([
      ['', ...pw.raters],
      ...pw.raters.map((r, i) => [
        r,
        ...pw.qwk[i]!.map((v, j) => (i === j ? '—' : `${formatNumber(v, 'decimal')} (${pw.n[i]![j]})`)),
      ]),
    ]),
  );

  h('Confusion matrices (rows: reference grade, columns: rater grade)');
  for (const v of a.vsReference) {
    out.push('', `${v.rater} (n = ${v.n})`);
    out.push(
      alignTable([
        ['ref \\ rater', 'KL0', 'KL1', 'KL2', 'KL3', 'KL4'],
        ...v.confusion.map((row, g) => [`KL${g}`, ...row.map((c) => String(c))]),
      ]),
    );
  }

  if (a.intraReader.length) {
    h('Intra-reader agreement (re-reads)');
    const r: string[][] = [['Reader', 'First', 'Second', 'n', 'QWK', 'Exact', 'Adjacent', "Cohen's κ"]];
    for (const x of a.intraReader)
      r.push([
        x.reader,
        x.first,
        x.second,
        String(x.n),
        formatEstimate(x.metrics.qwk, 'decimal'),
        formatEstimate(x.metrics.exactAccuracy, 'decimal'),
        formatEstimate(x.metrics.adjacentAccuracy, 'decimal'),
        formatEstimate(x.metrics.kappa, 'decimal'),
      ]);
    out.push(alignTable(r, 3));
  }

  if (report.notes.length) {
    h('Notes');
    for (const n of report.notes) out.push(`* ${n}`);
  }
  if (report.warnings.length) {
    h(`Warnings (${report.warnings.length})`);
    for (const w of report.warnings.slice(0, 50)) out.push(`! ${w}`);
    if (report.warnings.length > 50)
      out.push(`! ... and ${report.warnings.length - 50} more (see the JSON output)`);
  }
  out.push(
    'n/a: undefined on these data (e.g. a kappa when every grade is the same, a precision for a grade the rater never used).',
  );
  return out.join('\n') + '\n';
}
