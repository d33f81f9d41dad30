// Prediction and embedding rows: the cache key is (model sha256, knee, the knee's pixel hash, crop),
// so a knee is computed again only when its pixels, its crop or the model file changed.
import type { Db } from '../db/connection';
import type { CropRect } from '../preprocess/crop';
import type { ModelCard } from './card';

const now = () => new Date().toISOString();

/** The models row for this exact file (by sha256), inserted on first use. */
export function ensureModelRow(db: Db, card: ModelCard): number {
  const row = db.prepare('SELECT id FROM models WHERE sha256 = ?').get(card.sha256) as
    { id: number } | undefined;
  if (row) return row.id;
  const r = db
    .prepare(
      'INSERT INTO models (name, version, approach, sha256, card_json, registered_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(card.name, card.version, card.approach, card.sha256, JSON.stringify(card), now());
  return Number(r.lastInsertRowid);
}

export type OutputTable = 'predictions' | 'embeddings';

export function hasStored(
  db: Db,
  table: OutputTable,
  modelId: number,
  kneeId: number,
  pixelSha256: string,
  crop: CropRect,
): boolean {
  // Table name comes from the closed OutputTable union, never from input.
  const r = db
    .prepare(
      `SELECT 1 FROM ${table} WHERE model_id = ? AND knee_id = ? AND pixel_sha256 = ? AND crop_x = ? AND crop_y = ? AND crop_w = ? AND crop_h = ?`,
    )
    .get(modelId, kneeId, pixelSha256, crop.x, crop.y, crop.w, crop.h);
  return r !== undefined;
}

function deleteSame(
  db: Db,
  table: OutputTable,
  modelId: number,
  kneeId: number,
  pixelSha256: string,
  crop: CropRect,
): void {
  db.prepare(
    `DELETE FROM ${table} WHERE model_id = ? AND knee_id = ? AND pixel_sha256 = ? AND crop_x = ? AND crop_y = ? AND crop_w = ? AND crop_h = ?`,
  ).run(modelId, kneeId, pixelSha256, crop.x, crop.y, crop.w, crop.h);
}

export interface PredictionRow {
  modelId: number;
  kneeId: number;
  pixelSha256: string;
  crop: CropRect;
  probs: number[];
  klg: number;
  provider: string;
}

/** Store a prediction; a recomputation replaces the row for the same key (new id = newest). */
export function storePrediction(db: Db, p: PredictionRow): void {
  db.transaction(() => {
    deleteSame(db, 'predictions', p.modelId, p.kneeId, p.pixelSha256, p.crop);
    db.prepare(
      `INSERT INTO predictions (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h, probs, klg, provider, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.modelId,
      p.kneeId,
      p.pixelSha256,
      p.crop.x,
      p.crop.y,
      p.crop.w,
      p.crop.h,
      JSON.stringify(p.probs),
      p.klg,
      p.provider,
      now(),
    );
  })();
}

export interface EmbeddingRow {
  modelId: number;
  kneeId: number;
  pixelSha256: string;
  crop: CropRect;
  vector: Float32Array;
}

export function storeEmbedding(db: Db, e: EmbeddingRow): void {
  const blob = Buffer.alloc(e.vector.length * 4);
  for (let i = 0; i < e.vector.length; i++) blob.writeFloatLE(e.vector[i]!, i * 4);
  db.transaction(() => {
    deleteSame(db, 'embeddings', e.modelId, e.kneeId, e.pixelSha256, e.crop);
    db.prepare(
      `INSERT INTO embeddings (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h, dim, vector, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      e.modelId,
      e.kneeId,
      e.pixelSha256,
      e.crop.x,
      e.crop.y,
      e.crop.w,
      e.crop.h,
      e.vector.length,
      blob,
      now(),
    );
  })();
}

export function decodeVector(blob: Buffer, dim: number): Float32Array {
  if (blob.length !== dim * 4)
    throw new Error(`embedding blob has ${blob.length} bytes, expected ${dim * 4}`);
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) v[i] = blob.readFloatLE(i * 4);
  return v;
}
