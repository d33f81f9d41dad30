import { Command, CommanderError } from 'commander';
import { DatabaseTooNewError } from '../core/db/migrate';
import { CliError, EXIT } from './context';
import { register as importCmd } from './commands/import';
import { register as studiesCmd } from './commands/studies';
import { register as kneesCmd } from './commands/knees';
import { register as renderCmd } from './commands/render';
import { register as exportCmd } from './commands/export';
import { register as phantomsCmd } from './commands/phantoms';
import { register as demoCmd } from './commands/demo';
import { register as readersCmd } from './commands/readers';
import { register as gradeCmd } from './commands/grade';
import { register as sessionsCmd } from './commands/sessions';
import { register as reportCmd } from './commands/report';
import { register as agreementCmd } from './commands/agreement';
import { register as modelsCmd } from './commands/models';
import { register as predictCmd } from './commands/predict';
import { register as embedCmd } from './commands/embed';
import { register as headCmd } from './commands/head';
import { register as explainCmd } from './commands/explain';

/** Build the program. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('kneegrade')
    .description(
      'KneeGrade: Kellgren-Lawrence grading of knee radiographs by readers and AI models, and their agreement.',
    )
    .option(
      '--db <path>',
      'study database file (default: the desktop app’s database in your user data folder)',
    )
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError()
    .exitOverride();
  importCmd(program);
  studiesCmd(program);
  kneesCmd(program);
  renderCmd(program);
  exportCmd(program);
  phantomsCmd(program);
  demoCmd(program);
  readersCmd(program);
  gradeCmd(program);
  sessionsCmd(program);
  reportCmd(program);
  agreementCmd(program);
  modelsCmd(program);
  predictCmd(program);
  embedCmd(program);
  headCmd(program);
  explainCmd(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (e instanceof DatabaseTooNewError) {
      process.stderr.write(`kneegrade: ${e.message}\n`);
      return EXIT.DB_TOO_NEW;
    }
    if (e instanceof CliError) {
      process.stderr.write(`kneegrade: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`kneegrade: ${err.message}\n`);
    if (process.env.KNEEGRADE_DEBUG) process.stderr.write(`${err.stack}\n`);
    return EXIT.FAIL;
  }
}
