import { existsSync, readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { openDatabase, type Db } from '../../core/db/connection';
import { importLabelledCsv, isLabelledCsv, type ImportLabelledResult } from '../../core/export';
import { importPaths, type ImportResult } from '../../core/import';
import { CliError, defaultDbPath, EXIT, type GlobalOptions } from '../context';

/** Open the study database, creating it if it does not exist yet (import and demo may start a new one). */
export function openOrCreateDb(globals: GlobalOptions): { db: Db; file: string } {
  const file = globals.db ?? defaultDbPath();
  return { db: openDatabase({ file }), file };
}

/** Open an existing study database; a missing file is an error (listing commands must not create one). */
export function openExisting(globals: GlobalOptions): Db {
  const file = globals.db ?? defaultDbPath();
  if (!existsSync(file))
    throw new CliError(`no study database at ${file} (give one with --db, or run kneegrade import first)`);
  return openDatabase({ file });
}

/**
 * A progress bar on stderr for long work, only when a person is watching (stderr is a terminal) and the
 * output is not for a script (--json).
 */
export function progressBar(
  globals: GlobalOptions,
  label: string,
): { update(done: number, total: number): void; stop(): void } {
  if (globals.json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

interface ImportCliOptions {
  labels?: string;
  labelsAsReader?: string;
  folderLabels: boolean;
  alreadyClahe?: boolean;
  anyModality?: boolean;
  rasterKind: 'auto' | 'crop' | 'film';
}

export function printImportSummary(r: ImportResult, out: NodeJS.WritableStream = process.stdout): void {
  out.write(
    `${r.files} file(s): ${r.imported} imported, ${r.duplicates} already in the database, ${r.errors.length} failed` +
      `${r.skipped ? `, ${r.skipped} passed over (not images)` : ''}; ${r.knees} knee(s), ${r.labels} label(s) stored` +
      `${r.cancelled ? ' (cancelled)' : ''}\n`,
  );
  if (r.errors.length) {
    out.write(`Failed (recorded in the database, batch ${r.batchId}):\n`);
    for (const e of r.errors) out.write(`  ${e.path}: ${e.code}: ${e.reason}\n`);
  }
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'import DICOM (Part 10 or without file meta), PNG, JPEG and WebP files or folders (recursive). ' +
        'A file imported before is skipped (sha256). Bilateral films are split into two knees; ' +
        'labels come from <grade>/<file> folders or a CSV. Exit status 4 when some files failed.',
    )
    .argument(
      '[paths...]',
      'files or folders (may be omitted when --labels is a KneeGrade labelled CSV export)',
    )
    .option(
      '--labels <csv>',
      'CSV of labels: file, grade, optional side (L/R) and reader; or a labelled CSV from `kneegrade export` (re-imported by image sha256 + side)',
    )
    .option(
      '--labels-as-reader <name>',
      'store folder labels and CSV rows without a reader as this reader’s grades (default: reference labels)',
    )
    .option('--no-folder-labels', 'do not read <grade>/<file> folder names as labels')
    .option(
      '--any-modality',
      'also import DICOM that is not a radiograph (CT, MR, US, ...); default: CR, DX, RG, DR, OT, SC only',
    )
    .option(
      '--already-clahe',
      'the images already had CLAHE applied (recorded so preprocessing never applies it twice)',
    )
    .addOption(
      new Option(
        '--raster-kind <kind>',
        'PNG/JPEG/WebP images are joint crops, full films, or decided by size',
      )
        .choices(['auto', 'crop', 'film'])
        .default('auto'),
    )
    .action(async (paths: string[], o: ImportCliOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      // Our own export format is matched to knees already in the database (image sha256 + side), so
      // it is applied after the files (if any) are imported.
      let labelledText: string | undefined;
      if (o.labels) {
        if (!existsSync(o.labels)) throw new CliError(`${o.labels}: labels file not found`);
        const text = readFileSync(o.labels, 'utf8');
        if (isLabelledCsv(text)) labelledText = text;
      }
      if (paths.length === 0 && labelledText === undefined)
        throw new CliError(
          'give files or folders to import (or --labels with a labelled CSV export)',
          EXIT.USAGE,
        );
      const { db, file } = openOrCreateDb(globals);
      const bar = progressBar(globals, 'import');
      let r: ImportResult | undefined;
      let labelled: ImportLabelledResult | undefined;
      try {
        if (paths.length > 0)
          r = await importPaths(db, paths, {
            ...(o.labels && labelledText === undefined ? { labelsCsv: o.labels } : {}),
            ...(o.labelsAsReader ? { labelsAsReader: o.labelsAsReader } : {}),
            folderLabels: o.folderLabels,
            alreadyClahe: o.alreadyClahe ?? false,
            anyModality: o.anyModality ?? false,
            rasterKind: o.rasterKind,
            onProgress: (p) => bar.update(p.done, p.total),
          });
        if (labelledText !== undefined)
          labelled = importLabelledCsv(db, labelledText, {
            as: o.labelsAsReader ? 'reader' : 'reference',
            file: o.labels!,
          });
      } finally {
        bar.stop();
        db.close();
      }
      if (labelled) {
        if (globals.json && !r) process.stdout.write(`${JSON.stringify({ db: file, labelled })}\n`);
        else if (!globals.json)
          process.stdout.write(
            `Labelled CSV ${o.labels}: ${labelled.rows} rows, ${labelled.matched} matched to knees, ` +
              `${labelled.written} grades written, ${labelled.unchanged} already there` +
              (labelled.readersCreated.length ? `, new readers: ${labelled.readersCreated.join(', ')}` : '') +
              '\n',
          );
        for (const e of labelled.errors) process.stderr.write(`${e}\n`);
        if (labelled.errors.length > 0) process.exitCode = EXIT.PARTIAL;
      }
      if (!r) return;
      if (globals.json) {
        const { results, ...summary } = r;
        process.stdout.write(
          `${JSON.stringify({ db: file, ...summary, images: results.map((x) => ({ path: x.path, imageId: x.imageId, duplicate: x.duplicate, kneeIds: x.kneeIds })) })}\n`,
        );
      } else {
        process.stdout.write(`Study database: ${file}\n`);
        printImportSummary(r);
      }
      if (r.errors.length > 0) process.exitCode = EXIT.PARTIAL;
    });
}
