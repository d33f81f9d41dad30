import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildReport, studyDataFromLongCsv, type ReferenceSpec } from '../../core/report';
import { CliError, EXIT, type GlobalOptions } from '../context';
import { addReportOutputOptions, emitReport, reportOptionsFromCli, type ReportCliOptions } from './report';

export function register(program: Command): void {
  const cmd = program
    .command('agreement')
    .description(
      'agreement statistics straight from a long-format CSV (columns knee, rater, grade; optional patient, session, kind)',
    )
    .argument('<file>', 'long-format CSV, one row per grade')
    .requiredOption(
      '--reference <name>',
      'the rater (or kind=reference source) that is the reference standard',
    )
    .option('--models <names>', 'comma-separated raters that are models (when the CSV has no kind column)');
  addReportOutputOptions(cmd).action(
    (file: string, o: ReportCliOptions & { reference: string; models?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(
          `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
      }
      try {
        const data = studyDataFromLongCsv(text, file);
        for (const m of (o.models ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)) {
          const r = data.raters.find((x) => x.name === m);
          if (!r) throw new CliError(`--models: no rater "${m}" in ${file}`, EXIT.USAGE);
          r.kind = 'model';
        }
        const reference: ReferenceSpec = data.labelSources.some((s) => s.source === o.reference)
          ? { kind: 'labels', source: o.reference }
          : { kind: 'rater', name: o.reference };
        const report = buildReport(data, { ...reportOptionsFromCli(o), reference });
        emitReport(report, o, globals);
        if (data.warnings.some((w) => w.includes('row skipped'))) process.exitCode = EXIT.PARTIAL;
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError((e as Error).message);
      }
    },
  );
}
