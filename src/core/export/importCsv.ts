// Re-import of our own labelled CSV: the grades in it become reference labels or reader grades again.
// Knees are matched by image sha256 + side (both in every export, de-identified or not). Idempotent:
// importing the same file twice writes nothing the second time. Rows that cannot be used are reported
// by line, with the reason; the rest of the file is imported.
import { parse } from 'csv-parse/sync';
import type { Db } from '../db/connection';
import { readGradeEvents, readReaders, readSessions } from '../report/dbRead';
import { effectiveGrades } from '../report/effectiveGrades';
import { isLabelledCsvHeader, parseGradeColumn } from './columns';

export interface ImportLabelledOptions {
  /** What the grades become: reference labels, or reader grades (grade events). */
  as: 'reference' | 'reader';
  /**
   * Column to read. Default: as 'reference', every reference:<source>:klg column, each into its own
   * source; as 'reader', every reader:<name>:klg column, each as its own reader.
   */
  column?: string;
  /** Reference label source to write (default: the source named in the column header; with one column only). */
  source?: string;
  /** Reader to write the grades as, with `column` (default: the reader named in the column header). */
  reader?: string;
  /** File name for messages. */
  file?: string;
}

export interface ImportLabelledResult {
  rows: number;
  /** Rows whose knee was found. */
  matched: number;
  /** Labels or grade events written. */
  written: number;
  /** Grades already in the database with the same value. */
  unchanged: number;
  /** Cells with no grade (nothing to import). */
  empty: number;
  /** Problems, one per line: file:line: reason. */
  errors: string[];
  readersCreated: string[];
}

export class LabelledCsvError extends Error {}

