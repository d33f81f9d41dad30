// VOI transforms of DICOM PS3.14 / PS3.3 C.11.2.1.2, in TypeScript. The fragment shader (gl/shaders.ts)
// implements the same formulas; these copies drive the 2D-canvas fallback and the unit tests that pin
// the maths, so the two must change together.
import type { VoiFunction, WindowSetting } from './types';

/** Map a modality value to display intensity 0..1 through the window. */
export function applyVoi(x: number, win: WindowSetting, fn: VoiFunction): number {
  const { center: c, width: w } = win;
  if (fn === 'SIGMOID') return 1 / (1 + Math.exp((-4 * (x - c)) / w));
  if (fn === 'LINEAR_EXACT') return clamp01((x - c) / w + 0.5);
  // LINEAR: width below 1 is not allowed by the standard; treat it as a threshold at c - 0.5.
  const wm1 = Math.max(w - 1, 1e-6);
  return clamp01((x - (c - 0.5)) / wm1 + 0.5);
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Window change for a mouse drag, the PACS convention: right widens, left narrows; down raises the
 * level (image darker), up lowers it. Sensitivity scales with the value range so a 12-bit CR and an
 * 8-bit PNG feel the same: crossing the pane's width changes the width by the whole range.
 */
export function dragWindow(
  start: WindowSetting,
  dx: number,
  dy: number,
  range: number,
  paneExtent: number,
): WindowSetting {
  const perPx = Math.max(range, 1) / Math.max(paneExtent, 1);
  return {
    center: start.center + dy * perPx,
    width: Math.max(1, start.width + dx * perPx),
  };
}
