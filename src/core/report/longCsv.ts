// StudyData from a long-format CSV (one row per grade): columns knee, rater, grade, and optionally
// patient, session and kind (reader | model | reference). Lets results from other tools be analysed.
// Bad rows are reported with their line number and skipped; the rest of the file is used.
import { parse } from 'csv-parse/sync';
import { MISSING, type RereadPair } from '../stats';
import type { StudyData } from './studyData';

export class LongCsvError extends Error {}

type Kind = 'reader' | 'model' | 'reference';

/** "2", "2.0", "KL2", "kl 2" -> 2; "" -> null (not graded); anything else -> undefined (bad). */
export function parseGradeText(text: string): number | null | undefined {
  const t = text.trim().replace(/^kl\s*/i, '');
  if (t === '' || t.toUpperCase() === 'NA') return null;
  const v = Number(t);
  return Number.isInteger(v) && v >= 0 && v <= 4 ? v : undefined;
}

export function studyDataFromLongCsv(text: string, file = 'ratings.csv'): StudyData {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new LongCsvError(`${file}: not a readable CSV (${(e as Error).message})`);
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const iKnee = col('knee');
  const iRater = col('rater');
  const iGrade = col('grade');
  const missingCols = (['knee', 'rater', 'grade'] as const).filter((c) => col(c) < 0);
  if (missingCols.length)
    throw new LongCsvError(
      `${file}: missing column(s) ${missingCols.join(', ')}; a long-format CSV needs knee, rater, grade ` +
        `(and optionally patient, session, kind); found: ${rows[0]?.join(', ') ?? 'nothing'}`,
    );
  const iPatient = col('patient');
  const iSession = col('session');
  const iKind = col('kind');
  const warnings: string[] = [];

  const kneeIndex = new Map<string, number>();
  const kneePatient: string[] = [];
  const kneeIds: string[] = [];
  const raterKind = new Map<string, Kind>();
  const raterSessions = new Map<string, string[]>();
  // rater -> session -> knee index -> grade
  const grades = new Map<string, Map<string, Map<number, number>>>();

  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const line = r + 1;
    const knee = row[iKnee] ?? '';
    const rater = row[iRater] ?? '';
    if (!knee || !rater) {
      warnings.push(`${file}:${line}: row skipped: empty knee or rater`);
      continue;
    }
    const g = parseGradeText(row[iGrade] ?? '');
    if (g === undefined) {
      warnings.push(`${file}:${line}: row skipped: grade "${row[iGrade]}" is not a KL grade 0-4`);
      continue;
    }
    const patient = iPatient >= 0 ? (row[iPatient] ?? '') : '';
    let k = kneeIndex.get(knee);
    if (k === undefined) {
      k = kneeIds.length;
      kneeIndex.set(knee, k);
      kneeIds.push(knee);
      kneePatient.push(patient || `knee:${knee}`);
    } else if (patient && kneePatient[k] !== patient && kneePatient[k] !== `knee:${knee}`) {
      warnings.push(
        `${file}:${line}: knee "${knee}" given patient "${patient}", earlier "${kneePatient[k]}"; kept the earlier`,
      );
    } else if (patient && kneePatient[k] === `knee:${knee}`) kneePatient[k] = patient;
    const kindText = iKind >= 0 ? (row[iKind] ?? '').toLowerCase() : '';
    const kind: Kind = kindText === 'model' || kindText === 'reference' ? kindText : 'reader';
    if (kindText && kindText !== 'reader' && kindText !== 'model' && kindText !== 'reference')
      warnings.push(`${file}:${line}: kind "${kindText}" unknown, read as reader`);
    const prevKind = raterKind.get(rater);
    if (prevKind && prevKind !== kind)
      warnings.push(
        `${file}:${line}: rater "${rater}" is ${kind} here but ${prevKind} earlier; kept ${prevKind}`,
      );
    else raterKind.set(rater, kind);
    if (g === null) continue;
    const session = iSession >= 0 ? (row[iSession] ?? '') : '';
    const sessions = raterSessions.get(rater) ?? [];
    if (!sessions.includes(session)) sessions.push(session);
    raterSessions.set(rater, sessions);
    let bySession = grades.get(rater);
    if (!bySession) grades.set(rater, (bySession = new Map()));
    let byKnee = bySession.get(session);
    if (!byKnee) bySession.set(session, (byKnee = new Map()));
    const prev = byKnee.get(k);
    if (prev !== undefined && prev !== g) {
      warnings.push(
        `${file}:${line}: rater "${rater}" graded knee "${knee}" twice${session ? ` in session "${session}"` : ''} ` +
          `(${prev}, then ${g}); kept the first`,
      );
      continue;
    }
    byKnee.set(k, g);
  }
  if (kneeIds.length === 0) throw new LongCsvError(`${file}: no usable rows`);
  if (iPatient < 0)
    warnings.push(
      `${file}: no patient column, so each knee is resampled on its own; intervals are too narrow if a patient's two knees are both listed`,
    );

  const n = kneeIds.length;
  const data: StudyData = {
    knees: kneeIds.map((id, i) => ({ id, patient: kneePatient[i]! })),
    raters: [],
    labelSources: [],
    rereads: [],
    warnings,
    source: { kind: 'csv', path: file },
  };
  for (const [rater, kind] of raterKind) {
    const sessions = raterSessions.get(rater) ?? [];
    const bySession = grades.get(rater) ?? new Map<string, Map<number, number>>();
    // The primary grade is the one from the rater's earliest listed session that graded the knee.
    const primary = new Int8Array(n).fill(MISSING);
    for (const s of [...sessions].reverse()) for (const [k, g] of bySession.get(s) ?? []) primary[k] = g;
    if (kind === 'reference') data.labelSources.push({ source: rater, grades: primary });
    else data.raters.push({ name: rater, kind, grades: primary });
    for (let s = 1; s < sessions.length && kind === 'reader'; s++) {
      const pair: RereadPair = {
        reader: rater,
        first: sessions[0]! || '(no session)',
        second: sessions[s]! || '(no session)',
        firstGrades: new Int8Array(n).fill(MISSING),
        secondGrades: new Int8Array(n).fill(MISSING),
      };
      for (const [k, g] of bySession.get(sessions[0]!) ?? []) pair.firstGrades[k] = g;
      for (const [k, g] of bySession.get(sessions[s]!) ?? []) pair.secondGrades[k] = g;
      data.rereads.push(pair);
    }
  }
  return data;
}
