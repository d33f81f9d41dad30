// The labelled CSV export: one row per knee with its identifiers (pseudonymised by default), each
// reader's effective grade and its session, each model's latest grade and probabilities, and every
// reference label source. Written with csv-stringify: RFC 4180 quoting, UTF-8 with a BOM (so
// spreadsheet programs read names correctly), and formula escaping (a cell starting with = + - @ is
// prefixed with ' so it is never run as a formula).
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/connection';
import {
  readGradeEvents,
  readKnees,
  readLatestPredictions,
  readModels,
  readReaders,
  readReferenceLabels,
  readSessions,
} from '../report/dbRead';
import { effectiveGrades } from '../report/effectiveGrades';
import {
  BASE_COLUMNS,
  IDENTIFIER_COLUMNS,
  LABELLED_CSV_FORMAT,
  gradeColumnName,
  type GradeColumn,
} from './columns';
import { studyAndImagePseudonyms } from './pseudonyms';

export interface ExportOptions {
  /** Keep patient id, name, birth date, UIDs, dates and file paths (default: pseudonyms only). */
  includeIdentifiers?: boolean;
  /** Readers to include, by id or name (default: every reader with a grade). */
  readers?: (number | string)[];
  /** Models to include, by name or name@version (default: every model with a prediction). */
  models?: string[];
}

export interface ExportResultData {
  csv: string;
  rows: number;
  columns: string[];
}

export function exportLabelledCsvWithStats(db: Db, opts: ExportOptions = {}): ExportResultData {
  const knees = readKnees(db);
  const { study, image } = studyAndImagePseudonyms(db);
  const sessions = new Map(readSessions(db).map((s) => [s.id, s.name]));

  const effective = effectiveGrades(readGradeEvents(db));
  const allReaders = readReaders(db);
  const readers = opts.readers
    ? opts.readers.map((r) => {
        const found = allReaders.find((x) => x.id === r || x.name === r);
        if (!found)
          throw new Error(`export: no reader ${typeof r === 'number' ? `with id ${r}` : `named "${r}"`}`);
        return found;
      })
    : allReaders.filter((r) => [...effective.values()].some((e) => e.readerId === r.id));

  const preds = readLatestPredictions(db);
  const allModels = readModels(db);
  const models = opts.models
    ? opts.models.map((m) => {
        const found = allModels.find((x) => x.label === m || x.name === m || `${x.name}@${x.version}` === m);
        if (!found) throw new Error(`export: no model named "${m}"`);
        return found;
      })
    : allModels.filter((m) => preds.some((p) => p.modelId === m.id));
  const predOf = new Map(preds.map((p) => [`${p.modelId}:${p.kneeId}`, p]));

  const labels = readReferenceLabels(db);
  const sources = [...new Set(labels.map((l) => l.source))];
  const labelOf = new Map(labels.map((l) => [`${l.source}:${l.kneeId}`, l.klg]));

  const gradeCols: GradeColumn[] = [
    ...sources.map((source): GradeColumn => ({ kind: 'reference', source, field: 'klg' })),
    ...readers.flatMap((r): GradeColumn[] => [
      { kind: 'reader', name: r.name, field: 'klg' },
      { kind: 'reader', name: r.name, field: 'session' },
    ]),
    ...models.flatMap((m): GradeColumn[] =>
      (['klg', 'p0', 'p1', 'p2', 'p3', 'p4'] as const).map((field) => ({
        kind: 'model',
        name: m.label,
        field,
      })),
    ),
  ];
  const header = [
    ...BASE_COLUMNS,
    ...(opts.includeIdentifiers ? IDENTIFIER_COLUMNS : []),
    ...gradeCols.map(gradeColumnName),
  ];

  const rows: (string | number | null)[][] = [header];
  for (const k of knees) {
    const row: (string | number | null)[] = [
      LABELLED_CSV_FORMAT,
      opts.includeIdentifiers ? k.patientKey : k.pseudonym,
      opts.includeIdentifiers ? k.studyUid : (study.get(k.studyId) ?? ''),
      opts.includeIdentifiers ? (k.sopUid ?? image.get(k.imageId) ?? '') : (image.get(k.imageId) ?? ''),
      k.kneeId,
      k.side,
      k.imageSha256,
    ];
    if (opts.includeIdentifiers)
      row.push(
        k.patientKey,
        k.patientName,
        k.birthDate,
        k.studyUid,
        k.studyDate,
        k.accession,
        k.sopUid,
        k.imagePath,
      );
    for (const s of sources) row.push(labelOf.get(`${s}:${k.kneeId}`) ?? null);
    for (const r of readers) {
      const e = effective.get(`${k.kneeId}:${r.id}`);
      row.push(e ? e.klg : null, e && e.sessionId !== null ? (sessions.get(e.sessionId) ?? null) : null);
    }
    for (const m of models) {
      const p = predOf.get(`${m.id}:${k.kneeId}`);
      row.push(p ? p.klg : null);
      for (let g = 0; g < 5; g++) row.push(p && p.probs.length === 5 ? p.probs[g]! : null);
    }
    rows.push(row);
  }
  const csv = stringify(rows, { bom: true, escape_formulas: true, record_delimiter: 'unix' });
  return { csv, rows: knees.length, columns: header };
}

/** The labelled CSV text (the function the CLI `export` command and the app call). */
export function exportLabelledCsv(db: Db, opts: ExportOptions = {}): string {
  return exportLabelledCsvWithStats(db, opts).csv;
}
