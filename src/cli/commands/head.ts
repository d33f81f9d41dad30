// kneegrade head train|evaluate — the classifier on frozen embeddings, trained inside KneeGrade.
import type { Command } from 'commander';
import { findModel, ModelRefusedError } from '../../core/inference/registry';
import { trainHead } from '../../core/inference/head/train-head';
import { loadLabels, parseLabelSpec } from '../../core/inference/head/labels';
import { listKnees } from '../../core/db/repositories/knees';
import { confusionMatrix } from '../../core/stats/confusion';
import { pairMetrics } from '../../core/stats/agreement';
import { CliError, EXIT } from '../context';
import { globals, modelRootsOf, openDb, out } from './models';

function positiveInt(v: string, what: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${what} must be an integer >= ${min} (got '${v}')`, EXIT.USAGE);
  return n;
}

function confusionText(c: number[][]): string {
  return [
    '        pred 0    1    2    3    4',
    ...c.map((row, i) => `  ref ${i} ${row.map((v) => String(v).padStart(5)).join('')}`),
  ].join('\n');
}

export function register(program: Command): void {
  const head = program
    .command('head')
    .description('train and evaluate the MLP classifier on stored embeddings');

  head
    .command('train')
    .description(
      'k-fold cross-validated MLP head on an embedding model’s stored embeddings; saved as a model of its own',
    )
    .requiredOption(
      '--embedding <model>',
      'the embedding model whose stored embeddings to use (run kneegrade embed first)',
    )
    .option('--labels <spec>', "'reference', 'reference:<source>' or 'reader:<name>'", 'reference')
    .option('--folds <k>', 'cross-validation folds', '5')
    .option('--seed <n>', 'random seed', '42')
    .option('--hidden <n>', 'hidden units', '64')
    .option('--name <name>', 'name of the head model (default mlp-<embedding model>)')
    .action(
      async (
        opts: {
          embedding: string;
          labels: string;
          folds: string;
          seed: string;
          hidden: string;
          name?: string;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const roots = modelRootsOf(g);
        let emb;
        try {
          emb = await findModel(roots, opts.embedding);
        } catch (e) {
          if (e instanceof ModelRefusedError) throw new CliError(e.message);
          throw e;
        }
        let labels;
        try {
          labels = parseLabelSpec(opts.labels);
        } catch (e) {
          throw new CliError((e as Error).message, EXIT.USAGE);
        }
        const db = openDb(g);
        try {
          const r = await trainHead({
            db,
            roots,
            embeddingModel: emb,
            labels,
            folds: positiveInt(opts.folds, '--folds', 2),
            ...(opts.name ? { name: opts.name } : {}),
            train: {
              seed: positiveInt(opts.seed, '--seed', 0),
              hidden: positiveInt(opts.hidden, '--hidden'),
            },
          });
          out(g, r, () =>
            [
              `trained ${r.card.name} ${r.card.version} on ${r.labelled} labelled knees -> ${r.dir}`,
              `cross-validated (${opts.folds}-fold, grouped by patient): QWK ${r.cv.qwk.toFixed(3)}, exact accuracy ${r.cv.exactAccuracy.toFixed(3)}, MAE ${r.cv.mae.toFixed(3)} (n=${r.cv.n})`,
              confusionText(r.cv.confusion),
              `labelled knees carry their cross-validated grade; ${r.unlabelledGraded} unlabelled knees graded by the final head`,
              ...r.skipped.map((s) => `  skipped knee ${s.kneeId}: ${s.reason}`),
            ].join('\n'),
          );
        } catch (e) {
          throw new CliError((e as Error).message);
        } finally {
          db.close();
        }
      },
    );

  head
    .command('evaluate')
    .description('agreement of a head’s stored (cross-validated) grades with labels')
    .requiredOption('--head <name>', 'the head model')
    .option('--labels <spec>', 'labels to compare with (default: the ones it was trained on)')
    .action(async (opts: { head: string; labels?: string }, cmd: Command) => {
      const g = globals(cmd);
      let model;
      try {
        model = await findModel(modelRootsOf(g), opts.head);
      } catch (e) {
        if (e instanceof ModelRefusedError) throw new CliError(e.message);
        throw e;
      }
      if (model.card.approach !== 'embedding-head')
        throw new CliError(`${opts.head} is not an embedding head`);
      const trainedOn = String((model.card.training as { labels?: string }).labels ?? 'reference');
      const db = openDb(g);
      try {
        const { labels, spec } = loadLabels(db, parseLabelSpec(opts.labels ?? trainedOn));
        const row = db.prepare('SELECT id FROM models WHERE sha256 = ?').get(model.card.sha256) as
          { id: number } | undefined;
        const knees = listKnees(db, { readerIds: [] });
        const stmt = db.prepare(
          'SELECT klg FROM predictions WHERE model_id = ? AND knee_id = ? AND pixel_sha256 = ? AND crop_x = ? AND crop_y = ? AND crop_w = ? AND crop_h = ? ORDER BY id DESC LIMIT 1',
        );
        const ref: number[] = [];
        const pred: number[] = [];
        for (const k of knees) {
          const y = labels.get(k.id);
          if (y === undefined || !row) continue;
          const p = stmt.get(row.id, k.id, k.image.pixelSha256, k.crop.x, k.crop.y, k.crop.w, k.crop.h) as
            { klg: number } | undefined;
          if (!p) continue;
          ref.push(y);
          pred.push(p.klg);
        }
        if (ref.length === 0)
          throw new CliError(
            `no current ${opts.head} grades for labelled knees (run kneegrade predict --model ${opts.head})`,
          );
        const m = pairMetrics(confusionMatrix(ref, pred));
        const cm = confusionMatrix(ref, pred);
        const confusion = [0, 1, 2, 3, 4].map((i) => Array.from(cm.subarray(i * 5, i * 5 + 5)));
        const result = {
          head: model.card.name,
          version: model.card.version,
          labels: spec,
          n: m.n,
          qwk: m.qwk,
          linearKappa: m.linearKappa,
          exactAccuracy: m.exactAccuracy,
          mae: m.mae,
          confusion,
        };
        out(g, result, () =>
          [
            `${model.card.name} ${model.card.version} vs ${opts.labels ?? trainedOn} (n=${m.n}; labelled training knees carry cross-validated grades)`,
            `QWK ${m.qwk.toFixed(3)}, linear kappa ${m.linearKappa.toFixed(3)}, exact accuracy ${m.exactAccuracy.toFixed(3)}, MAE ${m.mae.toFixed(3)}`,
            confusionText(confusion),
          ].join('\n'),
        );
      } finally {
        db.close();
      }
    });
}
