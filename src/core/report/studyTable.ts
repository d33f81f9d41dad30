// THE study table (the layout of the published comparison): per rater, in columns, precision / recall /
// F1 for KL0..KL4, then adjacent accuracy and QWK, then exact accuracy, MAE, linear and unweighted
// kappa and the F1 averages. Every renderer (text, CSV, JSON, HTML, the app) takes its rows from here.
import type { AgreementAnalysis, Estimate, MetricKey } from '../stats';
import type { CellFormat, StudyTable, StudyTableRow } from './types';

const OVERALL: { metric: MetricKey; label: string; format: CellFormat }[] = [
  { metric: 'adjacentAccuracy', label: 'Adjacent accuracy (|Δ| ≤ 1)', format: 'proportion' },
  { metric: 'qwk', label: 'Quadratic weighted kappa', format: 'decimal' },
  { metric: 'exactAccuracy', label: 'Exact accuracy', format: 'proportion' },
  { metric: 'mae', label: 'Mean absolute error (grades)', format: 'decimal' },
  { metric: 'linearKappa', label: 'Linear weighted kappa', format: 'decimal' },
  { metric: 'kappa', label: "Cohen's kappa (unweighted)", format: 'decimal' },
  { metric: 'macroF1', label: 'Macro F1', format: 'decimal' },
  { metric: 'weightedF1', label: 'Support-weighted F1', format: 'decimal' },
];

export function buildStudyTable(a: AgreementAnalysis): StudyTable {
  const rows: StudyTableRow[] = [];
  const count = (n: number): Estimate => ({ value: n, lo: null, hi: null });
  for (let g = 0; g < 5; g++) {
    const section = `KL${g}`;
    for (const [metric, label] of [
      ['precision', 'Precision'],
      ['recall', 'Recall'],
      ['f1', 'F1'],
    ] as const)
      rows.push({
        section,
        metric,
        label,
        format: 'decimal',
        cells: a.vsReference.map((v) => v.perGrade[g]![metric]),
      });
    rows.push({
      section,
      metric: 'support',
      label: 'Support (reference)',
      format: 'count',
      cells: a.vsReference.map((v) => count(v.perGrade[g]!.support)),
    });
  }
  for (const o of OVERALL)
    rows.push({
      section: 'overall',
      metric: o.metric,
      label: o.label,
      format: o.format,
      cells: a.vsReference.map((v) => v.metrics[o.metric]),
    });
  rows.push({
    section: 'overall',
    metric: 'n',
    label: 'Knees compared',
    format: 'count',
    cells: a.vsReference.map((v) => count(v.n)),
  });
  rows.push({
    section: 'overall',
    metric: 'missing',
    label: 'Knees with reference, not graded',
    format: 'count',
    cells: a.vsReference.map((v) => count(v.missing)),
  });
  return { columns: a.vsReference.map((v) => ({ name: v.rater, kind: v.kind, n: v.n })), rows };
}
