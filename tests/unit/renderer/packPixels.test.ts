import { describe, expect, it } from 'vitest';
import { packPixels } from '../../../src/renderer/src/features/viewer/gl/packPixels';
import type { ViewerPixels } from '../../../src/renderer/src/features/viewer/types';

function px(data: ViewerPixels['data'], slope = 1, intercept = 0): ViewerPixels {
  return {
    width: data.length,
    height: 1,
    data,
    slope,
    intercept,
    min: 0,
    max: 0,
    windows: [],
    voiFunction: 'LINEAR',
    invert: false,
  };
}

/** The modality values the shader will compute from the packed texture. */
function decoded(p: ReturnType<typeof packPixels>): number[] {
  return Array.from(p.data, (t) => t * p.slope + p.intercept);
}

describe('packPixels', () => {
  it('uploads 16-bit unsigned data as-is (no copy)', () => {
    const data = new Uint16Array([0, 1, 4095, 65535]);
    const p = packPixels(px(data, 2, -1024));
    expect(p.format).toBe('R16UI');
    expect(p.data).toBe(data);
    expect(decoded(p)).toEqual([-1024, -1022, 7166, 130046]);
  });

  it('shifts signed 16-bit into R16UI and folds the shift into the intercept, exactly', () => {
    const data = new Int16Array([-32768, -1000, 0, 32767]);
    const p = packPixels(px(data, 1, -1024));
    expect(p.format).toBe('R16UI');
    expect(decoded(p)).toEqual([-32768 - 1024, -1000 - 1024, -1024, 32767 - 1024]);
  });

  it('widens 8-bit data to R16UI', () => {
    const p = packPixels(px(new Uint8Array([0, 128, 255])));
    expect(p.format).toBe('R16UI');
    expect(decoded(p)).toEqual([0, 128, 255]);
  });

  it('packs integral floats spanning ≤ 65535 into R16UI without loss', () => {
    const data = new Float32Array([-2000, -1, 0, 3000]);
    const p = packPixels(px(data));
    expect(p.format).toBe('R16UI');
    expect(decoded(p)).toEqual([-2000, -1, 0, 3000]);
  });

  it('keeps fractional floats, and spans over 16 bits, as R32F', () => {
    expect(packPixels(px(new Float32Array([0.5, 1, 2]))).format).toBe('R32F');
    expect(packPixels(px(new Float32Array([0, 70_000]))).format).toBe('R32F');
  });
});
