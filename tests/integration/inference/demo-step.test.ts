import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoContext } from '../../../src/core/demo/steps/types';
import { modelsDemoStep } from '../../../src/core/inference/demo-step';
import { buildKneeDb, type KneeDb } from './db-fixture';

let k: KneeDb | undefined;
afterAll(() => {
  k?.db.close();
  if (k) rmSync(k.dir, { recursive: true, force: true });
});

describe('demo step: every installed model on the sample studies', () => {
  it('grades every knee with each grading model and reports it', async () => {
    process.env.KNEEGRADE_DEFAULT_MODELS = path.resolve(__dirname, '../../fixtures/models');
    k = await buildKneeDb(2);
    const lines: string[] = [];
    const ctx: DemoContext = {
      db: k.db,
      dbPath: path.join(k.dir, 'study.db'),
      workDir: k.dir,
      count: 2,
      seed: 1,
      log: (l) => lines.push(l),
      results: {},
    };
    await modelsDemoStep.run(ctx);
    expect(
      lines.some((l) =>
        l.startsWith('Model tiny-kl (end-to-end): 4 knees graded, 0 already stored, 0 failed, on cpu'),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('Model tiny-region (end-to-end): 4 knees graded'))).toBe(true);
    expect(ctx.results.models).toMatchObject({ computed: 8, failures: [] });
    // Run again: everything is already stored.
    await modelsDemoStep.run(ctx);
    expect(ctx.results.models).toMatchObject({ computed: 0, cached: 8 });
  });
});
