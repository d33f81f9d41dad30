import type { Db } from '../../db/connection';
import type { KneeSummary } from '../../db/repositories/knees';
import { argmax } from '../softmax';
import { storePrediction } from '../store';

/** A head's grade of a knee, stored like any model's: keyed by the knee's current pixels and crop (the head runs on the CPU). */
export function storeHeadPrediction(
  db: Db,
  headId: number,
  knee: Pick<KneeSummary, 'id' | 'image' | 'crop'>,
  probs: number[],
): void {
  storePrediction(db, {
    modelId: headId,
    kneeId: knee.id,
    pixelSha256: knee.image.pixelSha256,
    crop: knee.crop,
    probs,
    klg: argmax(probs),
    provider: 'cpu',
  });
}
