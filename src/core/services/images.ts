// images:pixels: a film's modality values packed as 16-bit integers for the viewer (half the bytes of
// float32, exact for every integer-valued radiograph up to 16 bits stored).
import { readFile } from 'node:fs/promises';
import { ApiError, type ImagePixels, type ParsedInput, type VoiWindow } from '../../shared/contract';
import { getImage, type ImageRecord } from '../db/repositories/images';
import type { ServiceContext } from './context';
import { notFound } from './errors';

/** Pack float values as uint16 + (scale, offset); lossless when they are integers spanning <= 65536 levels. */
export function packUint16(values: Float32Array): {
  data: Uint8Array;
  scale: number;
  offset: number;
  min: number;
  max: number;
} {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && v !== Math.round(v)) integral = false;
  }
  if (values.length === 0) {
    min = 0;
    max = 0;
  }
  const range = max - min;
  const scale = integral && range <= 65535 ? 1 : range > 0 ? range / 65535 : 1;
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i]! - min) / scale);
  return { data: new Uint8Array(out.buffer), scale, offset: min, min, max };
}

/**
 * A VOI LUT (common on CR/DX films that carry no window) as the linear window spanning its rising part:
 * the viewer's shader does linear windows, and a reader can still adjust from there.
 */
export function windowFromVoiLut(lut: {
  firstMapped: number;
  data: ArrayLike<number>;
  explanation?: string;
}): VoiWindow | null {
  const d = lut.data;
  if (d.length < 2) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    lo = Math.min(lo, d[i]!);
    hi = Math.max(hi, d[i]!);
  }
  if (hi === lo) return null;
  let first = 0;
  while (first < d.length - 1 && d[first + 1]! === lo) first++;
  let last = d.length - 1;
  while (last > 0 && d[last - 1]! === hi) last--;
  const a = lut.firstMapped + first;
  const b = lut.firstMapped + last;
  return {
    center: (a + b) / 2,
    width: Math.max(1, b - a),
    explanation: `${lut.explanation ?? 'VOI LUT'} (as a linear window)`,
  };
}

// The viewer asks for the same film twice for a bilateral image (one call per knee): keep a few.
const CACHE_SIZE = 4;
const cache = new Map<string, ImagePixels>();

async function decode(img: ImageRecord, frame: number): Promise<ImagePixels> {
  if (frame >= img.frames)
    throw new ApiError(
      'INVALID_INPUT',
      `image ${img.id} has ${img.frames} frame(s); frame ${frame} does not exist`,
    );
  let values: Float32Array;
  let windows: VoiWindow[] = [];
  let invert = false;
  let pixelSpacing: ImagePixels['pixelSpacing'] = img.pixelSpacing;
  let rows: number;
  let columns: number;
  if (img.sourceFormat === 'dicom') {
    const bytes = await readFile(img.path).catch((e: NodeJS.ErrnoException) => {
      throw new ApiError(
        'NOT_FOUND',
        `image ${img.id}: cannot read ${img.path} (${e.code ?? e.message}); was the file moved?`,
      );
    });
    // Decoders load on first use: they pull in WASM codecs the other channels never need.
    const { decodeDicom } = await import('../dicom');
    const d = await decodeDicom(bytes, { frame, file: img.path });
    values = d.values;
    rows = d.rows;
    columns = d.columns;
    windows = d.windows.map((w) => ({
      center: w.center,
      width: w.width,
      ...(w.explanation ? { explanation: w.explanation } : {}),
    }));
    if (windows.length === 0 && d.voiLut) {
      const w = windowFromVoiLut(d.voiLut);
      if (w) windows = [w];
    }
    invert = d.invert;
    if (d.pixelSpacing)
      pixelSpacing = { row: d.pixelSpacing.row, col: d.pixelSpacing.col, source: d.pixelSpacing.source };
  } else {
    const { loadImage } = await import('../image/load');
    const l = await loadImage(img.path);
    values = l.values;
    rows = l.height;
    columns = l.width;
  }
  const packed = packUint16(values);
  return {
    imageId: img.id,
    rows,
    columns,
    frame,
    frames: img.frames,
    ...packed,
    windows,
    invert,
    pixelSpacing,
    sourceFormat: img.sourceFormat,
  };
}

export async function imagesPixels(
  input: ParsedInput<'images:pixels'>,
  ctx: ServiceContext,
): Promise<ImagePixels> {
  const img = getImage(ctx.db, input.imageId);
  if (!img) throw notFound('image', input.imageId);
  const key = `${ctx.dbPath}|${img.id}|${img.pixelSha256}|${input.frame}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const px = await decode(img, input.frame);
  cache.set(key, px);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return px;
}
