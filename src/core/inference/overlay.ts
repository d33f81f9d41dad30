// PNG overlay of an occlusion map on the crop the model saw: grey crop below, a heat colour scale on
// top whose opacity follows the probability drop (regions that do not matter stay uncoloured).
import { PNG } from 'pngjs';
import { bilinearResize } from '../preprocess/bilinear';
import type { OcclusionMap } from './explain';

/** A perceptually ordered heat scale (black-red-yellow-white), t in 0..1. */
function heat(t: number): [number, number, number] {
  const r = Math.min(1, t * 3);
  const g = Math.min(1, Math.max(0, t * 3 - 1));
  const b = Math.min(1, Math.max(0, t * 3 - 2));
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

export function overlayPng(m: OcclusionMap, maxAlpha = 0.6): Buffer {
  const n = m.native.size;
  const up = bilinearResize(Float32Array.from(m.map), m.size, m.size, n, n);
  let max = 0;
  for (const v of up) if (v > max) max = v;
  const png = new PNG({ width: n, height: n });
  for (let i = 0; i < n * n; i++) {
    const g = m.native.pixels[i]!;
    const t = max > 0 ? Math.max(0, up[i]!) / max : 0;
    const [r, gg, b] = heat(t);
    const a = maxAlpha * t;
    png.data[i * 4] = Math.round(g * (1 - a) + r * a);
    png.data[i * 4 + 1] = Math.round(g * (1 - a) + gg * a);
    png.data[i * 4 + 2] = Math.round(g * (1 - a) + b * a);
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
