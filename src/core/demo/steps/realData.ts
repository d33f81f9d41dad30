import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPaths } from '../../import';
import type { DemoStep } from './types';

const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Where the real OAI knee crops live when the team's shared data sits beside the checkout. */
export function realKneeValDir(): string {
  return (
    process.env.KNEEGRADE_KNEE_KL_VAL ??
    path.resolve(APP_ROOT, '..', 'shared', 'data', 'knee-kl', 'kneeKL224-clahe', 'val')
  );
}

/** Up to `perGrade` files from each `<grade>/` folder, taken evenly through the sorted list. */
export function sampleByGrade(root: string, perGrade: number): string[] {
  const files: string[] = [];
  for (let g = 0; g <= 4; g++) {
    const dir = path.join(root, String(g));
    if (!existsSync(dir)) continue;
    const all = readdirSync(dir)
      .filter((f) => /\.(webp|png|jpe?g)$/i.test(f))
      .sort();
    const step = Math.max(1, all.length / perGrade);
    for (let i = 0; i < Math.min(perGrade, all.length); i++)
      files.push(path.join(dir, all[Math.floor(i * step)]!));
  }
  return files;
}

/**
 * Real radiographs, when available: a grade-stratified sample of the OAI validation crops (CLAHE
 * already applied, recorded so it is not applied twice) with their central-reader KL grades as
 * reference labels (source 'folder'). The models' figures on these knees mean something; on the
 * phantoms they do not.
 */
export const realDataStep: DemoStep = {
  name: 'real-data',
  description:
    'import a sample of the real OAI validation knee crops with their KL grades (when ../shared is present)',
  async run(ctx) {
    const root = realKneeValDir();
    if (!existsSync(root)) {
      ctx.log(`Real OAI knee crops not found at ${root}: skipping (the demo runs on phantoms only).`);
      ctx.results['real-data'] = { knees: 0 };
      return;
    }
    const perGrade = Number(process.env.KNEEGRADE_DEMO_REAL_PER_GRADE ?? 30);
    const files = sampleByGrade(root, perGrade);
    const r = await importPaths(ctx.db, files, {
      folderLabels: true,
      alreadyClahe: true,
      onProgress: (p) => ctx.progress?.('import OAI crops', p.done, p.total),
    });
    ctx.log(
      `Imported ${r.imported} real OAI knee crops (${r.duplicates} already there, ${r.errors.length} failed) from ${root}, ` +
        `up to ${perGrade} per KL grade, with ${r.labels} reference labels (source 'folder'; Chen 2018, CC BY 4.0, OAI).`,
    );
    for (const e of r.errors) ctx.log(`  ${e.path}: ${e.reason}`);
    ctx.results['real-data'] = { knees: r.knees, labels: r.labels };
  },
};
