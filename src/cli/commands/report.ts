import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openDatabase, type Db } from '../../core/db/connection';
import {
  buildReportFromDb,
  parseReferenceSpec,
  renderHtml,
  renderJson,
  renderStudyTableCsv,
  renderText,
  renderTidyCsv,
  type Report,
  type ReportOptions,
} from '../../core/report';
import { CliError, EXIT, defaultDbPath, type GlobalOptions } from '../context';

/** Options shared by `report` (database) and `agreement` (long CSV). */
export interface ReportCliOptions {
  raters?: string;
  diff?: string[];
  resamples: string;
  seed: string;
  confidence: string;
  csv?: string;
  tableCsv?: string;
  jsonOut?: string;
  html?: string;
  title?: string;
  quiet?: boolean;
  pairwiseCi?: boolean;
}

export function addReportOutputOptions(cmd: Command): Command {
  return cmd
    .option(
      '--raters <names>',
      'comma-separated raters to compare, in column order (default: every reader and model)',
    )
    .option(
      '--diff <a,b>',
      'paired difference a minus b against the reference (repeatable; default: each model minus each reader)',
      collect,
      [],
    )
    .option(
      '--pairwise-ci',
      'bootstrap intervals for every pairwise QWK (default: only with at most 10 pairs)',
    )
    .option('--resamples <n>', 'bootstrap resamples (patients resampled; 0 = no intervals)', '2000')
    .option('--seed <n>', 'bootstrap seed (same seed, same intervals)', '20240601')
    .option('--confidence <p>', 'interval coverage', '0.95')
    .option('--csv <file>', 'write every figure as a tidy CSV')
    .option('--table-csv <file>', 'write the study table (raters in columns) as CSV')
    .option('--json-out <file>', 'write the full report as JSON')
    .option(
      '--html <file>',
      'write a self-contained HTML report (tables + heatmaps, works offline, printable)',
    )
    .option('--title <text>', 'report title')
    .option('--quiet', 'do not print the report (only write the files asked for)');
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

const list = (s: string | undefined): string[] | undefined =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`--${name} must be an integer >= ${min}, got "${v}"`, EXIT.USAGE);
  return n;
}

/** CLI options -> ReportOptions (everything but the reference). */
export function reportOptionsFromCli(o: ReportCliOptions): Omit<ReportOptions, 'reference'> {
  const confidence = Number(o.confidence);
  if (!(confidence > 0 && confidence < 1))
    throw new CliError(`--confidence must be between 0 and 1, got "${o.confidence}"`, EXIT.USAGE);
  const differences = (o.diff ?? []).map((d): [string, string] => {
    const parts = d.split(',').map((x) => x.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw new CliError(`--diff "${d}": give two rater names, "a,b"`, EXIT.USAGE);
    return [parts[0], parts[1]];
  });
  const raters = list(o.raters);
  return {
    bootstrap: { resamples: int('resamples', o.resamples, 0), seed: int('seed', o.seed, 0), confidence },
    ...(raters ? { raters } : {}),
    ...(differences.length ? { differences } : {}),
    ...(o.title ? { title: o.title } : {}),
    ...(o.pairwiseCi ? { pairwiseIntervals: true } : {}),
  };
}

/** Print the report (text, or JSON with --json) and write the files asked for. */
export function emitReport(report: Report, o: ReportCliOptions, globals: GlobalOptions): void {
  const writes: [string | undefined, () => string][] = [
    [o.csv, () => renderTidyCsv(report)],
    [o.tableCsv, () => renderStudyTableCsv(report)],
    [o.jsonOut, () => renderJson(report)],
    [o.html, () => renderHtml(report)],
  ];
  for (const [file, render] of writes) {
    if (!file) continue;
    try {
      writeFileSync(file, render());
    } catch (e) {
      throw new CliError(`${file}: could not write the report (${(e as Error).message})`);
    }
    process.stderr.write(`wrote ${file}\n`);
  }
  if (o.quiet) return;
  process.stdout.write(globals.json ? renderJson(report) : renderText(report));
}

/** Open an existing study database (never create an empty one just to report on it). */
export function openExistingDb(globals: GlobalOptions): Db {
  const file = globals.db ?? defaultDbPath();
  if (!existsSync(file)) throw new CliError(`no study database at ${file} (give one with --db)`);
  return openDatabase({ file });
}

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('agreement of readers and models with a reference standard, from the study database')
    .option(
      '--reference <spec>',
      'labels[:SOURCE] | reader:NAME | model:NAME | consensus:majority|median:A,B,C[:lower|higher|exclude]',
      'labels',
    )
    .option('--readers <names>', 'readers to include (comma-separated; default: every reader with a grade)')
    .option('--models <names>', 'models to include (comma-separated; default: every model with a prediction)')
    .option('--study <id>', 'only the knees of this study');
  addReportOutputOptions(cmd).action(
    (
      o: ReportCliOptions & { reference: string; readers?: string; models?: string; study?: string },
      command: Command,
    ) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      let reference;
      try {
        reference = parseReferenceSpec(o.reference);
      } catch (e) {
        throw new CliError((e as Error).message, EXIT.USAGE);
      }
      const db = openExistingDb(globals);
      try {
        const readers = list(o.readers);
        const models = list(o.models);
        const report = buildReportFromDb(db, {
          ...reportOptionsFromCli(o),
          reference,
          ...(readers ? { readers } : {}),
          ...(models ? { models } : {}),
          ...(o.study ? { studyId: int('study', o.study, 1) } : {}),
        });
        emitReport(report, o, globals);
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError((e as Error).message);
      } finally {
        db.close();
      }
    },
  );
}
