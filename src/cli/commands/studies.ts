import type { Command } from 'commander';
import { listStudies } from '../../core/db/repositories';
import type { GlobalOptions } from '../context';
import { openExisting } from './import';

/** Print rows as an aligned text table. */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): void {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const r of cells)
    process.stdout.write(
      `${r
        .map((c, i) => (c ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
}

export function register(program: Command): void {
  program
    .command('studies')
    .description(
      'list the studies with their patient (pseudonym unless --identifiers), images, knees and graded knees',
    )
    .option('--identifiers', 'show patient ID and name (they stay on this machine unless you pass this)')
    .action((o: { identifiers?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const db = openExisting(globals);
      try {
        const studies = listStudies(db).map((s) =>
          o.identifiers
            ? s
            : { ...s, patientKey: undefined, patientName: undefined, uid: undefined, accession: undefined },
        );
        if (globals.json) {
          process.stdout.write(`${JSON.stringify(studies)}\n`);
          return;
        }
        if (studies.length === 0) {
          process.stdout.write('No studies. Import some with: kneegrade import <folder>\n');
          return;
        }
        printTable(
          [
            'id',
            'date',
            'patient',
            ...(o.identifiers ? ['patient id', 'name'] : []),
            'images',
            'knees',
            'graded',
            'description',
          ],
          studies.map((s) => [
            s.id,
            s.date,
            s.pseudonym,
            ...(o.identifiers ? [s.patientKey ?? '', s.patientName ?? ''] : []),
            s.imageCount,
            s.kneeCount,
            s.gradedKneeCount,
            s.description,
          ]),
        );
      } finally {
        db.close();
      }
    });
}
