// Pane camera maths: fit, 1:1, zoom about a point, pan, and screen<->image mapping. Pure functions so
// the GL renderer, the 2D fallback, the SVG overlays and the tests all share one definition.
import type { Rect, Size, View } from './types';

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 40;

/** The view that shows `region` whole and centred in a pane, leaving `marginFraction` around it. */
export function fitView(region: Rect, pane: Size, marginFraction = 0.02): View {
  const usableW = pane.w * (1 - 2 * marginFraction);
  const usableH = pane.h * (1 - 2 * marginFraction);
  const zoom = clampZoom(Math.min(usableW / Math.max(region.w, 1), usableH / Math.max(region.h, 1)));
  return { zoom, cx: region.x + region.w / 2, cy: region.y + region.h / 2 };
}

/** One image pixel per device pixel, keeping the centre. */
export function actualSize(view: View): View {
  return { ...view, zoom: 1 };
}

/** Pane-local device pixel (top-left origin) -> image coordinates. */
export function screenToImage(view: View, pane: Size, px: number, py: number): { x: number; y: number } {
  return { x: view.cx + (px - pane.w / 2) / view.zoom, y: view.cy + (py - pane.h / 2) / view.zoom };
}

/** Image coordinates -> pane-local device pixel. */
export function imageToScreen(view: View, pane: Size, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.cx) * view.zoom + pane.w / 2, y: (y - view.cy) * view.zoom + pane.h / 2 };
}

/** Zoom by `factor`, keeping the image point under (px, py) where it is. */
export function zoomAt(view: View, pane: Size, px: number, py: number, factor: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const anchor = screenToImage(view, pane, px, py);
  return {
    zoom,
    cx: anchor.x - (px - pane.w / 2) / zoom,
    cy: anchor.y - (py - pane.h / 2) / zoom,
  };
}

/** Move the image with the pointer by (dx, dy) device pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, cx: view.cx - dx / view.zoom, cy: view.cy - dy / view.zoom };
}

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}
