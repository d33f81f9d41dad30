// Cutting a knee's crop rectangle out of a grey image at the model's native resolution.

import { areaResize } from './area-resize';

/** A crop rectangle in image pixel coordinates (may be fractional, may extend past the image). */
export interface CropRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GreyImage {
  width: number;
  height: number;
  /** Row-major 8-bit grey, display-ready (windowed, MONOCHROME1 already inverted). */
  pixels: Uint8Array;
}

/**
 * Area-resample the crop to nativePx x nativePx. Parts of the crop outside the image are black: a
 * joint near the film's edge keeps its position in the crop instead of being shifted or stretched.
 */
export function cropToNative(img: GreyImage, crop: CropRect, nativePx: number): Uint8Array {
  if (!(crop.w > 0 && crop.h > 0) || ![crop.x, crop.y, crop.w, crop.h].every(Number.isFinite))
    throw new Error(`invalid crop ${JSON.stringify(crop)}: width and height must be positive numbers`);
  const inside = crop.x >= 0 && crop.y >= 0 && crop.x + crop.w <= img.width && crop.y + crop.h <= img.height;
  if (inside) {
    return areaResize(img.pixels, img.width, img.height, nativePx, nativePx, [
      crop.x,
      crop.y,
      crop.x + crop.w,
      crop.y + crop.h,
    ]);
  }
  // Pad: copy the integer-aligned window covering the crop into a black canvas, then resample it.
  const x0 = Math.floor(crop.x);
  const y0 = Math.floor(crop.y);
  const x1 = Math.ceil(crop.x + crop.w);
  const y1 = Math.ceil(crop.y + crop.h);
  const pw = x1 - x0;
  const ph = y1 - y0;
  const padded = new Uint8Array(pw * ph);
  for (let y = Math.max(y0, 0); y < Math.min(y1, img.height); y++) {
    const sx0 = Math.max(x0, 0);
    const sx1 = Math.min(x1, img.width);
    if (sx1 <= sx0) continue;
    padded.set(img.pixels.subarray(y * img.width + sx0, y * img.width + sx1), (y - y0) * pw + (sx0 - x0));
  }
  const bx = crop.x - x0;
  const by = crop.y - y0;
  return areaResize(padded, pw, ph, nativePx, nativePx, [bx, by, bx + crop.w, by + crop.h]);
}

export function mirrorHorizontal(px: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(px.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = px[row + width - 1 - x]!;
  }
  return out;
}

/** Mirror a float CHW tensor horizontally (test-time augmentation). */
export function mirrorTensor(t: Float32Array, channels: number, size: number): Float32Array {
  const out = new Float32Array(t.length);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < size; y++) {
      const row = (c * size + y) * size;
      for (let x = 0; x < size; x++) out[row + x] = t[row + size - 1 - x]!;
    }
  }
  return out;
}

/**
 * The crop a model with a physical crop size (card `crop.sizeMm`) runs on: the knee's current crop
 * re-sized to sizeMm around the same centre when the pixel spacing is known. Crops that already have
 * that size (within a pixel: the joint finder sizes its crops to the cards' 140 mm) are returned
 * unchanged, so the stored crop equals the knee's current crop; whole-image crops of joint-crop
 * datasets and images without spacing are used as they are.
 */
export function cropForCard(
  crop: CropRect,
  sizeMm: number,
  spacing: { row: number; col: number } | null,
  wholeImage: boolean,
): CropRect {
  if (wholeImage || !spacing || !(spacing.row > 0 && spacing.col > 0)) return crop;
  const w = sizeMm / spacing.col;
  const h = sizeMm / spacing.row;
  if (Math.abs(w - crop.w) <= 1 && Math.abs(h - crop.h) <= 1) return crop;
  const cx = crop.x + crop.w / 2;
  const cy = crop.y + crop.h / 2;
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}
