// The viewer's imperative core: owns the renderer, the panes' cameras and the display state, and
// paints at most once per animation frame. Pointer drags mutate it directly, so a window drag costs
// one shader pass per frame and no React work.
import { createRenderer } from './createRenderer';
import { paneRects } from './layout';
import { defaultWindow } from './presets';
import type { ImageRenderer } from './renderer';
import type { DisplayState, Pane, Rect, Size, View, ViewerPixels } from './types';
import { actualSize, fitView } from './viewTransform';
import { noteFrame, viewerStats } from './viewerStats';

export type ChangeKind = 'display' | 'view' | 'image';

export class ViewerController {
  readonly renderer: ImageRenderer;
  readonly fallbackReason: string | null;
  panes: Pane[] = [];
  display: DisplayState = { window: { center: 128, width: 256 }, invert: false };
  pixels: ViewerPixels | null = null;
  crop: Rect | null = null;
  private showFilm = true;
  private frame = 0;
  private pendingFirstPaint: { imageKey: number; kneeId: number } | null = null;
  private readonly listeners = new Set<(kind: ChangeKind) => void>();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    forceCanvas2d = false,
  ) {
    const made = createRenderer(canvas, forceCanvas2d);
    this.renderer = made.renderer;
    this.fallbackReason = made.fallbackReason;
    viewerStats.renderer = this.renderer.kind;
    viewerStats.measureFrames = (n) => this.measureFrames(n);
  }

  private measureFrames(n: number): number {
    if (!this.pixels || n < 1) return NaN;
    const start = this.display;
    this.renderer.render(this.panes, this.display, this.pixels.voiFunction);
    this.renderer.finish();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const window = { ...start.window, center: start.window.center + (i % 20) };
      this.renderer.render(this.panes, { ...start, window }, this.pixels.voiFunction);
      this.renderer.finish();
    }
    const perFrame = (performance.now() - t0) / n;
    this.display = start;
    this.requestRender();
    return perFrame;
  }

  onChange(listener: (kind: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bumped on every change, so a late subscriber can tell it missed one. */
  revision = 0;

  private emit(kind: ChangeKind): void {
    this.revision++;
    for (const l of this.listeners) l(kind);
  }

  /** Show a new image (or the same one, another knee): reset window only when the image changes. */
  setImage(
    pixels: ViewerPixels,
    crop: Rect | null,
    showFilm: boolean,
    imageKey: number,
    kneeId: number,
  ): void {
    const newImage = pixels !== this.pixels;
    if (newImage) {
      const t0 = performance.now();
      this.renderer.setImage(pixels);
      viewerStats.lastUploadMs = performance.now() - t0;
      this.pixels = pixels;
      this.display = { window: defaultWindow(pixels), invert: pixels.invert };
    } else {
      viewerStats.lastUploadMs = null; // the same film (the other knee): nothing to upload
    }
    this.crop = crop;
    this.showFilm = showFilm;
    this.pendingFirstPaint = { imageKey, kneeId };
    this.layout();
    this.fitAll();
    this.emit('image');
  }

  /** Put a film the reader will probably see next on the GPU now, while nothing is waiting on it. */
  preload(pixels: ViewerPixels): void {
    if (pixels === this.pixels) return;
    try {
      this.renderer.preload(pixels);
    } catch (e) {
      // Not fatal: setImage() will try again and report it if the film is really shown.
      console.warn(`[viewer] preload failed: ${(e as Error).message}`);
    }
  }

  setCrop(crop: Rect | null): void {
    this.crop = crop;
    this.emit('view');
  }

  /** Canvas size changed (device pixels): keep each pane's centre and zoom, new rectangles. */
  resize(size: Size): void {
    this.canvas.width = Math.max(1, Math.round(size.w));
    this.canvas.height = Math.max(1, Math.round(size.h));
    const hadPanes = this.panes.length > 0;
    this.layout();
    if (!hadPanes) this.fitAll();
    this.requestRender();
    this.emit('view');
  }

  private layout(): void {
    const rects = paneRects({ w: this.canvas.width, h: this.canvas.height }, this.showFilm);
    const old = new Map(this.panes.map((p) => [p.id, p.view]));
    this.panes = rects.map(({ id, rect }) => ({ id, rect, view: old.get(id) ?? { zoom: 1, cx: 0, cy: 0 } }));
  }

  /** What each pane shows when fitted: the film pane the whole image, the knee pane the crop. */
  private fitRegion(pane: Pane): Rect | null {
    const px = this.pixels;
    if (!px) return null;
    const whole = { x: 0, y: 0, w: px.width, h: px.height };
    if (pane.id === 'film' || !this.crop) return whole;
    // The knee pane shows a little margin around the crop so its outline stays grabbable.
    const m = this.crop.w * 0.08;
    return { x: this.crop.x - m, y: this.crop.y - m, w: this.crop.w + 2 * m, h: this.crop.h + 2 * m };
  }

  fitAll(): void {
    for (const p of this.panes) this.fitPane(p.id, false);
    this.requestRender();
    this.emit('view');
  }

  fitPane(id: Pane['id'], notify = true): void {
    const pane = this.panes.find((p) => p.id === id);
    const region = pane && this.fitRegion(pane);
    if (!pane || !region) return;
    pane.view = fitView(region, { w: pane.rect.w, h: pane.rect.h });
    if (notify) {
      this.requestRender();
      this.emit('view');
    }
  }

  actualSizeAll(): void {
    for (const p of this.panes) p.view = actualSize(p.view);
    this.requestRender();
    this.emit('view');
  }

  setView(id: Pane['id'], view: View): void {
    const pane = this.panes.find((p) => p.id === id);
    if (!pane) return;
    pane.view = view;
    this.requestRender();
    this.emit('view');
  }

  setDisplay(display: Partial<DisplayState>): void {
    this.display = { ...this.display, ...display };
    this.requestRender();
    this.emit('display');
  }

  /** Window, inversion and cameras back to the image's defaults. */
  reset(): void {
    if (!this.pixels) return;
    this.display = { window: defaultWindow(this.pixels), invert: this.pixels.invert };
    this.fitAll();
    this.emit('display');
  }

  requestRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  renderNow(): void {
    if (!this.pixels) return;
    const t0 = performance.now();
    this.renderer.render(this.panes, this.display, this.pixels.voiFunction);
    const t1 = performance.now();
    noteFrame(t1, t1 - t0);
    if (this.pendingFirstPaint) {
      const { imageKey, kneeId } = this.pendingFirstPaint;
      this.pendingFirstPaint = null;
      viewerStats.lastPaintedImage = imageKey;
      viewerStats.lastPaintedKnee = kneeId;
      viewerStats.lastFirstPaintMs = viewerStats.requestedAt === null ? null : t1 - viewerStats.requestedAt;
      window.dispatchEvent(new CustomEvent('kneegrade:first-paint', { detail: { kneeId, imageKey } }));
    }
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.renderer.dispose();
    this.listeners.clear();
  }
}
