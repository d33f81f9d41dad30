import type { Command } from 'commander';
import { listKnees, type KneeSummary } from '../../core/db/repositories';
import { CliError, type GlobalOptions } from '../context';
import { openExisting } from './import';
import { printTable } from './studies';

function withoutIdentifiers(k: KneeSummary): unknown {
  const { key: _key, name: _name, ...patient } = k.patient;
  const { path: _path, ...image } = k.image;
  const { uid: _uid, ...study } = k.study;
  return { ...k, patient, image, study };
}

export function register(program: Command): void {
  program
    .command('knees')
    .description(
      'list knees with their study, side, current crop, reference labels and each reader’s current grade',
    )
    .option('--study <id>', 'only the knees of this study')
    .option(
      '--identifiers',
      'show patient IDs and file paths (they stay on this machine unless you pass this)',
    )
    .action((o: { study?: string; identifiers?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      let studyId: number | undefined;
      if (o.study !== undefined) {
        studyId = Number(o.study);
        if (!Number.isInteger(studyId) || studyId < 1)
          throw new CliError(`--study must be a study id (a positive integer), got "${o.study}"`);
      }
      const db = openExisting(globals);
      try {
        const knees = listKnees(db, studyId === undefined ? {} : { studyId });
        if (globals.json) {
          process.stdout.write(`${JSON.stringify(o.identifiers ? knees : knees.map(withoutIdentifiers))}\n`);
          return;
        }
        if (knees.length === 0) {
          process.stdout.write(studyId === undefined ? 'No knees.\n' : `No knees in study ${studyId}.\n`);
          return;
        }
        printTable(
          [
            'knee',
            'study',
            'patient',
            'side',
            'crop',
            'reference',
            'readers',
            ...(o.identifiers ? ['file'] : []),
          ],
          knees.map((k) => [
            k.id,
            k.study.id,
            o.identifiers ? k.patient.key : k.patient.pseudonym,
            k.side,
            `${k.crop.source} ${Math.round(k.crop.w)}x${Math.round(k.crop.h)}@${Math.round(k.crop.x)},${Math.round(k.crop.y)}`,
            k.referenceLabels.map((l) => `${l.source}=${l.klg}`).join(' '),
            k.grades.map((g) => `${g.readerName}=${g.klg}`).join(' '),
            ...(o.identifiers ? [k.image.path] : []),
          ]),
        );
      } finally {
        db.close();
      }
    });
}
