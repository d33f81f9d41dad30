// The interface both image renderers implement (WebGL2, and the 2D-canvas fallback).
import type { DisplayState, Pane, ViewerPixels, VoiFunction } from './types';

export interface ImageRenderer {
  readonly kind: 'webgl2' | 'canvas2d';
  /** Show this image from now on (uploading it unless preload() already did). */
  setImage(px: ViewerPixels): void;
  /** Upload an image the reader will probably see next, so setImage() on it costs nothing. */
  preload(px: ViewerPixels): void;
  /** Paint every pane. Cheap: called on every pointer move while dragging. */
  render(panes: readonly Pane[], display: DisplayState, voi: VoiFunction): void;
  /** Block until every issued paint has completed (benchmarks only: it stalls the pipeline). */
  finish(): void;
  dispose(): void;
}
