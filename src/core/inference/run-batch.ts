// Batched inference over many knees: the knees are grouped by image (each film is decoded once), the
// model input is prepared in TypeScript exactly as the card says, batches go to the worker, and every
// result is stored keyed by (model sha256, knee, pixel hash, crop). Knees whose key is already stored
// are not computed again. A knee that fails (unreadable file, changed pixels, bad crop) is reported
// with the reason and the batch goes on; cancellation stops between batches, keeping what was stored.
import type { Db } from '../db/connection';
import { listKnees, type KneeSummary } from '../db/repositories/knees';
import { cropForCard, mirrorTensor, type CropRect } from '../preprocess/crop';
import { prepareInput } from '../preprocess/pipeline';
import type { OnnxCard } from './card';
import type { InferenceHost } from './host';
import { CancelledError, type Provider } from './protocol';
import type { InstalledModel } from './registry';
import { argmax, softmax } from './softmax';
import { ensureModelRow, hasStored, storeEmbedding, storePrediction, type OutputTable } from './store';

export interface PixelSource {
  width: number;
  height: number;
  display8: Uint8Array;
  pixelSha256: string;
}
export type PixelLoader = (path: string) => Promise<PixelSource>;

export interface RunOptions {
  db: Db;
  host: InferenceHost;
  model: InstalledModel;
  kneeIds?: readonly number[];
  studyId?: number;
  /** Recompute even when a stored result has the same key. */
  force?: boolean;
  /** Images per onnxruntime run (TTA mirrors count). Default 16. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; kneeId: number | null }) => void;
  /** Decoder (tests inject failures); default: the app's loadImage. */
  loadPixels?: PixelLoader;
}

export interface RunSummary {
  model: string;
  approach: 'end-to-end' | 'embedding';
  total: number;
  computed: number;
  cached: number;
  failures: { kneeId: number; reason: string }[];
  cancelled: boolean;
  provider: Provider | null;
  fallbackReason?: string;
}

interface Job {
  knee: KneeSummary;
  /** The crop the model ran on (the knee's current crop, sized as the card says). */
  crop: CropRect;
  tensors: Float32Array[];
}

/** The app's image loader, imported on first use so the engine loads without the DICOM stack. */
export const defaultPixelLoader: PixelLoader = async (p) => (await import('../image/load')).loadImage(p);

