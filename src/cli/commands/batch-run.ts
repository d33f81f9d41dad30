// What `kneegrade predict` and `kneegrade embed` share: the same selection options, the same
// validation, and the same run loop (database, worker host, progress bar, Ctrl+C cancels, exit 4 when
// some knees failed). Each command only chooses which engine function runs.
import type { Command } from 'commander';
import type { RunInferenceOptions, RunInferenceResult } from '../../core/inference/api';
import { CliError, EXIT } from '../context';
import { cancelOnSigint, globals, makeHost, modelRootsOf, openDb, out, progressBar } from './models';

export interface BatchRunCliOptions {
  model?: string;
  study?: string;
  knee?: string;
  force?: boolean;
  batch: string;
  provider: string;
  threads?: string;
}

export function parseIds(v: string | undefined, what: string): number[] | undefined {
  if (v === undefined) return undefined;
  const ids = v.split(',').map((s) => Number(s.trim()));
  if (ids.some((n) => !Number.isInteger(n) || n <= 0))
    throw new CliError(`${what} must be comma-separated positive ids (got '${v}')`, EXIT.USAGE);
  return ids;
}

export function summaryText(verb: string, r: RunInferenceResult): string {
  const lines: string[] = [];
  for (const s of r.runs) {
    const fb = 'fallbackReason' in s && s.fallbackReason ? ` (${s.fallbackReason})` : '';
    const did = s.approach === 'embedding' ? 'embedded' : verb;
    lines.push(
      `${s.model}: ${s.computed} ${did}, ${s.cached} already stored, ${s.failures.length} failed${s.cancelled ? ', cancelled' : ''}; ${s.provider ? `provider ${s.provider}` : 'nothing computed'}${fb}`,
    );
  }
  if (r.runs.length === 0) lines.push('no models to run (kneegrade models list)');
  for (const f of r.failures) lines.push(`  knee ${f.kneeId} [${f.model}]: ${f.reason}`);
  return lines.join('\n');
}

/** The selection and execution options of a batch run. */
export function addBatchRunOptions(cmd: Command, text: { model: string; force: string }): Command {
  return cmd
    .option('--model <names>', text.model)
    .option('--study <id>', 'only the knees of this study')
    .option('--knee <ids>', 'only these knees (comma-separated ids)')
    .option('--force', text.force)
    .option('--batch <n>', 'images per onnxruntime run', '16')
    .option('--provider <p>', 'execution provider: auto (CUDA when available, else CPU), cpu, cuda', 'auto')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)');
}

/** Validate the options, run `engine` over the selection, print the summary, and always clean up. */
export async function runBatchCommand(
  cmd: Command,
  opts: BatchRunCliOptions,
  verb: string,
  engine: (o: RunInferenceOptions) => Promise<RunInferenceResult>,
): Promise<void> {
  const g = globals(cmd);
  const studyId = parseIds(opts.study, '--study')?.[0];
  const kneeIds = parseIds(opts.knee, '--knee');
  const batch = Number(opts.batch);
  if (!Number.isInteger(batch) || batch < 1)
    throw new CliError('--batch must be a positive integer', EXIT.USAGE);
  const db = openDb(g);
  const host = makeHost(opts);
  const bar = progressBar(g);
  const sig = cancelOnSigint();
  try {
    const r = await engine({
      db,
      host,
      roots: modelRootsOf(g),
      ...(opts.model ? { models: opts.model.split(',').map((s) => s.trim()) } : {}),
      ...(studyId !== undefined ? { studyId } : {}),
      ...(kneeIds ? { kneeIds } : {}),
      ...(opts.force ? { force: true } : {}),
      batchSize: batch,
      signal: sig.signal,
      onProgress: bar.update,
    });
    bar.stop();
    out(g, r, () => summaryText(verb, r));
    if (r.failures.length > 0 || r.cancelled) process.exitCode = EXIT.PARTIAL;
  } finally {
    bar.stop();
    sig.dispose();
    await host.close();
    db.close();
  }
}
