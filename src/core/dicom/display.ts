import { voiLutLevel, windowLevel } from './voi';
import type { DecodedImage, DisplayOptions } from './types';

/**
 * 8-bit grey for display: VOI (the given window, else the file's first window, else its VOI LUT, else the
 * full min..max range), then inversion (MONOCHROME1 / INVERSE unless overridden).
 */
export function toDisplay8(img: DecodedImage, opts: DisplayOptions = {}): Uint8Array {
  const { values } = img;
  const n = values.length;
  const out = new Uint8Array(n);
  const invert = opts.invert ?? img.invert;
  const window = opts.window ?? img.windows[0];

  if (!window && img.voiLut) {
    const lut = img.voiLut;
    for (let i = 0; i < n; i++) {
      const y = Math.round(voiLutLevel(values[i]!, lut) * 255);
      out[i] = invert ? 255 - y : y;
    }
    return out;
  }

  if (window && img.voiLutFunction === 'SIGMOID') {
    for (let i = 0; i < n; i++) {
      const y = Math.round(windowLevel(values[i]!, window.center, window.width, 'SIGMOID') * 255);
      out[i] = invert ? 255 - y : y;
    }
    return out;
  }

  // Linear cases reduce to y = (x - lo) * 255 / (hi - lo) clamped to [0, 255].
  let lo: number;
  let hi: number;
  if (window) {
    const { center: c, width: w } = window;
    if (img.voiLutFunction === 'LINEAR_EXACT') {
      lo = c - w / 2;
      hi = c + w / 2;
    } else if (w <= 1) {
      lo = c - 0.5;
      hi = c - 0.5; // threshold
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
    // Width-1 window: a threshold at the centre. No window and a flat image: all black.
    for (let i = 0; i < n; i++) {
      const y = window && values[i]! >= lo ? 255 : 0;
      out[i] = invert ? 255 - y : y;
    }
    return out;
  }
  const range = hi - lo;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    // Multiply before dividing: (x - lo) * (255 / range) rounds 127.5 down to 127.4999...
    let y = x <= lo ? 0 : x > hi ? 255 : Math.round(((x - lo) * 255) / range);
    if (invert) y = 255 - y;
    out[i] = y;
  }
  return out;
}
