// The inference engine's entry points for the application services and the CLI: run models over
// knees (end-to-end models on pixels, heads on stored embeddings, computing missing embeddings first),
// and explain one knee's grade.
import type { Db } from '../db/connection';
import { explainKnee, toGrid, type OcclusionMap } from './explain';
import { gradeWithHead } from './head/grade';
import type { InferenceHost } from './host';
import { listModels, type InstalledModel, type ModelRoots } from './registry';
import { runModelOnKnees, type PixelLoader, type RunSummary } from './run-batch';

export interface InferenceProgressEvent {
  done: number;
  total: number;
  model: string | null;
  kneeId: number | null;
}

export interface RunInferenceOptions {
  db: Db;
  host: InferenceHost;
  roots: ModelRoots;
  /** Model names; default every installed grading model (end-to-end and embedding heads). */
  models?: readonly string[];
  kneeIds?: readonly number[];
  studyId?: number;
  force?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: InferenceProgressEvent) => void;
  loadPixels?: PixelLoader;
}

export interface RunInferenceResult {
  computed: number;
  cached: number;
  cancelled: boolean;
  failures: { kneeId: number; model: string; reason: string }[];
  /** One summary per model run (embedding models run for a head appear too). */
  runs: (Omit<RunSummary, 'approach'> & { approach: RunSummary['approach'] | 'embedding-head' })[];
}

/** Resolve model names against the installed models; unknown or refused names throw with the reason. */
export async function selectModels(
  roots: ModelRoots,
  names: readonly string[] | undefined,
  approaches: readonly string[],
): Promise<InstalledModel[]> {
  const all = await listModels(roots);
  if (!names || names.length === 0)
    return all.filter((m): m is InstalledModel => m.ok && approaches.includes(m.card.approach));
  return names.map((n) => {
    const hit = all.find((m) => (m.ok ? m.card.name : m.name) === n);
    if (!hit) {
      const installed = all.filter((m): m is InstalledModel => m.ok).map((m) => m.card.name);
      throw new Error(`no model named '${n}' is installed (installed: ${installed.join(', ') || 'none'})`);
    }
    if (!hit.ok) throw new Error(hit.reason);
    return hit;
  });
}

export async function runInference(o: RunInferenceOptions): Promise<RunInferenceResult> {
  const models = await selectModels(o.roots, o.models, ['end-to-end', 'embedding-head']);
  const installed = (await listModels(o.roots)).filter((m): m is InstalledModel => m.ok);
  const result: RunInferenceResult = { computed: 0, cached: 0, cancelled: false, failures: [], runs: [] };
  const scope = {
    ...(o.kneeIds ? { kneeIds: o.kneeIds } : {}),
    ...(o.studyId !== undefined ? { studyId: o.studyId } : {}),
  };
  const record = (s: RunInferenceResult['runs'][number], counts = true) => {
    result.runs.push(s);
    if (counts) {
      result.computed += s.computed;
      result.cached += s.cached;
    }
    result.failures.push(...s.failures.map((f) => ({ ...f, model: s.model })));
    if (s.cancelled) result.cancelled = true;
  };
  for (const model of models) {
    if (o.signal?.aborted) {
      result.cancelled = true;
      break;
    }
    const progress = (p: { done: number; total: number; kneeId: number | null }) =>
      o.onProgress?.({ ...p, model: model.card.name });
    const card = model.card;
    if (card.approach === 'embedding-head') {
      // Embeddings the head needs are computed first when its embedding model is installed.
      const emb = installed.find((m) => m.card.sha256 === card.embeddingModel.sha256);
      if (emb) {
        record(
          await runModelOnKnees({
            db: o.db,
            host: o.host,
            model: emb,
            ...scope,
            ...(o.batchSize ? { batchSize: o.batchSize } : {}),
            ...(o.signal ? { signal: o.signal } : {}),
            ...(o.loadPixels ? { loadPixels: o.loadPixels } : {}),
            onProgress: (p) => o.onProgress?.({ ...p, model: emb.card.name }),
          }),
          false,
        );
        if (result.cancelled) break;
      }
      record(
        gradeWithHead({
          db: o.db,
          head: model,
          ...scope,
          ...(o.force ? { force: true } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          onProgress: progress,
        }),
      );
    } else if (card.approach === 'end-to-end') {
      record(
        await runModelOnKnees({
          db: o.db,
          host: o.host,
          model,
          ...scope,
          ...(o.force ? { force: true } : {}),
          ...(o.batchSize ? { batchSize: o.batchSize } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.loadPixels ? { loadPixels: o.loadPixels } : {}),
          onProgress: progress,
        }),
      );
    } else {
      throw new Error(
        `${card.name} is an embedding model: it produces embeddings (kneegrade embed), not grades`,
      );
    }
  }
  return result;
}

/** Run embedding models (default: every installed one) and store the embeddings. */
export async function runEmbeddings(o: RunInferenceOptions): Promise<RunInferenceResult> {
  const models = await selectModels(o.roots, o.models, ['embedding']);
  const result: RunInferenceResult = { computed: 0, cached: 0, cancelled: false, failures: [], runs: [] };
  for (const model of models) {
    if (model.card.approach !== 'embedding')
      throw new Error(`${model.card.name} is not an embedding model (it is ${model.card.approach})`);
    if (o.signal?.aborted) {
      result.cancelled = true;
      break;
    }
    const s = await runModelOnKnees({
      db: o.db,
      host: o.host,
      model,
      ...(o.kneeIds ? { kneeIds: o.kneeIds } : {}),
      ...(o.studyId !== undefined ? { studyId: o.studyId } : {}),
      ...(o.force ? { force: true } : {}),
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.loadPixels ? { loadPixels: o.loadPixels } : {}),
      onProgress: (p) => o.onProgress?.({ ...p, model: model.card.name }),
    });
    result.runs.push(s);
    result.computed += s.computed;
    result.cached += s.cached;
    result.failures.push(...s.failures.map((f) => ({ ...f, model: s.model })));
    if (s.cancelled) result.cancelled = true;
  }
  return result;
}

/** The contract's Explanation: an occlusion grid normalised to 0..1 over the knee's current crop. */
export async function explainForContract(o: {
  db: Db;
  host: InferenceHost;
  roots: ModelRoots;
  kneeId: number;
  model: string;
  gridSize: number;
  cacheDir?: string;
  signal?: AbortSignal;
}): Promise<{
  kneeId: number;
  model: string;
  klg: number;
  probs: number[];
  crop: OcclusionMap['crop'];
  gridRows: number;
  gridCols: number;
  map: number[];
}> {
  const [model] = await selectModels(o.roots, [o.model], ['end-to-end']);
  const m = await explainKnee({
    db: o.db,
    host: o.host,
    model: model!,
    kneeId: o.kneeId,
    ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const g = toGrid(m, o.gridSize);
  return {
    kneeId: o.kneeId,
    model: m.model,
    klg: m.klg,
    probs: m.probs,
    crop: m.crop,
    gridRows: g.rows,
    gridCols: g.cols,
    map: g.values,
  };
}
