// kneegrade embed — run embedding models (e.g. the BioMedCLIP image encoder) over knees and store the
// vectors; `kneegrade head train` learns a classifier on them.
import type { Command } from 'commander';
import { runEmbeddings } from '../../core/inference/api';
import { listModels } from '../../core/inference/registry';
import { CliError, EXIT } from '../context';
import {
  cancelOnSigint,
  EMBEDDING_INSTALL_HINT,
  globals,
  makeHost,
  modelRootsOf,
  openDb,
  out,
  progressBar,
} from './models';
import { parseIds, summaryText } from './predict';

export function register(program: Command): void {
  program
    .command('embed')
    .description('compute and store knee embeddings with the installed embedding models')
    .option('--model <names>', 'comma-separated embedding model names (default: every installed one)')
    .option('--study <id>', 'only the knees of this study')
    .option('--knee <ids>', 'only these knees (comma-separated ids)')
    .option('--force', 'recompute even when an embedding is stored')
    .option('--batch <n>', 'images per onnxruntime run', '16')
    .option('--provider <p>', 'auto, cpu or cuda', 'auto')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .action(
      async (
        opts: {
          model?: string;
          study?: string;
          knee?: string;
          force?: boolean;
          batch: string;
          provider: string;
          threads?: string;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const roots = modelRootsOf(g);
        if (!opts.model && !(await listModels(roots)).some((e) => e.ok && e.card.approach === 'embedding'))
          throw new CliError(
            `the embedding approach is not installed; install it with: ${EMBEDDING_INSTALL_HINT}`,
          );
        const studyId = parseIds(opts.study, '--study')?.[0];
        const kneeIds = parseIds(opts.knee, '--knee');
        const db = openDb(g);
        const host = makeHost(opts);
        const bar = progressBar(g);
        const sig = cancelOnSigint();
        try {
          const r = await runEmbeddings({
            db,
            host,
            roots,
            ...(opts.model ? { models: opts.model.split(',').map((s) => s.trim()) } : {}),
            ...(studyId !== undefined ? { studyId } : {}),
            ...(kneeIds ? { kneeIds } : {}),
            ...(opts.force ? { force: true } : {}),
            batchSize: Number(opts.batch),
            signal: sig.signal,
            onProgress: bar.update,
          });
          bar.stop();
          out(g, r, () => summaryText('embedded', r));
          if (r.failures.length > 0 || r.cancelled) process.exitCode = EXIT.PARTIAL;
        } finally {
          bar.stop();
          sig.dispose();
          await host.close();
          db.close();
        }
      },
    );
}