export async function runModelOnKnees(opts: RunOptions): Promise<RunSummary> {
  const { db, host, model } = opts;
  const card = model.card;
  if (card.approach !== 'end-to-end' && card.approach !== 'embedding')
    throw new Error(
      `${card.name}: an ${card.approach} model runs on stored embeddings (kneegrade head), not on images`,
    );
  const onnx: OnnxCard = card;
  const table: OutputTable = onnx.approach === 'end-to-end' ? 'predictions' : 'embeddings';
  const modelId = ensureModelRow(db, onnx);
  const knees = listKnees(db, {
    ...(opts.studyId !== undefined ? { studyId: opts.studyId } : {}),
    ...(opts.kneeIds ? { kneeIds: opts.kneeIds } : {}),
    readerIds: [],
  });
  const modelCrop = (k: KneeSummary): CropRect =>
    cropForCard(
      { x: k.crop.x, y: k.crop.y, w: k.crop.w, h: k.crop.h },
      onnx.input.crop.sizeMm,
      k.image.pixelSpacing,
      k.image.isJointCrop,
    );
  const summary: RunSummary = {
    model: onnx.name,
    approach: onnx.approach,
    total: knees.length,
    computed: 0,
    cached: 0,
    failures: [],
    cancelled: false,
    provider: null,
  };
  const todo = knees.filter((k) => {
    if (!opts.force && hasStored(db, table, modelId, k.id, k.image.pixelSha256, modelCrop(k))) {
      summary.cached++;
      return false;
    }
    return true;
  });
  let done = summary.cached;
  const progress = (kneeId: number | null) => opts.onProgress?.({ done, total: knees.length, kneeId });
  progress(null);

  const tta = onnx.approach === 'end-to-end' && onnx.tta.includes('hflip');
  const perBatch = Math.max(1, Math.floor((opts.batchSize ?? 16) / (tta ? 2 : 1)));
  const load = opts.loadPixels ?? defaultPixelLoader;
  const ref = {
    file: model.file,
    sha256: onnx.sha256,
    inputName: onnx.input.name,
    outputName: onnx.output.name,
  };
  const { channels, size } = onnx.input;
  const plane = channels * size * size;

  const fail = (kneeId: number, reason: string) => {
    summary.failures.push({ kneeId, reason });
    done++;
    progress(kneeId);
  };

  const flush = async (jobs: Job[]): Promise<void> => {
    if (jobs.length === 0) return;
    const tensors = jobs.flatMap((j) => j.tensors);
    // A graph with a fixed batch size (model.maxBatch) gets runs of exactly that many images.
    const chunk = model.maxBatch ?? tensors.length;
    let out: { data: Float32Array; dims: number[]; provider: Provider; fallbackReason?: string };
    try {
      const parts: Float32Array[] = [];
      let last;
      for (let s0 = 0; s0 < tensors.length; s0 += chunk) {
        const part = tensors.slice(s0, s0 + chunk);
        const data = new Float32Array(part.length * plane);
        part.forEach((t, i) => data.set(t, i * plane));
        last = await host.run(ref, data, [part.length, channels, size, size], opts.signal);
        parts.push(last.data);
      }
      const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let off = 0;
      for (const p of parts) {
        joined.set(p, off);
        off += p.length;
      }
      out = { ...last!, data: joined, dims: [tensors.length, last!.dims[1]!] };
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      for (const j of jobs) fail(j.knee.id, `inference failed: ${(e as Error).message}`);
      return;
    }
    summary.provider = out.provider;
    if (out.fallbackReason) summary.fallbackReason = out.fallbackReason;
    const width = out.dims[1]!;
    let row = 0;
    for (const j of jobs) {
      const key = { modelId, kneeId: j.knee.id, pixelSha256: j.knee.image.pixelSha256 };
      const crop = j.crop;
      if (table === 'predictions') {
        const probs = [0, 0, 0, 0, 0];
        for (let t = 0; t < j.tensors.length; t++) {
          const p = softmax(Array.from(out.data.subarray((row + t) * width, (row + t + 1) * width)));
          for (let k = 0; k < 5; k++) probs[k]! += p[k]! / j.tensors.length;
        }
        storePrediction(db, { ...key, crop, probs, klg: argmax(probs), provider: out.provider });
      } else {
        storeEmbedding(db, { ...key, crop, vector: out.data.slice(row * width, (row + 1) * width) });
      }
      row += j.tensors.length;
      summary.computed++;
      done++;
      progress(j.knee.id);
    }
  };

  // Group by image so each film is decoded once for both knees.
  const byImage = new Map<number, KneeSummary[]>();
  for (const k of todo) byImage.set(k.imageId, [...(byImage.get(k.imageId) ?? []), k]);
  let batch: Job[] = [];
  // One batch runs in the worker while the next is decoded and prepared here. A failed batch's
  // error is kept and rethrown at the next hand-over (never left as an unhandled rejection).
  let inFlight: Promise<void> | null = null;
  let flushError: unknown = null;
  const settle = async (): Promise<void> => {
    if (inFlight) await inFlight;
    inFlight = null;
    if (flushError) {
      const e = flushError;
      flushError = null;
      throw e;
    }
  };
  const dispatch = async (jobs: Job[]): Promise<void> => {
    await settle();
    inFlight = flush(jobs).catch((e: unknown) => {
      flushError = e;
    });
  };
  try {
    for (const group of byImage.values()) {
      if (opts.signal?.aborted) throw new CancelledError();
      const first = group[0]!;
      let px: PixelSource;
      try {
        px = await load(first.image.path);
      } catch (e) {
        for (const k of group) fail(k.id, `${first.image.path}: ${(e as Error).message}`);
        continue;
      }
      if (px.pixelSha256 !== first.image.pixelSha256) {
        for (const k of group)
          fail(
            k.id,
            `${first.image.path}: the file's pixels changed since it was imported (pixel sha256 differs); re-import it`,
          );
        continue;
      }
      for (const k of group) {
        try {
          const crop = modelCrop(k);
          const prepared = prepareInput(
            {
              image: { width: px.width, height: px.height, pixels: px.display8 },
              crop,
              side: k.side,
              appliedSteps: k.image.appliedSteps,
            },
            onnx.input,
          );
          const tensors = [prepared.tensor];
          if (tta) tensors.push(mirrorTensor(prepared.tensor, channels, size));
          batch.push({ knee: k, crop, tensors });
        } catch (e) {
          fail(k.id, `${first.image.path} (${k.side} knee): ${(e as Error).message}`);
        }
        if (batch.length >= perBatch) {
          await dispatch(batch);
          batch = [];
        }
      }
    }
    if (opts.signal?.aborted) throw new CancelledError();
    await dispatch(batch);
    await settle();
  } catch (e) {
    // Let a batch still in the worker finish and be stored before reporting.
    if (inFlight) await inFlight;
    if (!(e instanceof CancelledError)) throw e;
    summary.cancelled = true;
  }
  return summary;
}
