// kneegrade predict — run the grading models (end-to-end, and embedding heads) over knees, storing
// each prediction with the model's sha256, the knee's pixel hash and the crop; cached ones are skipped.
import type { Command } from 'commander';
import { runInference } from '../../core/inference/api';
import { addBatchRunOptions, runBatchCommand, type BatchRunCliOptions } from './batch-run';

export function register(program: Command): void {
  addBatchRunOptions(
    program
      .command('predict')
      .description(
        'grade knees with the AI models (only knees without a stored prediction for their current pixels and crop)',
      ),
    {
      model: 'comma-separated model names (default: every installed grading model)',
      force: 'recompute even when a prediction is stored',
    },
  ).action((opts: BatchRunCliOptions, cmd: Command) => runBatchCommand(cmd, opts, 'predicted', runInference));
}
