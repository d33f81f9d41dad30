import { describe, expect, it } from 'vitest';
import {
  defaultWindow,
  fullRangeWindow,
  percentileWindow,
  windowPresets,
} from '../../../src/renderer/src/features/viewer/presets';
import type { ViewerPixels } from '../../../src/renderer/src/features/viewer/types';

function ramp(n: number, windows: ViewerPixels['windows'] = []): ViewerPixels {
  const data = new Uint16Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  return {
    width: n,
    height: 1,
    data,
    slope: 1,
    intercept: 0,
    min: 0,
    max: n - 1,
    windows,
    voiFunction: 'LINEAR',
    invert: false,
  };
}

describe('window presets', () => {
  it('lists the DICOM’s own windows first, then auto, then full range', () => {
    const p = windowPresets(
      ramp(1000, [
        { center: 40, width: 400, label: 'SOFT' },
        { center: 500, width: 2000 },
      ]),
    );
    expect(p.map((w) => w.label)).toEqual(['DICOM: SOFT', 'DICOM 2', 'Auto (1–99.5 %)', 'Full range']);
    expect(p[0]).toMatchObject({ center: 40, width: 400 });
  });

  it('default window is the first DICOM window, else the percentile window', () => {
    expect(defaultWindow(ramp(1000, [{ center: 7, width: 9 }]))).toMatchObject({ center: 7, width: 9 });
    const auto = defaultWindow(ramp(1001));
    expect(auto.label).toBe('Auto (1–99.5 %)');
  });

  it('percentile window spans the quantiles of the modality values (rescale applied)', () => {
    const px = ramp(1001);
    const w = percentileWindow(px, 0.01, 0.99);
    expect(w).not.toBeNull();
    expect(w!.center - w!.width / 2).toBeCloseTo(10, 0);
    expect(w!.center + w!.width / 2).toBeCloseTo(990, 0);
    const scaled = percentileWindow({ ...px, slope: 2, intercept: -1000 }, 0.01, 0.99)!;
    expect(scaled.center - scaled.width / 2).toBeCloseTo(-980, 0);
  });

  it('a constant image has no percentile window; full range is still usable', () => {
    const flat: ViewerPixels = { ...ramp(10), data: new Uint16Array(10).fill(5), min: 5, max: 5 };
    expect(percentileWindow(flat, 0.01, 0.99)).toBeNull();
    expect(fullRangeWindow(flat).width).toBeGreaterThanOrEqual(1);
  });
});
