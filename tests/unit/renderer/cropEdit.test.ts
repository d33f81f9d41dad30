import { describe, expect, it } from 'vitest';
import { MIN_CROP_PX, dragCrop, roundCrop } from '../../../src/renderer/src/features/viewer/cropEdit';

const image = { w: 2500, h: 2000 };
const start = { x: 500, y: 600, w: 400, h: 400 };

describe('dragCrop', () => {
  it('moves the crop by the drag', () => {
    expect(dragCrop(start, 'move', 30, -20, image)).toEqual({ x: 530, y: 580, w: 400, h: 400 });
  });

  it('keeps at least half the crop on the image when moved far', () => {
    const r = dragCrop(start, 'move', -10_000, 10_000, image);
    expect(r.x).toBe(-200);
    expect(r.y).toBe(image.h - 200);
  });

  it('resizes from a corner, square, anchored at the opposite corner', () => {
    const se = dragCrop(start, 'se', 50, 10, image);
    expect(se).toEqual({ x: 500, y: 600, w: 450, h: 450 });
    const nw = dragCrop(start, 'nw', -40, -10, image);
    expect(nw).toEqual({ x: 460, y: 560, w: 440, h: 440 });
    expect(nw.x + nw.w).toBe(start.x + start.w);
    expect(nw.y + nw.h).toBe(start.y + start.h);
    const ne = dragCrop(start, 'ne', 20, -60, image);
    expect(ne).toMatchObject({ x: 500, w: 460, h: 460 });
    expect(ne.y + ne.h).toBe(start.y + start.h);
  });

  it('never shrinks below the minimum', () => {
    expect(dragCrop(start, 'se', -1000, -1000, image).w).toBe(MIN_CROP_PX);
  });

  it('rounds to 0.1 px', () => {
    expect(roundCrop({ x: 1.234, y: 5.678, w: 10.06, h: 10.04 })).toEqual({ x: 1.2, y: 5.7, w: 10.1, h: 10 });
  });
});
