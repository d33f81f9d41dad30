// Read-side view of the predictions table: each model's latest prediction per knee, flagged `current`
// when it was computed for the knee's current pixels and crop. (Writing predictions is the inference
// module's job; this only reads what it stored.)
import type { Db } from '../db/connection';
import type { CropRect } from '../db/repositories/knees';

export interface StoredPrediction {
  kneeId: number;
  model: string;
  version: string;
  klg: number;
  probs: number[];
  pixelSha256: string;
  crop: CropRect;
  provider: string;
  createdAt: string;
}

interface Row {
  knee_id: number;
  name: string;
  version: string;
  klg: number;
  probs: string;
  pixel_sha256: string;
  crop_x: number;
  crop_y: number;
  crop_w: number;
  crop_h: number;
  provider: string;
  created_at: string;
}

/** Latest prediction per (knee, model name) for the given knees. */
export function latestPredictions(db: Db, kneeIds: readonly number[]): StoredPrediction[] {
  if (kneeIds.length === 0) return [];
  // The newest row per (model row, knee) comes straight off the UNIQUE(model_id, knee_id, ...) index;
  // two versions of one model name are then reduced to the newest here (a window function over all
  // predictions was ~10x slower on a 2,000-knee study).
  const rows = db
    .prepare(
      `SELECT p.id, p.knee_id, m.name, m.version, p.klg, p.probs, p.pixel_sha256, p.crop_x, p.crop_y, p.crop_w, p.crop_h,
              p.provider, p.created_at
       FROM predictions p JOIN models m ON m.id = p.model_id
       WHERE p.id IN (SELECT MAX(id) FROM predictions GROUP BY model_id, knee_id)
         AND p.knee_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(kneeIds)) as (Row & { id: number })[];
  const newest = new Map<string, Row & { id: number }>();
  for (const r of rows) {
    const key = `${r.knee_id}|${r.name}`;
    const cur = newest.get(key);
    if (!cur || r.id > cur.id) newest.set(key, r);
  }
  return [...newest.values()]
    .sort((a, b) => a.knee_id - b.knee_id || a.name.localeCompare(b.name))
    .map((r) => ({
      kneeId: r.knee_id,
      model: r.name,
      version: r.version,
      klg: r.klg,
      probs: safeProbs(r.probs),
      pixelSha256: r.pixel_sha256,
      crop: { x: r.crop_x, y: r.crop_y, w: r.crop_w, h: r.crop_h },
      provider: r.provider,
      createdAt: r.created_at,
    }));
}

function safeProbs(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.map(Number) : [];
  } catch {
    return [];
  }
}

export function sameCrop(a: CropRect, b: CropRect): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
}

/** Knees with a current prediction, by model name. */
export function predictedKneeCounts(db: Db): Map<string, number> {
  const rows = db
    .prepare(
      'SELECT m.name AS name, COUNT(DISTINCT p.knee_id) AS n FROM predictions p JOIN models m ON m.id = p.model_id GROUP BY m.name',
    )
    .all() as { name: string; n: number }[];
  return new Map(rows.map((r) => [r.name, r.n]));
}
