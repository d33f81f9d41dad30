import { voiLutLevel, windowLevel } from './voi';
import type { DecodedImage, DisplayOptions } from './types';

/** Largest integer span tabulated (covers any 16-bit image after an integer rescale). */
const MAX_TABLE_SPAN = 1 << 20;

/**
 * The VOI + inversion mapping from one modality value to 0..255: the given window, else the file's first
 * window, else its VOI LUT, else the full min..max range.
 */
export function displayMapping(img: DecodedImage, opts: DisplayOptions = {}): (x: number) => number {
  const invert = opts.invert ?? img.invert;
  const window = opts.window ?? img.windows[0];
  const fin = invert ? (y: number) => 255 - y : (y: number) => y;

  if (!window && img.voiLut) {
    const lut = img.voiLut;
    return (x) => fin(Math.round(voiLutLevel(x, lut) * 255));
  }
  if (window && img.voiLutFunction === 'SIGMOID') {
    return (x) => fin(Math.round(windowLevel(x, window.center, window.width, 'SIGMOID') * 255));
  }
  // Linear cases reduce to y = (x - lo) * 255 / (hi - lo), clamped to [0, 255].
  let lo: number;
  let hi: number;
  if (window) {
    const { center: c, width: w } = window;
    if (img.voiLutFunction === 'LINEAR_EXACT') {
      lo = c - w / 2;
      hi = c + w / 2;
    } else if (w <= 1) {
      lo = hi = c - 0.5; // width-1 window: a threshold at the centre
    } else {
      // (x - (c - 0.5)) / (w - 1) + 0.5  ==  (x - lo) / (hi - lo)
      lo = c - 0.5 - (w - 1) / 2;
      hi = c - 0.5 + (w - 1) / 2;
    }
  } else {
    lo = img.storedMin;
    hi = img.storedMax;
  }
  if (hi <= lo) {
    // Threshold window; or no window and a flat image: all black.
    return window ? (x) => fin(x >= lo ? 255 : 0) : () => fin(0);
  }
  const range = hi - lo;
  // Multiply before dividing: (x - lo) * (255 / range) rounds 127.5 down to 127.4999...
  return (x) => fin(x <= lo ? 0 : x > hi ? 255 : Math.round(((x - lo) * 255) / range));
}

/**
 * 8-bit grey for display: VOI then inversion (MONOCHROME1 / INVERSE unless overridden). Values are almost
 * always integers (integer stored values, integer rescale), so the mapping is tabulated once over the
 * integer range and applied with one lookup per pixel; non-integer values are mapped directly.
 */
export function toDisplay8(img: DecodedImage, opts: DisplayOptions = {}): Uint8Array {
  const map = displayMapping(img, opts);
  const { values } = img;
  const n = values.length;
  const out = new Uint8Array(n);
  const base = Math.floor(img.storedMin);
  const span = Math.ceil(img.storedMax) - base + 1;
  if (!(span > 0 && span <= MAX_TABLE_SPAN)) {
    for (let i = 0; i < n; i++) out[i] = map(values[i]!);
    return out;
  }
  const table = new Uint8Array(span);
  for (let k = 0; k < span; k++) table[k] = map(base + k);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    const k = x - base;
    out[i] = (k | 0) === k ? table[k]! : map(x);
  }
  return out;
}
