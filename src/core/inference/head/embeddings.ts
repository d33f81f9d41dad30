import type { Db } from '../../db/connection';
import type { KneeSummary } from '../../db/repositories/knees';
import { cropForCard } from '../../preprocess/crop';
import { decodeVector } from '../store';

/**
 * Each knee's embedding from one model for its current pixels and crop (sized by the embedding model's
 * card `sizeMm`, as the runner cropped it); older embeddings are ignored.
 */
export function currentEmbeddingsFor(
  db: Db,
  modelId: number,
  knees: readonly KneeSummary[],
  sizeMm?: number,
): Map<number, Float32Array> {
  const stmt = db.prepare(
    `SELECT dim, vector FROM embeddings WHERE model_id = ? AND knee_id = ? AND pixel_sha256 = ?
       AND crop_x = ? AND crop_y = ? AND crop_w = ? AND crop_h = ? ORDER BY id DESC LIMIT 1`,
  );
  const out = new Map<number, Float32Array>();
  for (const k of knees) {
    const c =
      sizeMm === undefined ? k.crop : cropForCard(k.crop, sizeMm, k.image.pixelSpacing, k.image.isJointCrop);
    const r = stmt.get(modelId, k.id, k.image.pixelSha256, c.x, c.y, c.w, c.h) as
      { dim: number; vector: Buffer } | undefined;
    if (r) out.set(k.id, decodeVector(r.vector, r.dim));
  }
  return out;
}
