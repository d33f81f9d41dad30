// Dragging the models' input crop: move it, or resize it from a corner keeping it square (the
// models' crop is a joint-centred square), never smaller than MIN_CROP_PX nor outside the image.
import type { Rect, Size } from './types';

export const MIN_CROP_PX = 32;

export type CropHandle = 'move' | 'nw' | 'ne' | 'sw' | 'se';

/** The crop after dragging `handle` by (dx, dy) image pixels from `start`. */
export function dragCrop(start: Rect, handle: CropHandle, dx: number, dy: number, image: Size): Rect {
  if (handle === 'move') {
    return {
      ...start,
      x: clamp(start.x + dx, -start.w / 2, image.w - start.w / 2),
      y: clamp(start.y + dy, -start.h / 2, image.h - start.h / 2),
    };
  }
  // Square resize anchored at the opposite corner: the side follows the larger of the two moves.
  const sx = handle === 'ne' || handle === 'se' ? 1 : -1;
  const sy = handle === 'sw' || handle === 'se' ? 1 : -1;
  const grow = Math.max(sx * dx, sy * dy);
  const maxSide = Math.max(image.w, image.h);
  const side = clamp(Math.max(start.w, start.h) + grow, MIN_CROP_PX, maxSide);
  const anchorX = sx > 0 ? start.x : start.x + start.w;
  const anchorY = sy > 0 ? start.y : start.y + start.h;
  return {
    x: sx > 0 ? anchorX : anchorX - side,
    y: sy > 0 ? anchorY : anchorY - side,
    w: side,
    h: side,
  };
}

/** Crops are stored to 0.1 px: enough for any film and stable as a cache key. */
export function roundCrop(r: Rect): Rect {
  const q = (v: number) => Math.round(v * 10) / 10;
  return { x: q(r.x), y: q(r.y), w: q(r.w), h: q(r.h) };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
