import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/phantoms/rng';

function moments(draw: () => number, n: number): { mean: number; sd: number; beyond3: number } {
  let s = 0;
  let s2 = 0;
  let beyond3 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
    if (Math.abs(x) > 3) beyond3++;
  }
  const mean = s / n;
  return { mean, sd: Math.sqrt(s2 / n - mean * mean), beyond3: beyond3 / n };
}

describe('Rng', () => {
  it('is reproducible from its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('both normal generators are standard normal (mean 0, sd 1, 0.27% beyond 3 sd)', () => {
    for (const g of [(r: Rng) => r.gaussian(), (r: Rng) => r.gaussianFast()]) {
      const r = new Rng(7);
      const m = moments(() => g(r), 200_000);
      expect(Math.abs(m.mean)).toBeLessThan(0.01);
      expect(Math.abs(m.sd - 1)).toBeLessThan(0.01);
      expect(m.beyond3).toBeGreaterThan(0.002);
      expect(m.beyond3).toBeLessThan(0.0035);
    }
  });
});
