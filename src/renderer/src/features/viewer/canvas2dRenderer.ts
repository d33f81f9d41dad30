// Fallback when WebGL2 is unavailable: window the whole image to 8 bits on the CPU (only when the
// window or inversion changes), then draw it into each pane with the pane's camera. Slower to drag,
// but every feature still works; the viewer says which renderer is in use.
import type { ImageRenderer } from './renderer';
import type { DisplayState, Pane, ViewerPixels, VoiFunction } from './types';
import { applyVoi } from './windowing';

export class Canvas2dRenderer implements ImageRenderer {
  readonly kind = 'canvas2d' as const;
  private readonly ctx: CanvasRenderingContext2D;
  private px: ViewerPixels | null = null;
  private bitmap: HTMLCanvasElement | null = null;
  private lastKey = '';

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('Neither WebGL2 nor a 2D canvas is available in this window');
    this.ctx = ctx;
  }

  setImage(px: ViewerPixels): void {
    this.px = px;
    this.lastKey = '';
    this.bitmap = document.createElement('canvas');
    this.bitmap.width = px.width;
    this.bitmap.height = px.height;
  }

  /** The 2D path windows on the CPU per display change; nothing useful to do ahead. */
  preload(_px: ViewerPixels): void {}

  private refreshBitmap(display: DisplayState, voi: VoiFunction): void {
    const px = this.px;
    const bitmap = this.bitmap;
    if (!px || !bitmap) return;
    const key = `${display.window.center}|${display.window.width}|${display.invert}|${voi}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const bctx = bitmap.getContext('2d');
    if (!bctx) return;
    const img = bctx.createImageData(px.width, px.height);
    const out = img.data;
    for (let i = 0; i < px.width * px.height; i++) {
      let y = applyVoi((px.data[i] ?? 0) * px.slope + px.intercept, display.window, voi);
      if (display.invert) y = 1 - y;
      const g = Math.round(y * 255);
      const o = i * 4;
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
      out[o + 3] = 255;
    }
    bctx.putImageData(img, 0, 0);
  }

  render(panes: readonly Pane[], display: DisplayState, voi: VoiFunction): void {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#08090a';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.refreshBitmap(display, voi);
    if (!this.bitmap) return;
    for (const pane of panes) {
      const { x, y, w, h } = pane.rect;
      const { zoom, cx, cy } = pane.view;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, y, w, h);
      ctx.clip();
      ctx.fillStyle = '#000';
      ctx.fillRect(x, y, w, h);
      ctx.imageSmoothingEnabled = zoom < 1 || zoom > 1;
      ctx.setTransform(zoom, 0, 0, zoom, x + w / 2 - cx * zoom, y + h / 2 - cy * zoom);
      ctx.drawImage(this.bitmap, 0, 0);
      ctx.restore();
    }
  }

  finish(): void {
    // 2D canvas draws synchronously.
  }

  dispose(): void {
    this.px = null;
    this.bitmap = null;
  }
}
