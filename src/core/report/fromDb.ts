// StudyData from the study database: effective reader grades, models' latest predictions, reference
// label sources, and re-read pairs (a reread session against the session it re-reads).
import type { Db } from '../db/connection';
import { MISSING, type RereadPair } from '../stats';
import { buildReport, type ReportOptions } from './build';
import { ReferenceError } from './reference';
import { effectiveGrades } from './effectiveGrades';
import {
  readGradeEvents,
  readKnees,
  readLatestPredictions,
  readModels,
  readReaders,
  readReferenceLabels,
  readSessions,
} from './dbRead';
import type { StudyData, StudyRater } from './studyData';
import type { Report } from './types';

export interface DbSelection {
  /** Only the knees of this study. */
  studyId?: number;
  /** Readers to include, by id or name (default: every reader with a grade). */
  readers?: (number | string)[];
  /** Models to include, by name or name@version (default: every model with a prediction). */
  models?: string[];
}

export function studyDataFromDb(db: Db, sel: DbSelection = {}): StudyData {
  const knees = readKnees(db, sel.studyId);
  const pos = new Map(knees.map((k, i) => [k.kneeId, i]));
  const n = knees.length;
  const warnings: string[] = [];

  const readers = readReaders(db);
  const chosenReaders = sel.readers
    ? sel.readers.map((r) => {
        const found = readers.find((x) => x.id === r || x.name === r);
        if (!found)
          throw new ReferenceError(`no reader ${typeof r === 'number' ? `with id ${r}` : `named "${r}"`}`);
        return found;
      })
    : readers;
  const events = readGradeEvents(db);
  const effective = effectiveGrades(events);
  // One pass over the effective grades, into one grade row per reader.
  const rows = new Map<number, { grades: Int8Array; any: boolean }>(
    chosenReaders.map((r) => [r.id, { grades: new Int8Array(n).fill(MISSING), any: false }]),
  );
  for (const e of effective.values()) {
    const row = rows.get(e.readerId);
    const i = pos.get(e.kneeId);
    if (!row || i === undefined) continue;
    row.grades[i] = e.klg;
    row.any = true;
  }
  const raters: StudyRater[] = [];
  for (const r of chosenReaders) {
    const row = rows.get(r.id)!;
    if (row.any || sel.readers) raters.push({ name: r.name, kind: 'reader', grades: row.grades });
  }

  const models = readModels(db);
  const preds = readLatestPredictions(db, false);
  const chosenModels = sel.models
    ? sel.models.map((m) => {
        const found = models.find((x) => x.label === m || x.name === m || `${x.name}@${x.version}` === m);
        if (!found)
          throw new ReferenceError(
            `no model named "${m}" (models: ${models.map((x) => x.label).join(', ') || 'none'})`,
          );
        return found;
      })
    : models.filter((m) => preds.some((p) => p.modelId === m.id));
  const modelRows = new Map(chosenModels.map((m) => [m.id, new Int8Array(n).fill(MISSING)]));
  for (const p of preds) {
    const row = modelRows.get(p.modelId);
    const i = pos.get(p.kneeId);
    if (row && i !== undefined) row[i] = p.klg;
  }
  for (const m of chosenModels) {
    const grades = modelRows.get(m.id)!;
    const taken = raters.some((r) => r.name === m.label);
    raters.push({ name: taken ? `${m.label} (model)` : m.label, kind: 'model', grades });
  }

  const bySource = new Map<string, Int8Array>();
  for (const l of readReferenceLabels(db)) {
    const i = pos.get(l.kneeId);
    if (i === undefined) continue;
    let g = bySource.get(l.source);
    if (!g) bySource.set(l.source, (g = new Int8Array(n).fill(MISSING)));
    g[i] = l.klg;
  }

  return {
    knees: knees.map((k) => ({ id: String(k.kneeId), patient: String(k.patientId) })),
    raters,
    labelSources: [...bySource].map(([source, grades]) => ({ source, grades })),
    rereads: rereadPairs(db, events, pos, n, new Set(chosenReaders.map((r) => r.id))),
    warnings,
    source: { kind: 'database', path: db.name },
  };
}

/**
 * A reread session's grades paired with the grades of the session it re-reads (per-session effective
 * grades). A reread with no recorded original is paired with the reader's grades outside reread sessions.
 */
function rereadPairs(
  db: Db,
  events: ReturnType<typeof readGradeEvents>,
  pos: Map<number, number>,
  n: number,
  readerIds: Set<number>,
): RereadPair[] {
  const sessions = readSessions(db);
  if (!sessions.some((s) => s.kind === 'reread')) return [];
  const readers = new Map(readReaders(db).map((r) => [r.id, r.name]));
  const rereadIds = new Set(sessions.filter((s) => s.kind === 'reread').map((s) => s.id));
  const perSession = effectiveGrades(events, true);
  const gradesOf = (readerId: number, keep: (sessionId: number | null) => boolean): Int8Array => {
    const g = new Int8Array(n).fill(MISSING);
    const latest = new Int32Array(n);
    for (const e of perSession.values()) {
      if (e.readerId !== readerId || !keep(e.sessionId)) continue;
      const i = pos.get(e.kneeId);
      if (i === undefined || latest[i]! > e.eventId) continue;
      latest[i] = e.eventId;
      g[i] = e.klg;
    }
    return g;
  };
  const out: RereadPair[] = [];
  for (const s of sessions) {
    if (s.kind !== 'reread' || !readerIds.has(s.readerId)) continue;
    const original = s.rereadOf === null ? undefined : sessions.find((x) => x.id === s.rereadOf);
    out.push({
      reader: readers.get(s.readerId) ?? `reader ${s.readerId}`,
      first: original ? original.name : 'grades outside re-read sessions',
      second: s.name,
      firstGrades: original
        ? gradesOf(s.readerId, (sid) => sid === original.id)
        : gradesOf(s.readerId, (sid) => sid === null || !rereadIds.has(sid)),
      secondGrades: gradesOf(s.readerId, (sid) => sid === s.id),
    });
  }
  return out;
}

/** The report straight from the database: what the desktop app calls. */
export function buildReportFromDb(db: Db, options: ReportOptions & DbSelection = {}): Report {
  const { studyId, readers, models, ...reportOptions } = options;
  return buildReport(
    studyDataFromDb(db, {
      ...(studyId !== undefined ? { studyId } : {}),
      ...(readers ? { readers } : {}),
      ...(models ? { models } : {}),
    }),
    reportOptions,
  );
}
