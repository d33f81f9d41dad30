// exports:labelledCsv over the export module (src/core/export): de-identified by default.
import type { ExportResult, ParsedInput } from '../../shared/contract';
import { exportLabelledCsvWithStats } from '../export';
import type { ServiceContext } from './context';
import { deliver } from './reports';

export async function exportsLabelledCsv(
  input: ParsedInput<'exports:labelledCsv'>,
  ctx: ServiceContext,
): Promise<ExportResult> {
  const r = exportLabelledCsvWithStats(ctx.db, {
    includeIdentifiers: !input.deidentify,
    ...(input.readerIds ? { readers: input.readerIds } : {}),
    ...(input.models ? { models: input.models } : {}),
  });
  return deliver(r.csv, input.path, r.rows);
}
