import path from 'node:path';
import { PHANTOM_NOTICE } from '../../phantoms';
import { importPhantomStudies, PHANTOM_TRUTH_SOURCE } from '../phantomStudies';
import type { DemoStep } from './types';

/** Step 1: generate phantom films, import them, store their ground truth as reference labels. */
export const phantomStudiesStep: DemoStep = {
  name: 'phantoms',
  description:
    'generate synthetic bilateral knee phantom films (DICOM) and import them with their true grades',
  async run(ctx) {
    const outDir = path.join(
      ctx.workDir,
      `phantoms-seed${ctx.seed}-n${ctx.count}${ctx.scale && ctx.scale !== 1 ? `-x${ctx.scale}` : ''}`,
    );
    ctx.log(`Generating ${ctx.count} PHANTOM films (${ctx.count * 2} knees) in ${outDir}`);
    ctx.log(PHANTOM_NOTICE);
    const r = await importPhantomStudies(ctx.db, {
      outDir,
      count: ctx.count,
      seed: ctx.seed,
      ...(ctx.scale ? { scale: ctx.scale } : {}),
      onGenerate: (done, total) => ctx.progress?.('generate', done, total),
      onImport: (p) => ctx.progress?.('import', p.done, p.total),
    });
    const gradeCounts = [0, 1, 2, 3, 4].map(
      (g) => r.films.flatMap((f) => f.knees).filter((k) => k.grade === g).length,
    );
    ctx.log(
      `Imported ${r.import.imported} PHANTOM films (${r.import.duplicates} already in the database), ${r.import.knees} knees; ` +
        `${r.truthLabels} true grades stored as reference labels '${PHANTOM_TRUTH_SOURCE}' (KL0-4: ${gradeCounts.join('/')})`,
    );
    for (const e of r.import.errors) ctx.log(`  error: ${e.path}: ${e.code}: ${e.reason}`);
    ctx.results.phantoms = {
      folder: outDir,
      films: r.films.length,
      imported: r.import.imported,
      duplicates: r.import.duplicates,
      knees: r.import.knees,
      truthLabels: r.truthLabels,
      gradeCounts,
      errors: r.import.errors,
    };
  },
};
