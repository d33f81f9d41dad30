// Training the embedding head inside KneeGrade: the knees' stored embeddings (current pixels and crop)
// plus labels -> k-fold cross-validated grades for every labelled knee (stored as the head's
// predictions: no labelled knee is graded by a head that saw its label) and a final head trained on all
// labelled knees, saved as a model of its own that grades the unlabelled knees.
import path from 'node:path';
import type { Db } from '../../db/connection';
import { listKnees } from '../../db/repositories/knees';
import { confusionMatrix } from '../../stats/confusion';
import { pairMetrics } from '../../stats/agreement';
import type { HeadCard } from '../card';
import type { InstalledModel, ModelRoots } from '../registry';
import { argmax } from '../softmax';
import { ensureModelRow } from '../store';
import { currentEmbeddingsFor } from './embeddings';
import { storeHeadPrediction } from './store-head-prediction';
import { crossValidate, trainFinalHead, type Example } from './cv';
import { writeHeadModel } from './head-model';
import { labelSpecText, loadLabels, type LabelSpec } from './labels';
import { DEFAULT_TRAIN, mlpPredict, type TrainOptions } from './mlp';

export interface TrainHeadOptions {
  db: Db;
  roots: ModelRoots;
  embeddingModel: InstalledModel;
  labels: LabelSpec;
  folds?: number;
  name?: string;
  train?: Partial<TrainOptions>;
}

export interface TrainHeadResult {
  card: HeadCard;
  dir: string;
  labelled: number;
  unlabelledGraded: number;
  cv: { qwk: number; exactAccuracy: number; mae: number; n: number; confusion: number[][] };
  skipped: { kneeId: number; reason: string }[];
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
function finite(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => Number.isFinite(v)));
}

function nextVersion(prev: string | undefined): string {
  const m = prev?.match(/^(\d+)\.(\d+)\.(\d+)$/);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : '1.0.0';
}

export async function trainHead(o: TrainHeadOptions): Promise<TrainHeadResult> {
  const emb = o.embeddingModel.card;
  if (emb.approach !== 'embedding') throw new Error(`${emb.name} is not an embedding model`);
  const folds = o.folds ?? 5;
  const opts: TrainOptions = { ...DEFAULT_TRAIN, ...o.train };
  const embModelId = ensureModelRow(o.db, emb);
  const { labels, spec } = loadLabels(o.db, o.labels);
  const knees = listKnees(o.db, { readerIds: [] });
  const vectors = currentEmbeddingsFor(o.db, embModelId, knees, emb.input.crop.sizeMm);
  const skipped: { kneeId: number; reason: string }[] = [];
  const examples: Example[] = [];
  for (const k of knees) {
    const y = labels.get(k.id);
    if (y === undefined) continue;
    const v = vectors.get(k.id);
    if (!v) {
      skipped.push({
        kneeId: k.id,
        reason: `no embedding from ${emb.name} for the knee's current pixels and crop (run kneegrade embed)`,
      });
      continue;
    }
    examples.push({ kneeId: k.id, group: String(k.patient.id), x: v, y });
  }
  if (examples.length < folds * 2)
    throw new Error(
      `only ${examples.length} labelled knees have embeddings from ${emb.name}; need at least ${folds * 2} for ${folds}-fold cross-validation`,
    );
  if (new Set(examples.map((e) => e.y)).size < 2)
    throw new Error('the labels use a single KL grade: nothing to learn');

  const cv = crossValidate(examples, folds, opts);
  const final = trainFinalHead(examples, cv, opts);

  const oofGrades = examples.map((e) => argmax(cv.oof.get(e.kneeId)!.probs));
  const m = pairMetrics(
    confusionMatrix(
      examples.map((e) => e.y),
      oofGrades,
    ),
  );
  const confusion: number[][] = [];
  const cm = confusionMatrix(
    examples.map((e) => e.y),
    oofGrades,
  );
  for (let i = 0; i < 5; i++) confusion.push(Array.from(cm.subarray(i * 5, i * 5 + 5)));

  const name = o.name ?? `mlp-${emb.name}`;
  const dir = path.join(o.roots.user, name);
  const prevVersion = (
    o.db.prepare('SELECT version FROM models WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as
      { version: string } | undefined
  )?.version;
  const card = writeHeadModel(
    dir,
    {
      name,
      version: nextVersion(prevVersion),
      approach: 'embedding-head',
      architecture: `mlp-${emb.output.dim}-${opts.hidden}-5`,
      description: `MLP head on ${emb.name} embeddings, trained in KneeGrade`,
      embeddingModel: { name: emb.name, version: emb.version, sha256: emb.sha256, dim: emb.output.dim },
      output: { name: 'probs', kind: 'probs', classes: 5 },
      training: {
        data: `${examples.length} labelled knees (${labelSpecText(spec)}) with ${emb.name} embeddings`,
        labels: labelSpecText(spec),
        command: 'kneegrade head train',
        seed: opts.seed,
        folds,
        options: opts,
        finalEpochs: final.epochs,
        perGradeCounts: [0, 1, 2, 3, 4].map((g) => examples.filter((e) => e.y === g).length),
        // The knees whose labels trained the final head: they are only ever graded by cross-validation.
        labelledKneeIds: examples.map((e) => e.kneeId),
        trainedAt: new Date().toISOString(),
      },
      // Undefined metrics (NaN, e.g. kappa when every grade predicted is the same) are left out or null.
      ...(Number.isFinite(m.qwk)
        ? {
            validation: {
              split: `${folds}-fold cross-validation (grouped by patient)`,
              n: m.n,
              qwk: m.qwk,
              ...finite({
                linearKappa: m.linearKappa,
                exactAccuracy: m.exactAccuracy,
                adjacentAccuracy: m.adjacentAccuracy,
                mae: m.mae,
              }),
              perGrade: m.perGrade.map((g) => ({
                grade: g.grade,
                precision: orNull(g.precision),
                recall: orNull(g.recall),
                f1: orNull(g.f1),
                support: g.support,
              })),
              confusion,
            },
          }
        : {}),
    },
    final.weights,
  );
  const headId = ensureModelRow(o.db, card);
  const byId = new Map(knees.map((k) => [k.id, k]));
  // Cross-validated grades for the labelled knees, the final head for the rest.
  o.db.transaction(() => {
    for (const e of examples) {
      const k = byId.get(e.kneeId)!;
      const probs = cv.oof.get(e.kneeId)!.probs;
      storeHeadPrediction(o.db, headId, k, probs);
    }
  })();
  let unlabelledGraded = 0;
  o.db.transaction(() => {
    for (const k of knees) {
      if (labels.has(k.id)) continue;
      const v = vectors.get(k.id);
      if (!v) continue;
      const probs = mlpPredict(final.weights, v);
      storeHeadPrediction(o.db, headId, k, probs);
      unlabelledGraded++;
    }
  })();
  return {
    card,
    dir,
    labelled: examples.length,
    unlabelledGraded,
    cv: { qwk: m.qwk, exactAccuracy: m.exactAccuracy, mae: m.mae, n: m.n, confusion },
    skipped,
  };
}
