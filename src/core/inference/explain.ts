// Occlusion-sensitivity explanations (Zeiler & Fergus 2014): the worker slides a mean-filled patch
// over the model input and records how much the predicted grade's probability drops. Results are
// cached on disk keyed by the model file, the knee's pixels, the crop and the patch geometry.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import { getKnee } from '../db/repositories/knees';
import { cropForCard } from '../preprocess/crop';
import { prepareInput } from '../preprocess/pipeline';
import type { EndToEndCard } from './card';
import type { InferenceHost } from './host';
import type { InstalledModel } from './registry';
import { defaultPixelLoader, type PixelLoader } from './run-batch';

export interface OcclusionMap {
  kneeId: number;
  model: string;
  modelSha256: string;
  pixelSha256: string;
  crop: { x: number; y: number; w: number; h: number };
  /** Softmax of the un-occluded input (no test-time augmentation). */
  probs: number[];
  klg: number;
  /** Model input side; `map` is size x size, row-major, in probability units (may be negative). */
  size: number;
  patch: number;
  stride: number;
  map: number[];
  /** The native-resolution grey crop the model saw (after contrast and mirroring), for overlays. */
  native: { size: number; pixels: number[] };
  provider: string;
  cached: boolean;
}

export interface ExplainOptions {
  db: Db;
  host: InferenceHost;
  model: InstalledModel;
  kneeId: number;
  /** Patch side as a fraction of the input (default 1/8) and stride as a fraction of the patch (default 1/2). */
  patchFraction?: number;
  strideFraction?: number;
  cacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  loadPixels?: PixelLoader;
}

export async function explainKnee(o: ExplainOptions): Promise<OcclusionMap> {
  const card = o.model.card;
  if (card.approach !== 'end-to-end')
    throw new Error(`${card.name}: occlusion maps explain end-to-end models only (this is ${card.approach})`);
  const c: EndToEndCard = card;
  const knee = getKnee(o.db, o.kneeId);
  if (!knee) throw new Error(`no knee with id ${o.kneeId}`);
  const size = c.input.size;
  const patch = Math.max(1, Math.round(size * (o.patchFraction ?? 1 / 8)));
  const stride = Math.max(1, Math.round(patch * (o.strideFraction ?? 0.5)));
  const crop = cropForCard(
    { x: knee.crop.x, y: knee.crop.y, w: knee.crop.w, h: knee.crop.h },
    c.input.crop.sizeMm,
    knee.image.pixelSpacing,
    knee.image.isJointCrop,
  );
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        c.sha256,
        knee.image.pixelSha256,
        crop,
        patch,
        stride,
        knee.side,
        knee.image.appliedSteps,
      ]),
    )
    .digest('hex');
  const cacheFile = o.cacheDir ? path.join(o.cacheDir, `${key}.json`) : undefined;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      const hit = JSON.parse(readFileSync(cacheFile, 'utf8')) as OcclusionMap;
      return { ...hit, kneeId: o.kneeId, cached: true };
    } catch {
      // A damaged cache file is recomputed and rewritten.
    }
  }
  const px = await (o.loadPixels ?? defaultPixelLoader)(knee.image.path);
  if (px.pixelSha256 !== knee.image.pixelSha256)
    throw new Error(
      `${knee.image.path}: the file's pixels changed since it was imported (pixel sha256 differs); re-import it`,
    );
  const prepared = prepareInput(
    {
      image: { width: px.width, height: px.height, pixels: px.display8 },
      crop,
      side: knee.side,
      appliedSteps: knee.image.appliedSteps,
    },
    c.input,
  );
  const fill = c.input.normalisation.mean.map(() => 0); // the dataset mean, in normalised units
  const r = await o.host.occlusion(
    { file: o.model.file, sha256: c.sha256, inputName: c.input.name, outputName: c.output.name },
    { data: prepared.tensor, channels: c.input.channels, size },
    {
      patch,
      stride,
      fill,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    },
  );
  const result: OcclusionMap = {
    kneeId: o.kneeId,
    model: c.name,
    modelSha256: c.sha256,
    pixelSha256: knee.image.pixelSha256,
    crop,
    probs: r.probs,
    klg: r.target,
    size,
    patch,
    stride,
    map: Array.from(r.map, (v) => Math.round(v * 1e6) / 1e6),
    native: { size: prepared.nativePx, pixels: Array.from(prepared.native) },
    provider: r.provider,
    cached: false,
  };
  if (cacheFile) {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, cacheFile);
  }
  return result;
}

/** Average the pixel map into a rows x cols grid, negative drops clipped to 0, scaled to 0..1. */
export function toGrid(m: OcclusionMap, grid: number): { rows: number; cols: number; values: number[] } {
  const values = new Array<number>(grid * grid).fill(0);
  const counts = new Array<number>(grid * grid).fill(0);
  for (let y = 0; y < m.size; y++)
    for (let x = 0; x < m.size; x++) {
      const g =
        Math.min(grid - 1, Math.floor((y * grid) / m.size)) * grid +
        Math.min(grid - 1, Math.floor((x * grid) / m.size));
      values[g]! += Math.max(0, m.map[y * m.size + x]!);
      counts[g]!++;
    }
  const avg = values.map((v, i) => (counts[i]! > 0 ? v / counts[i]! : 0));
  const max = Math.max(...avg);
  return { rows: grid, cols: grid, values: avg.map((v) => (max > 0 ? v / max : 0)) };
}