const FORMULA_START = /^'[-=+@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Undo csv-stringify's formula escaping (a leading ' before = + - @). */
const unescapeCell = (s: string): string => (FORMULA_START.test(s) ? s.slice(1) : s);

export function importLabelledCsv(
  db: Db,
  csvText: string,
  opts: ImportLabelledOptions,
): ImportLabelledResult {
  const file = opts.file ?? 'labels.csv';
  let rows: string[][];
  try {
    rows = parse(csvText, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw new LabelledCsvError(`${file}: not a readable CSV (${(e as Error).message})`);
  }
  const header = (rows[0] ?? []).map(unescapeCell);
  if (!isLabelledCsvHeader(header))
    throw new LabelledCsvError(
      `${file}: not a KneeGrade labelled CSV (needs the columns format, image_sha256 and side)`,
    );
  const iSha = header.indexOf('image_sha256');
  const iSide = header.indexOf('side');
  const cols = header.map((h, i) => ({ i, h, c: parseGradeColumn(h) }));

  let targets: { i: number; name: string; sessionCol: number }[];
  if (opts.as === 'reference') {
    const refCols = opts.column
      ? cols.filter((x) => x.h === opts.column)
      : cols.filter((x) => x.c?.kind === 'reference');
    if (refCols.length === 0)
      throw new LabelledCsvError(
        `${file}: ${opts.column ? `no column "${opts.column}"` : 'no reference:<source>:klg column'}; grade columns: ${
          cols
            .filter((x) => x.c && x.c.field === 'klg')
            .map((x) => x.h)
            .join(', ') || 'none'
        }`,
      );
    if (refCols.length > 1 && opts.source !== undefined)
      throw new LabelledCsvError(
        `${file}: several reference columns (${refCols.map((x) => x.h).join(', ')}); give column together with source`,
      );
    // Each reference column goes back to its own source, so a re-import reproduces every label set.
    targets = refCols.map((col) => {
      const fromHeader =
        col.c?.kind === 'reference' ? col.c.source : col.c && 'name' in col.c ? col.c.name : col.h;
      return { i: col.i, name: opts.source ?? fromHeader, sessionCol: -1 };
    });
  } else {
    const readerCols = opts.column
      ? cols.filter((x) => x.h === opts.column)
      : cols.filter((x) => x.c?.kind === 'reader' && x.c.field === 'klg');
    if (readerCols.length === 0)
      throw new LabelledCsvError(
        `${file}: ${opts.column ? `no column "${opts.column}"` : 'no reader:<name>:klg column'}`,
      );
    targets = readerCols.map((x) => {
      const name = opts.reader ?? (x.c && 'name' in x.c ? x.c.name : x.h);
      const sessionHeader = x.c?.kind === 'reader' ? `reader:${x.c.name}:session` : '';
      return { i: x.i, name, sessionCol: sessionHeader ? header.indexOf(sessionHeader) : -1 };
    });
    if (opts.reader && targets.length > 1)
      throw new LabelledCsvError(`${file}: give column together with reader (several reader columns)`);
  }

  const findKnee = db.prepare(
    'SELECT k.id AS id FROM knees k JOIN images i ON i.id = k.image_id WHERE i.sha256 = ? AND k.side = ?',
  );
  const result: ImportLabelledResult = {
    rows: rows.length - 1,
    matched: 0,
    written: 0,
    unchanged: 0,
    empty: 0,
    errors: [],
    readersCreated: [],
  };
  const now = new Date().toISOString();

  db.transaction(() => {
    const readerIds = new Map<string, number>();
    if (opts.as === 'reader') {
      const existing = readReaders(db);
      for (const t of targets) {
        let r = existing.find((x) => x.name === t.name);
        if (!r) {
          const info = db.prepare('INSERT INTO readers (name, created_at) VALUES (?, ?)').run(t.name, now);
          r = { id: Number(info.lastInsertRowid), name: t.name };
          result.readersCreated.push(t.name);
        }
        readerIds.set(t.name, r.id);
      }
    }
    const current = opts.as === 'reader' ? effectiveGrades(readGradeEvents(db)) : new Map();
    const sessionsByReader = new Map<string, number>();
    for (const s of readSessions(db)) sessionsByReader.set(`${s.readerId}:${s.name}`, s.id);
    const upsertLabel = db.prepare(
      `INSERT INTO reference_labels (knee_id, source, klg, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (knee_id, source) DO UPDATE SET klg = excluded.klg, created_at = excluded.created_at
       WHERE reference_labels.klg <> excluded.klg`,
    );
    const insertGrade = db.prepare(
      `INSERT INTO grade_events (knee_id, reader_id, session_id, kind, klg, comment, created_at)
       VALUES (?, ?, ?, 'grade', ?, ?, ?)`,
    );
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r]!.map(unescapeCell);
      const line = r + 1;
      const sha = (row[iSha] ?? '').trim().toLowerCase();
      const side = (row[iSide] ?? '').trim().toUpperCase();
      if (!/^[0-9a-f]{64}$/.test(sha) || (side !== 'L' && side !== 'R')) {
        result.errors.push(`${file}:${line}: no valid image_sha256 + side (got "${sha}", "${side}")`);
        continue;
      }
      const knee = findKnee.get(sha, side) as { id: number } | undefined;
      if (!knee) {
        result.errors.push(
          `${file}:${line}: no knee in this database for image ${sha.slice(0, 12)}… side ${side}`,
        );
        continue;
      }
      result.matched++;
      for (const t of targets) {
        const text = (row[t.i] ?? '').trim();
        if (text === '') {
          result.empty++;
          continue;
        }
        const klg = Number(text);
        if (!Number.isInteger(klg) || klg < 0 || klg > 4) {
          result.errors.push(`${file}:${line}: ${header[t.i]} = "${text}" is not a KL grade 0-4`);
          continue;
        }
        if (opts.as === 'reference') {
          const info = upsertLabel.run(knee.id, t.name, klg, now);
          if (info.changes) result.written++;
          else result.unchanged++;
        } else {
          const readerId = readerIds.get(t.name)!;
          const cur = current.get(`${knee.id}:${readerId}`);
          if (cur && cur.klg === klg) {
            result.unchanged++;
            continue;
          }
          const sessionName = t.sessionCol >= 0 ? (row[t.sessionCol] ?? '').trim() : '';
          const sessionId = sessionName ? (sessionsByReader.get(`${readerId}:${sessionName}`) ?? null) : null;
          insertGrade.run(knee.id, readerId, sessionId, klg, `imported from ${file}`, now);
          result.written++;
        }
      }
    }
  })();
  return result;
}
