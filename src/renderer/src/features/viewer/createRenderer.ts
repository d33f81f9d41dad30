import { Canvas2dRenderer } from './canvas2dRenderer';
import { GlRenderer } from './gl/glRenderer';
import type { ImageRenderer } from './renderer';

/**
 * WebGL2 when the window has it, else the 2D canvas, with the reason kept so the viewer can say why.
 * `forceCanvas2d` exists for testing the fallback path.
 */
export function createRenderer(
  canvas: HTMLCanvasElement,
  forceCanvas2d = false,
): { renderer: ImageRenderer; fallbackReason: string | null } {
  if (forceCanvas2d)
    return { renderer: new Canvas2dRenderer(canvas), fallbackReason: 'WebGL2 disabled by setting' };
  try {
    return { renderer: new GlRenderer(canvas), fallbackReason: null };
  } catch (e) {
    const reason = (e as Error).message;
    console.warn(`[viewer] ${reason}; falling back to a 2D canvas`);
    return { renderer: new Canvas2dRenderer(canvas), fallbackReason: reason };
  }
}
