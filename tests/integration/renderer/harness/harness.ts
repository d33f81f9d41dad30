/// <reference lib="dom" />
// Runs in Chromium (served by Vite from the repository): paints a known image through the real
// renderers and reads the pixels back, so the test can compare them with the TypeScript VOI maths.
import { Canvas2dRenderer } from '../../../../src/renderer/src/features/viewer/canvas2dRenderer';
import { GlRenderer } from '../../../../src/renderer/src/features/viewer/gl/glRenderer';
import type { ImageRenderer } from '../../../../src/renderer/src/features/viewer/renderer';
import type { ViewerPixels, VoiFunction } from '../../../../src/renderer/src/features/viewer/types';

export interface HarnessCase {
  renderer: 'webgl2' | 'canvas2d';
  width: number;
  height: number;
  kind: 'u16' | 'i16' | 'f32';
  values: number[];
  slope: number;
  intercept: number;
  window: { center: number; width: number };
  voi: VoiFunction;
  invert: boolean;
  view: { zoom: number; cx: number; cy: number };
  canvas: { w: number; h: number };
}

function typed(c: HarnessCase): ViewerPixels['data'] {
  if (c.kind === 'u16') return Uint16Array.from(c.values);
  if (c.kind === 'i16') return Int16Array.from(c.values);
  return Float32Array.from(c.values);
}

function pixelsOf(c: HarnessCase): ViewerPixels {
  return {
    width: c.width,
    height: c.height,
    data: typed(c),
    slope: c.slope,
    intercept: c.intercept,
    min: Math.min(...c.values) * c.slope + c.intercept,
    max: Math.max(...c.values) * c.slope + c.intercept,
    windows: [],
    voiFunction: c.voi,
    invert: false,
  };
}

/** Paint the case into a fresh canvas and return its grey levels (row-major, top row first). */
function run(c: HarnessCase): { grey: number[]; kind: string } {
  const canvas = document.createElement('canvas');
  canvas.width = c.canvas.w;
  canvas.height = c.canvas.h;
  document.body.appendChild(canvas);
  const r: ImageRenderer = c.renderer === 'webgl2' ? new GlRenderer(canvas) : new Canvas2dRenderer(canvas);
  r.setImage(pixelsOf(c));
  const grey = paintAndRead(r, canvas, c);
  r.dispose();
  canvas.remove();
  return { grey, kind: r.kind };
}

/**
 * One renderer, two films: show A, preload B, show B, show A again. Returns what each paint showed,
 * so the test can check the texture cache switches films without mixing them up.
 */
function runSwitch(a: HarnessCase, b: HarnessCase): { grey: number[][] } {
  const canvas = document.createElement('canvas');
  canvas.width = a.canvas.w;
  canvas.height = a.canvas.h;
  document.body.appendChild(canvas);
  const r = new GlRenderer(canvas);
  const pa = pixelsOf(a);
  const pb = pixelsOf(b);
  const out: number[][] = [];
  r.setImage(pa);
  out.push(paintAndRead(r, canvas, a));
  r.preload(pb);
  out.push(paintAndRead(r, canvas, a)); // preloading B must not change what is shown
  r.setImage(pb);
  out.push(paintAndRead(r, canvas, b));
  r.setImage(pa);
  out.push(paintAndRead(r, canvas, a));
  r.dispose();
  canvas.remove();
  return { grey: out };
}

function paintAndRead(r: ImageRenderer, canvas: HTMLCanvasElement, c: HarnessCase): number[] {
  r.render(
    [{ id: 'knee', rect: { x: 0, y: 0, w: c.canvas.w, h: c.canvas.h }, view: c.view }],
    { window: c.window, invert: c.invert },
    c.voi,
  );
  const grey: number[] = [];
  if (c.renderer === 'webgl2') {
    const gl = canvas.getContext('webgl2')!;
    const buf = new Uint8Array(c.canvas.w * c.canvas.h * 4);
    gl.readPixels(0, 0, c.canvas.w, c.canvas.h, gl.RGBA, gl.UNSIGNED_BYTE, buf);
    // GL rows run bottom-up.
    for (let y = c.canvas.h - 1; y >= 0; y--)
      for (let x = 0; x < c.canvas.w; x++) grey.push(buf[(y * c.canvas.w + x) * 4]!);
  } else {
    const data = canvas.getContext('2d')!.getImageData(0, 0, c.canvas.w, c.canvas.h).data;
    for (let i = 0; i < c.canvas.w * c.canvas.h; i++) grey.push(data[i * 4]!);
  }
  return grey;
}

(window as unknown as { __harness: { run: typeof run; runSwitch: typeof runSwitch } }).__harness = {
  run,
  runSwitch,
};
document.title = 'ready';
