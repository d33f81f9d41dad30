import { describe, expect, it } from 'vitest';
import {
  MAX_ZOOM,
  actualSize,
  fitView,
  imageToScreen,
  panBy,
  screenToImage,
  zoomAt,
} from '../../../src/renderer/src/features/viewer/viewTransform';

const pane = { w: 1000, h: 800 };

describe('view transform', () => {
  it('fit centres the region and scales it to the limiting side, with the margin', () => {
    const v = fitView({ x: 0, y: 0, w: 2500, h: 2000 }, pane, 0);
    expect(v.zoom).toBeCloseTo(0.4, 12); // min(1000/2500, 800/2000)
    expect(v.cx).toBe(1250);
    expect(v.cy).toBe(1000);
    const m = fitView({ x: 100, y: 200, w: 400, h: 400 }, pane, 0.05);
    expect(m.zoom).toBeCloseTo((800 * 0.9) / 400, 12);
    expect(m.cx).toBe(300);
    expect(m.cy).toBe(400);
  });

  it('the fitted region’s corners land inside the pane', () => {
    const r = { x: 300, y: 500, w: 700, h: 700 };
    const v = fitView(r, pane);
    const a = imageToScreen(v, pane, r.x, r.y);
    const b = imageToScreen(v, pane, r.x + r.w, r.y + r.h);
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(b.x).toBeLessThanOrEqual(pane.w);
    expect(b.y).toBeLessThanOrEqual(pane.h);
  });

  it('screenToImage inverts imageToScreen', () => {
    const v = { zoom: 2.5, cx: 123.4, cy: 987.6 };
    const s = imageToScreen(v, pane, 400, 700);
    const i = screenToImage(v, pane, s.x, s.y);
    expect(i.x).toBeCloseTo(400, 9);
    expect(i.y).toBeCloseTo(700, 9);
  });

  it('zoomAt keeps the image point under the pointer fixed', () => {
    const v = { zoom: 0.5, cx: 1000, cy: 1000 };
    const before = screenToImage(v, pane, 200, 150);
    const z = zoomAt(v, pane, 200, 150, 3);
    expect(z.zoom).toBeCloseTo(1.5, 12);
    const after = screenToImage(z, pane, 200, 150);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });

  it('zoom is clamped', () => {
    expect(zoomAt({ zoom: 30, cx: 0, cy: 0 }, pane, 0, 0, 100).zoom).toBe(MAX_ZOOM);
  });

  it('panBy moves the image with the pointer', () => {
    const v = { zoom: 2, cx: 500, cy: 500 };
    const p = panBy(v, 100, -40);
    // The image point that was under (x, y) is now under (x + 100, y - 40).
    const was = screenToImage(v, pane, 300, 300);
    const now = screenToImage(p, pane, 400, 260);
    expect(now.x).toBeCloseTo(was.x, 9);
    expect(now.y).toBeCloseTo(was.y, 9);
  });

  it('1:1 keeps the centre', () => {
    expect(actualSize({ zoom: 0.3, cx: 5, cy: 6 })).toEqual({ zoom: 1, cx: 5, cy: 6 });
  });
});
