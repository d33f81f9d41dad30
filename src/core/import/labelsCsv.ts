import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** One row of a labels CSV: which file (and knee), which grade, and optionally which reader graded it. */
export interface LabelRow {
  line: number;
  file: string;
  grade: number;
  side?: 'L' | 'R';
  reader?: string;
}

export class LabelsCsvError extends Error {
  readonly code = 'BAD_LABELS_CSV';
}

const FILE_COLUMNS = ['file', 'path', 'filename', 'image'];
const GRADE_COLUMNS = ['grade', 'klg', 'kl', 'kl_grade'];

/**
 * Read a labels CSV with a header: a file column (file|path|filename|image), a grade column
 * (grade|klg|kl|kl_grade, 0-4), optional `side` (L/R) and `reader`. Bad rows are returned as problems,
 * never silently dropped; a file without the needed columns is refused as a whole.
 */
export async function readLabelsCsv(
  file: string,
): Promise<{ rows: LabelRow[]; problems: { line: number; reason: string }[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new LabelsCsvError(
      `${file}: cannot read the labels CSV (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (e) {
    throw new LabelsCsvError(`${file}: not a valid CSV (${(e as Error).message})`);
  }
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  const fileCol = FILE_COLUMNS.find((c) => header.includes(c));
  const gradeCol = GRADE_COLUMNS.find((c) => header.includes(c));
  if (records.length > 0 && (!fileCol || !gradeCol))
    throw new LabelsCsvError(
      `${file}: the labels CSV needs a file column (${FILE_COLUMNS.join('|')}) and a grade column (${GRADE_COLUMNS.join('|')}); found ${header.join(', ')}`,
    );
  const rows: LabelRow[] = [];
  const problems: { line: number; reason: string }[] = [];
  records.forEach((r, i) => {
    const line = i + 2; // 1-based, after the header
    const f = r[fileCol!] ?? '';
    const g = (r[gradeCol!] ?? '').trim();
    if (!f) return problems.push({ line, reason: 'empty file name' });
    if (!/^[0-4]$/.test(g)) return problems.push({ line, reason: `grade must be 0-4, got "${g}"` });
    const sideRaw = (r.side ?? '').trim().toUpperCase();
    const side =
      sideRaw === 'L' || sideRaw === 'LEFT' ? 'L' : sideRaw === 'R' || sideRaw === 'RIGHT' ? 'R' : undefined;
    if (sideRaw && !side) return problems.push({ line, reason: `side must be L or R, got "${r.side}"` });
    const reader = (r.reader ?? '').trim();
    rows.push({ line, file: f, grade: Number(g), ...(side ? { side } : {}), ...(reader ? { reader } : {}) });
  });
  return { rows, problems };
}

/**
 * Match label rows to imported files: an absolute path, a path relative to the CSV's folder, or a
 * path/basename suffix that names exactly one of the files.
 */
export function matchLabelFile(
  csvFile: string,
  labelFile: string,
  files: readonly string[],
): string | { ambiguous: number } | undefined {
  const norm = labelFile.replace(/\\/g, '/');
  const direct = path.isAbsolute(norm) ? path.resolve(norm) : path.resolve(path.dirname(csvFile), norm);
  if (files.includes(direct)) return direct;
  const suffix = `/${norm.replace(/^\.\//, '')}`;
  const hits = files.filter((f) => f.replace(/\\/g, '/').endsWith(suffix));
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return { ambiguous: hits.length };
  return undefined;
}
