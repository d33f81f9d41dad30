/** Cut a rectangle out of an 8-bit grey image; parts outside the image are filled with black. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function cropGrey(src: GreyImage, rect: { x: number; y: number; w: number; h: number }): GreyImage {
  const x0 = Math.round(rect.x);
  const y0 = Math.round(rect.y);
  const w = Math.max(1, Math.round(rect.w));
  const h = Math.max(1, Math.round(rect.h));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= src.height) continue;
    const from = Math.max(0, x0);
    const to = Math.min(src.width, x0 + w);
    if (to <= from) continue;
    out.set(src.data.subarray(sy * src.width + from, sy * src.width + to), y * w + (from - x0));
  }
  return { width: w, height: h, data: out };
}
