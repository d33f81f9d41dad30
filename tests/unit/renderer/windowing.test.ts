import { describe, expect, it } from 'vitest';
import { applyVoi, dragWindow } from '../../../src/renderer/src/features/viewer/windowing';

describe('applyVoi (DICOM PS3.3 C.11.2.1.2)', () => {
  const win = { center: 2048, width: 4096 };

  it('LINEAR: the standard’s thresholds c - 0.5 ± (w - 1)/2', () => {
    const lo = win.center - 0.5 - (win.width - 1) / 2; // 0
    const hi = win.center - 0.5 + (win.width - 1) / 2; // 4095
    expect(applyVoi(lo, win, 'LINEAR')).toBe(0);
    expect(applyVoi(lo - 100, win, 'LINEAR')).toBe(0);
    expect(applyVoi(hi, win, 'LINEAR')).toBe(1);
    expect(applyVoi(hi + 100, win, 'LINEAR')).toBe(1);
    // Middle of the ramp: ((x - (c - 0.5)) / (w - 1) + 0.5)
    expect(applyVoi(2047.5, win, 'LINEAR')).toBeCloseTo(0.5, 12);
    expect(applyVoi(1000, win, 'LINEAR')).toBeCloseTo((1000 - 2047.5) / 4095 + 0.5, 12);
  });

  it('LINEAR_EXACT: thresholds c ± w/2, no half-pixel offset', () => {
    const w = { center: 100, width: 50 };
    expect(applyVoi(75, w, 'LINEAR_EXACT')).toBe(0);
    expect(applyVoi(125, w, 'LINEAR_EXACT')).toBe(1);
    expect(applyVoi(100, w, 'LINEAR_EXACT')).toBe(0.5);
    expect(applyVoi(110, w, 'LINEAR_EXACT')).toBeCloseTo(0.7, 12);
  });

  it('SIGMOID: 1 / (1 + exp(-4 (x - c) / w))', () => {
    const w = { center: 100, width: 50 };
    expect(applyVoi(100, w, 'SIGMOID')).toBe(0.5);
    expect(applyVoi(150, w, 'SIGMOID')).toBeCloseTo(1 / (1 + Math.exp(-4)), 12);
    expect(applyVoi(50, w, 'SIGMOID')).toBeCloseTo(1 / (1 + Math.exp(4)), 12);
  });

  it('LINEAR with width 1 is a threshold, not a division by zero', () => {
    const w = { center: 10, width: 1 };
    expect(applyVoi(9, w, 'LINEAR')).toBe(0);
    expect(applyVoi(11, w, 'LINEAR')).toBe(1);
    expect(Number.isFinite(applyVoi(9.5, w, 'LINEAR'))).toBe(true);
  });
});

describe('dragWindow', () => {
  it('right widens, down raises the level, scaled so the pane width spans the value range', () => {
    const w = dragWindow({ center: 1000, width: 500 }, 100, 50, 4000, 800);
    expect(w.width).toBe(1000); // 500 + 100 * 4000/800
    expect(w.center).toBe(1250); // 1000 + 50 * 5
  });

  it('never narrows below width 1', () => {
    expect(dragWindow({ center: 10, width: 20 }, -10_000, 0, 255, 500).width).toBe(1);
  });
});
