import path from 'node:path';
import type { Db } from '../db/connection';
import { listKnees, upsertReferenceLabel } from '../db/repositories';
import { importPaths, type ImportProgress, type ImportResult } from '../import';
import { generatePhantoms, type PhantomFilm } from '../phantoms';

export const PHANTOM_TRUTH_SOURCE = 'phantom-truth';

export interface PhantomStudiesOptions {
  /** Folder for the generated DICOM files (kept: they are the studies' source files). */
  outDir: string;
  count: number;
  seed: number;
  scale?: number;
  onGenerate?: (done: number, total: number, file: string) => void;
  onImport?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface PhantomStudiesResult {
  films: PhantomFilm[];
  import: ImportResult;
  /** Ground-truth grades stored as reference labels (source 'phantom-truth'). */
  truthLabels: number;
}

/**
 * Sample studies from nothing: generate phantom films, import them, and store each knee's true grade
 * as a reference label with source 'phantom-truth'. Used by `kneegrade demo` and the app's
 * "sample phantoms" action.
 */
export async function importPhantomStudies(
  db: Db,
  opts: PhantomStudiesOptions,
): Promise<PhantomStudiesResult> {
  const films = await generatePhantoms({
    outDir: opts.outDir,
    count: opts.count,
    seed: opts.seed,
    ...(opts.scale ? { scale: opts.scale } : {}),
    ...(opts.onGenerate ? { onProgress: opts.onGenerate } : {}),
  });
  const result = await importPaths(
    db,
    films.map((f) => f.file),
    {
      ...(opts.onImport ? { onProgress: opts.onImport } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  const byPath = new Map(result.results.map((r) => [path.resolve(r.path), r]));
  let truthLabels = 0;
  db.transaction(() => {
    for (const film of films) {
      const rec = byPath.get(path.resolve(film.file));
      if (!rec) continue; // failed or cancelled: already in result.errors
      const knees = listKnees(db, { imageId: rec.imageId });
      for (const t of film.knees) {
        const knee = knees.find((k) => k.side === t.side);
        if (!knee) continue;
        upsertReferenceLabel(db, { kneeId: knee.id, source: PHANTOM_TRUTH_SOURCE, klg: t.grade });
        truthLabels++;
      }
    }
  })();
  return { films, import: result, truthLabels };
}
