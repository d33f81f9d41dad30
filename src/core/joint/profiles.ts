/** 1-D profile helpers for joint localisation. */

/** Block-mean downsample of an 8-bit grey image by an integer factor (edges: partial blocks dropped). */
export function downsample(
  src: Uint8Array,
  width: number,
  height: number,
  f: number,
): { data: Float32Array; width: number; height: number } {
  const w = Math.max(1, Math.floor(width / f));
  const h = Math.max(1, Math.floor(height / f));
  const data = new Float32Array(w * h);
  const inv = 1 / (f * f);
  for (let y = 0; y < h; y++) {
    for (let yy = 0; yy < f; yy++) {
      const srow = (y * f + yy) * width;
      for (let x = 0; x < w; x++) {
        let s = 0;
        const sx = srow + x * f;
        for (let xx = 0; xx < f; xx++) s += src[sx + xx]!;
        data[y * w + x]! += s * inv;
      }
    }
  }
  return { data, width: w, height: h };
}

/** Mean of each column over rows [y0, y1). */
export function columnProfile(
  img: { data: Float32Array; width: number },
  y0: number,
  y1: number,
  x0 = 0,
  x1 = img.width,
): Float32Array {
  const out = new Float32Array(img.width);
  const n = Math.max(1, y1 - y0);
  for (let y = y0; y < y1; y++) {
    const base = y * img.width;
    for (let x = x0; x < x1; x++) out[x]! += img.data[base + x]!;
  }
  for (let x = 0; x < out.length; x++) out[x]! /= n;
  return out;
}

/** Mean of each row over columns [x0, x1). */
export function rowProfile(
  img: { data: Float32Array; width: number; height: number },
  x0: number,
  x1: number,
): Float32Array {
  const a = Math.max(0, Math.min(img.width, x0));
  const b = Math.max(a + 1, Math.min(img.width, x1));
  const out = new Float32Array(img.height);
  for (let y = 0; y < img.height; y++) {
    let s = 0;
    const base = y * img.width;
    for (let x = a; x < b; x++) s += img.data[base + x]!;
    out[y] = s / (b - a);
  }
  return out;
}

/** Centred moving average of odd width (shrinking at the ends). */
export function boxSmooth(p: Float32Array, width: number): Float32Array {
  const r = Math.max(0, Math.floor(width / 2));
  if (r === 0) return p.slice();
  const prefix = new Float64Array(p.length + 1);
  for (let i = 0; i < p.length; i++) prefix[i + 1] = prefix[i]! + p[i]!;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const a = Math.max(0, i - r);
    const b = Math.min(p.length, i + r + 1);
    out[i] = (prefix[b]! - prefix[a]!) / (b - a);
  }
  return out;
}

/** Index of the largest value in [a, b). */
export function argmax(p: ArrayLike<number>, a = 0, b = p.length): number {
  let best = a;
  for (let i = a + 1; i < b; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/**
 * How much darker row i is than the bright structures on both sides: min(max above, max below) - p[i],
 * looking `near`..`far` samples away. A joint space is a narrow dark band between two bright bones.
 */
export function valleyDepth(p: Float32Array, near: number, far: number): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    let above = -Infinity;
    let below = -Infinity;
    for (let k = near; k <= far; k++) {
      if (i - k >= 0 && p[i - k]! > above) above = p[i - k]!;
      if (i + k < p.length && p[i + k]! > below) below = p[i + k]!;
    }
    const v = Math.min(above, below) - p[i]!;
    out[i] = Number.isFinite(v) && v > 0 ? v : 0;
  }
  return out;
}
