import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/services';
import { packUint16, windowFromVoiLut } from '../../../src/core/services/images';
import { pixelsAsUint16 } from '../../../src/shared/contract';
import { buildFixture, H, pngValue, W, type Fixture } from './fixture';

let f: Fixture;
beforeEach(() => {
  f = buildFixture(1);
});
afterEach(() => f.cleanup());

describe('images:pixels', () => {
  it('returns the exact grey values of a PNG as 16-bit values', async () => {
    const px = await dispatch('images:pixels', { imageId: f.imageIds[0]! }, f.ctx);
    expect(px).toMatchObject({
      rows: H,
      columns: W,
      frame: 0,
      frames: 1,
      invert: false,
      sourceFormat: 'png',
    });
    const u16 = pixelsAsUint16(px);
    expect(u16.length).toBe(W * H);
    for (const [x, y] of [
      [0, 0],
      [5, 3],
      [63, 31],
    ] as const) {
      expect(u16[y * W + x]! * px.scale + px.offset).toBe(pngValue(x, y));
    }
  });

  it('names the image and the file when the file has gone', async () => {
    const { rmSync } = await import('node:fs');
    const path = (
      f.ctx.db.prepare('SELECT path FROM images WHERE id = ?').get(f.imageIds[0]!) as { path: string }
    ).path;
    rmSync(path);
    const err = await dispatch('images:pixels', { imageId: f.imageIds[0]! }, f.ctx).catch(
      (e: unknown) => e as Error,
    );
    expect((err as Error).message).toContain(path);
    await expect(dispatch('images:pixels', { imageId: 999 }, f.ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('packUint16', () => {
  it('is lossless for integer values within 16 bits, including negative (e.g. rescaled) ones', () => {
    const v = new Float32Array([-1024, 0, 3071, 12]);
    const p = packUint16(v);
    expect(p).toMatchObject({ scale: 1, offset: -1024, min: -1024, max: 3071 });
    const u = pixelsAsUint16(p);
    expect(Array.from(u, (s) => s * p.scale + p.offset)).toEqual([-1024, 0, 3071, 12]);
  });
  it('scales non-integer or wide ranges into 65536 levels', () => {
    const v = new Float32Array([0, 0.5, 1]);
    const p = packUint16(v);
    const u = pixelsAsUint16(p);
    expect(u[2]).toBe(65535);
    expect(u[1]! * p.scale + p.offset).toBeCloseTo(0.5, 4);
  });
});

describe('windowFromVoiLut', () => {
  it('spans the rising part of the LUT', () => {
    // flat 0 for inputs 100..109, rising 110..119, flat 4095 from 120
    const data = [
      ...Array(10).fill(0),
      ...Array.from({ length: 10 }, (_, i) => (i + 1) * 400),
      ...Array(10).fill(4095),
    ];
    const w = windowFromVoiLut({ firstMapped: 100, data, explanation: 'NORMAL' })!;
    expect(w.center).toBe((109 + 120) / 2);
    expect(w.width).toBe(11);
    expect(w.explanation).toBe('NORMAL (as a linear window)');
    expect(windowFromVoiLut({ firstMapped: 0, data: [5, 5, 5] })).toBeNull();
  });
});
