// Grading knees with a trained head: the final head for knees whose labels it never saw; knees whose
// labels trained it keep their cross-validated grade (stored at training time) and are never graded
// by the final head, even when recomputation is forced.
import type { Db } from '../../db/connection';
import { listKnees } from '../../db/repositories/knees';
import type { InstalledModel } from '../registry';
import type { RunSummary } from '../run-batch';
import { ensureModelRow, hasStored } from '../store';
import { currentEmbeddingsFor } from './embeddings';
import { storeHeadPrediction } from './store-head-prediction';
import { readHeadWeights } from './head-model';
import { mlpPredict } from './mlp';

export interface GradeWithHeadOptions {
  db: Db;
  head: InstalledModel;
  kneeIds?: readonly number[];
  studyId?: number;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; kneeId: number | null }) => void;
}

function embeddingSizeMm(cardJson: string): number | undefined {
  try {
    const v = (JSON.parse(cardJson) as { input?: { crop?: { sizeMm?: unknown } } }).input?.crop?.sizeMm;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function gradeWithHead(
  o: GradeWithHeadOptions,
): Omit<RunSummary, 'approach'> & { approach: 'embedding-head' } {
  const card = o.head.card;
  if (card.approach !== 'embedding-head') throw new Error(`${card.name} is not an embedding head`);
  const weights = readHeadWeights(o.head.file);
  const headId = ensureModelRow(o.db, card);
  const embRow = o.db
    .prepare('SELECT id, card_json FROM models WHERE sha256 = ?')
    .get(card.embeddingModel.sha256) as { id: number; card_json: string } | undefined;
  const knees = listKnees(o.db, {
    ...(o.studyId !== undefined ? { studyId: o.studyId } : {}),
    ...(o.kneeIds ? { kneeIds: o.kneeIds } : {}),
    readerIds: [],
  });
  const labelled = new Set<number>(
    ((card.training as { labelledKneeIds?: number[] }).labelledKneeIds ?? []).map(Number),
  );
  // The embedding model's card (as registered) says how its crops were sized.
  const embSizeMm = embRow ? embeddingSizeMm(embRow.card_json) : undefined;
  const vectors = embRow
    ? currentEmbeddingsFor(o.db, embRow.id, knees, embSizeMm)
    : new Map<number, Float32Array>();
  const s = {
    model: card.name,
    approach: 'embedding-head' as const,
    total: knees.length,
    computed: 0,
    cached: 0,
    failures: [] as { kneeId: number; reason: string }[],
    cancelled: false,
    provider: 'cpu' as const,
  };
  let done = 0;
  for (const k of knees) {
    if (o.signal?.aborted) {
      s.cancelled = true;
      break;
    }
    const stored = hasStored(o.db, 'predictions', headId, k.id, k.image.pixelSha256, k.crop);
    if (labelled.has(k.id)) {
      if (stored) s.cached++;
      else
        s.failures.push({
          kneeId: k.id,
          reason: `knee ${k.id} was labelled when ${card.name} was trained and its pixels or crop changed since; retrain the head (kneegrade head train) for a cross-validated grade`,
        });
    } else if (stored && !o.force) s.cached++;
    else {
      const v = vectors.get(k.id);
      if (!v)
        s.failures.push({
          kneeId: k.id,
          reason: `no ${card.embeddingModel.name} embedding for the knee's current pixels and crop (run kneegrade embed)`,
        });
      else {
        const probs = mlpPredict(weights, v);
        storeHeadPrediction(o.db, headId, k, probs);
        s.computed++;
      }
    }
    done++;
    o.onProgress?.({ done, total: knees.length, kneeId: k.id });
  }
  return s;
}
