import { toDisplay8 } from '../dicom';
import type { LoadedImage } from './load';

export interface Window {
  center: number;
  width: number;
}

/** Linear window to 8 bits (DICOM PS3.3 C.11.2.1.2.1 "LINEAR" formula, also used for rasters). */
export function linearWindow8(values: Float32Array, win: Window, invert = false): Uint8Array {
  const out = new Uint8Array(values.length);
  const w = Math.max(1, win.width);
  const c = win.center;
  const lo = c - 0.5 - (w - 1) / 2;
  const hi = c - 0.5 + (w - 1) / 2;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let y: number;
    if (v <= lo) y = 0;
    else if (v > hi) y = 255;
    else y = ((v - (c - 0.5)) / (w - 1) + 0.5) * 255;
    const b = Math.round(Math.min(255, Math.max(0, y)));
    out[i] = invert ? 255 - b : b;
  }
  return out;
}

/** Stretch the value range onto 0-255 (the default view of a 16-bit raster with no stored window). */
export function minMaxWindow8(values: Float32Array): Uint8Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Uint8Array(values.length);
  if (!(max > min)) return out;
  const k = 255 / (max - min);
  for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i]! - min) * k);
  return out;
}

/**
 * The 8-bit view of a loaded image with a chosen window (omitted: the image's default view). DICOM goes
 * through the DICOM module so VOI LUT functions and MONOCHROME1 are handled in one place.
 */
export function displayWithWindow(img: LoadedImage, win?: Window, invert?: boolean): Uint8Array {
  if (img.dicom) {
    return toDisplay8(img.dicom, {
      ...(win ? { window: win } : {}),
      ...(invert !== undefined ? { invert } : {}),
    });
  }
  if (!win) return invert ? img.display8.map((v) => 255 - v) : img.display8;
  return linearWindow8(img.values, win, invert ?? false);
}
