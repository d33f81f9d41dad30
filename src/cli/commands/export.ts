import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportLabelledCsvWithStats } from '../../core/export';
import { CliError, type GlobalOptions } from '../context';
import { openExistingDb } from './report';

export function register(program: Command): void {
  program
    .command('export')
    .description(
      'labelled CSV, one row per knee: identifiers (pseudonyms unless --include-identifiers), side, image sha256, ' +
        "reference labels, each reader's latest grade and session, each model's grade and probabilities",
    )
    .option('-o, --out <file>', 'write here (default: standard output)')
    .option(
      '--include-identifiers',
      'keep patient id, name, birth date, UIDs, dates and file paths (default: de-identified)',
    )
    .option('--readers <names>', 'readers to include (comma-separated; default: every reader with a grade)')
    .option('--models <names>', 'models to include (comma-separated; default: every model with a prediction)')
    .action(
      (
        o: { out?: string; includeIdentifiers?: boolean; readers?: string; models?: string },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const db = openExistingDb(globals);
        const list = (s?: string): string[] | undefined =>
          s
            ?.split(',')
            .map((x) => x.trim())
            .filter(Boolean);
        try {
          const readers = list(o.readers);
          const models = list(o.models);
          const res = exportLabelledCsvWithStats(db, {
            includeIdentifiers: o.includeIdentifiers ?? false,
            ...(readers ? { readers } : {}),
            ...(models ? { models } : {}),
          });
          if (o.out) {
            writeFileSync(o.out, res.csv);
            process.stderr.write(
              `wrote ${o.out}: ${res.rows} knee(s), ${res.columns.length} columns${o.includeIdentifiers ? ' (WITH patient identifiers)' : ' (de-identified)'}\n`,
            );
          } else process.stdout.write(res.csv);
          if (globals.json && o.out)
            process.stdout.write(
              JSON.stringify({ path: o.out, rows: res.rows, columns: res.columns }) + '\n',
            );
        } catch (e) {
          throw new CliError((e as Error).message);
        } finally {
          db.close();
        }
      },
    );
}
