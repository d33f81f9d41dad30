import { describe, expect, it } from 'vitest';
import { FILM_FRACTION, paneAt, paneRects } from '../../../src/renderer/src/features/viewer/layout';

describe('pane layout', () => {
  it('film on the left, knee on the right, no overlap, filling the canvas', () => {
    const [film, knee] = paneRects({ w: 1600, h: 900 }, true);
    expect(film!.id).toBe('film');
    expect(knee!.id).toBe('knee');
    expect(film!.rect.x).toBe(0);
    expect(film!.rect.w).toBe(Math.floor((1600 - 4) * FILM_FRACTION));
    expect(knee!.rect.x).toBeGreaterThan(film!.rect.x + film!.rect.w);
    expect(knee!.rect.x + knee!.rect.w).toBe(1600);
    expect(knee!.rect.h).toBe(900);
  });

  it('only the knee pane for an image that is already a crop', () => {
    expect(paneRects({ w: 1600, h: 900 }, false)).toEqual([
      { id: 'knee', rect: { x: 0, y: 0, w: 1600, h: 900 } },
    ]);
  });

  it('finds the pane under a point', () => {
    const panes = paneRects({ w: 1000, h: 500 }, true);
    expect(paneAt(panes, 10, 10)?.id).toBe('film');
    expect(paneAt(panes, 990, 10)?.id).toBe('knee');
    expect(paneAt(panes, 1000, 10)).toBeUndefined();
  });
});
