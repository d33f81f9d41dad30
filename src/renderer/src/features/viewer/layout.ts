// Where the panes go in the canvas: the whole film on the left and the knee crop, larger, on the
// right; only the knee pane when the image already is a knee crop.
import type { Pane, Rect, Size } from './types';

/** Fraction of the width given to the film pane when both are shown. */
export const FILM_FRACTION = 0.4;
const GAP = 4; // device px between panes

export function paneRects(canvas: Size, showFilm: boolean): { id: Pane['id']; rect: Rect }[] {
  const w = Math.max(1, Math.floor(canvas.w));
  const h = Math.max(1, Math.floor(canvas.h));
  if (!showFilm || w < 200) return [{ id: 'knee', rect: { x: 0, y: 0, w, h } }];
  const filmW = Math.floor((w - GAP) * FILM_FRACTION);
  return [
    { id: 'film', rect: { x: 0, y: 0, w: filmW, h } },
    { id: 'knee', rect: { x: filmW + GAP, y: 0, w: w - filmW - GAP, h } },
  ];
}

/** The pane under a canvas point (device px), if any. */
export function paneAt<P extends { rect: Rect }>(panes: readonly P[], x: number, y: number): P | undefined {
  return panes.find(
    (p) => x >= p.rect.x && x < p.rect.x + p.rect.w && y >= p.rect.y && y < p.rect.y + p.rect.h,
  );
}
