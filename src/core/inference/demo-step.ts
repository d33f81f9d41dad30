// The `kneegrade demo` step that runs every installed model on the sample (phantom) studies. It lives
// with the engine; the demo registers it in src/core/demo/steps/index.ts before the summary step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoStep } from '../demo/steps/types';
import { defaultModelRoots } from '../services/host';
import { runInference } from './api';
import { InferenceHost } from './host';
import { listModels } from './registry';

const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const modelsDemoStep: DemoStep = {
  name: 'models',
  description:
    'run every installed AI model on the sample studies (predictions stored with model sha256, pixels and crop)',
  async run(ctx) {
    const roots = defaultModelRoots(APP_ROOT, ctx.dbPath);
    if (process.env.KNEEGRADE_DEFAULT_MODELS) roots.defaults = process.env.KNEEGRADE_DEFAULT_MODELS;
    const entries = await listModels(roots);
    const grading = entries.filter(
      (e) => e.ok && (e.card.approach === 'end-to-end' || e.card.approach === 'embedding-head'),
    );
    for (const e of entries)
      if (!e.ok) ctx.log(`  model ${e.name}: ${e.notInstalled ? 'not installed' : 'refused'} (${e.reason})`);
    if (grading.length === 0) {
      ctx.log('No AI models installed: skipping predictions (kneegrade models list).');
      ctx.results.models = { models: 0 };
      return;
    }
    const host = new InferenceHost();
    try {
      const r = await runInference({
        db: ctx.db,
        host,
        roots,
        onProgress: (p) => ctx.progress?.(`predict ${p.model ?? ''}`, p.done, p.total),
      });
      for (const s of r.runs) {
        const grades = (
          ctx.db
            .prepare(
              `SELECT p.klg, COUNT(*) AS n FROM predictions p JOIN models m ON m.id = p.model_id
               WHERE m.name = ? AND p.id IN (SELECT MAX(id) FROM predictions GROUP BY model_id, knee_id) GROUP BY p.klg`,
            )
            .all(s.model) as { klg: number; n: number }[]
        ).reduce((a, g) => ((a[g.klg] = g.n), a), [0, 0, 0, 0, 0]);
        ctx.log(
          `Model ${s.model} (${s.approach}): ${s.computed} knees graded, ${s.cached} already stored, ${s.failures.length} failed, ` +
            `on ${s.provider ?? 'no provider (nothing computed)'}; grades KL0-4: ${grades.join('/')}`,
        );
        for (const f of s.failures) ctx.log(`  knee ${f.kneeId}: ${f.reason}`);
      }
      ctx.log(
        '(The models were trained on real OAI radiographs; their grades of PHANTOM films show the pipeline, not accuracy.)',
      );
      ctx.results.models = { computed: r.computed, cached: r.cached, failures: r.failures, runs: r.runs };
    } finally {
      await host.close();
    }
  },
};
