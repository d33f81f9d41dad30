// import:run and import:samplePhantoms over the import module (src/core/import): progress as
// 'import:progress' events, cancellable by job id; bad files are listed with the reason, the rest
// goes on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ImportSummary, ParsedInput } from '../../shared/contract';
import { importPaths, type ImportResult } from '../import';
import type { ServiceContext } from './context';

function summarise(jobId: string | null, r: ImportResult): ImportSummary {
  return {
    jobId,
    batchId: r.batchId,
    files: r.files,
    imported: r.imported,
    duplicates: r.duplicates,
    knees: r.knees,
    labels: r.labels,
    cancelled: r.cancelled,
    errors: r.errors.map((e) => ({ path: e.path, code: e.code, reason: e.reason })),
  };
}

async function runImport(
  ctx: ServiceContext,
  jobId: string | undefined,
  paths: string[],
  labelsCsv?: string,
): Promise<ImportSummary> {
  const job = ctx.jobs.start(jobId);
  try {
    const r = await importPaths(ctx.db, paths, {
      ...(labelsCsv ? { labelsCsv } : {}),
      signal: job.signal,
      onProgress: (p) => ctx.emit('import:progress', { jobId: jobId ?? null, ...p }),
    });
    if (r.imported > 0 || r.labels > 0) {
      ctx.emit('data:changed', { what: 'studies' });
      ctx.emit('data:changed', { what: 'knees' });
    }
    return summarise(jobId ?? null, r);
  } finally {
    job.done();
  }
}

export async function importRun(
  input: ParsedInput<'import:run'>,
  ctx: ServiceContext,
): Promise<ImportSummary> {
  return runImport(ctx, input.jobId, input.paths, input.labelsCsv);
}

/**
 * Synthetic bilateral knee films with ground-truth grades (reference source 'csv:truth.csv'), written
 * once per (count, seed) into the work folder and imported; importing them again is a no-op (de-dup).
 */
export async function importSamplePhantoms(
  input: ParsedInput<'import:samplePhantoms'>,
  ctx: ServiceContext,
): Promise<ImportSummary> {
  const { generatePhantoms, TRUTH_FILE } = await import('../phantoms');
  const dir = path.join(ctx.workDir, 'phantoms', `seed${input.seed}-n${input.count}`);
  const truth = path.join(dir, TRUTH_FILE);
  if (!existsSync(truth)) {
    await generatePhantoms({
      outDir: dir,
      count: input.count,
      seed: input.seed,
      // Writing the films is most of the wait: show it as progress too.
      onProgress: (done, total, file) =>
        ctx.emit('import:progress', {
          jobId: input.jobId ?? null,
          done,
          total,
          path: file,
          imported: 0,
          errors: 0,
        }),
    });
  }
  return runImport(ctx, input.jobId, [dir], truth);
}
