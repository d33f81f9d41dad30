import path from 'node:path';
import { buildReportFromDb, renderHtml, renderText } from '../../report';
import { PHANTOM_TRUTH_SOURCE } from '../phantomStudies';
import type { DemoStep } from './types';

/**
 * The agreement table the study reported (per-grade precision/recall/F1, adjacent accuracy, QWK, with
 * patient-level bootstrap CIs) for every model, against each reference the demo holds: the real OAI
 * grades when they were imported, and the phantoms' true grades.
 */
export const agreementStep: DemoStep = {
  name: 'agreement',
  description: 'print the agreement table of every model against the reference labels',
  async run(ctx) {
    const sources = ctx.db
      .prepare('SELECT source, COUNT(*) AS n FROM reference_labels GROUP BY source ORDER BY source')
      .all() as { source: string; n: number }[];
    const hasPredictions =
      (ctx.db.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n > 0;
    const hasGrades = (ctx.db.prepare('SELECT COUNT(*) AS n FROM grade_events').get() as { n: number }).n > 0;
    if (!hasPredictions && !hasGrades) {
      ctx.log('No model predictions or reader grades: no agreement table to show.');
      return;
    }
    // Real data first: that is the table that means something.
    const ordered = [...sources].sort(
      (a, b) => Number(a.source === PHANTOM_TRUTH_SOURCE) - Number(b.source === PHANTOM_TRUTH_SOURCE),
    );
    const written: string[] = [];
    for (const s of ordered) {
      const label =
        s.source === PHANTOM_TRUTH_SOURCE
          ? 'PHANTOM films, true grades'
          : `real OAI knee crops, reference '${s.source}'`;
      const report = buildReportFromDb(ctx.db, {
        reference: { kind: 'labels', source: s.source },
        title: `KneeGrade demo: ${label}`,
        bootstrap: { resamples: 1000 },
      });
      ctx.log('');
      ctx.log(`=== Agreement with the reference: ${label} (${s.n} knees) ===`);
      for (const line of renderText(report).split('\n')) ctx.log(line);
      const html = path.join(ctx.workDir, `report-${s.source.replace(/[^a-z0-9-]+/gi, '_')}.html`);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(html, renderHtml(report));
      written.push(html);
    }
    if (written.length) ctx.log(`HTML reports: ${written.join(', ')}`);
    ctx.results.agreement = { reports: written };
  },
};
