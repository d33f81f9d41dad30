import { describe, expect, it } from 'vitest';
import { KneeTimer } from '../../../src/renderer/src/features/grading/kneeTimer';

describe('KneeTimer', () => {
  it('counts time on the knee shown, not while the window is hidden', () => {
    let t = 1000;
    const timer = new KneeTimer(() => t);
    timer.start(5);
    t += 3000;
    timer.pause(); // window hidden
    t += 60_000;
    timer.resume();
    t += 2000;
    expect(timer.elapsed(5)).toBe(5000);
    expect(timer.elapsed(6)).toBe(0);
  });

  it('restarts for a new knee and after a grade; start on the same knee keeps counting', () => {
    let t = 0;
    const timer = new KneeTimer(() => t);
    timer.start(1);
    t = 500;
    timer.start(1);
    t = 800;
    expect(timer.elapsed(1)).toBe(800);
    timer.restart();
    t = 1000;
    expect(timer.elapsed(1)).toBe(200);
    timer.start(2);
    t = 1300;
    expect(timer.elapsed(2)).toBe(300);
  });
});
