// kneegrade embed — run embedding models (e.g. the BioMedCLIP image encoder) over knees and store the
// vectors; `kneegrade head train` learns a classifier on them.
import type { Command } from 'commander';
import { runEmbeddings } from '../../core/inference/api';
import { listModels } from '../../core/inference/registry';
import { CliError } from '../context';
import { addBatchRunOptions, runBatchCommand, type BatchRunCliOptions } from './batch-run';
import { EMBEDDING_INSTALL_HINT, globals, modelRootsOf } from './models';

export function register(program: Command): void {
  addBatchRunOptions(
    program
      .command('embed')
      .description('compute and store knee embeddings with the installed embedding models'),
    {
      model: 'comma-separated embedding model names (default: every installed one)',
      force: 'recompute even when an embedding is stored',
    },
  ).action(async (opts: BatchRunCliOptions, cmd: Command) => {
    const roots = modelRootsOf(globals(cmd));
    if (!opts.model && !(await listModels(roots)).some((e) => e.ok && e.card.approach === 'embedding'))
      throw new CliError(
        `the embedding approach is not installed; install it with: ${EMBEDDING_INSTALL_HINT}`,
      );
    await runBatchCommand(cmd, opts, 'embedded', runEmbeddings);
  });
}
