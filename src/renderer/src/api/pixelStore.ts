// Decoded films for the viewer, kept for the current, previous and next knees so moving on after a
// grade key paints at once. Both knees of a bilateral film share one entry.
import type { KneeGradeApi } from '../../../shared/api';
import type { ViewerPixels } from '../features/viewer/types';
import { trackLoad } from '../features/viewer/viewerStats';
import { PromiseLru } from './lruCache';
import { toViewerPixels } from './pixels';

/** A 2500×2000 16-bit film is 10 MB; four keep memory modest and cover prev/current/next. */
const CAPACITY = 4;

export function createPixelStore(api: KneeGradeApi): PromiseLru<number, ViewerPixels> {
  return new PromiseLru(CAPACITY, (imageId) =>
    trackLoad(api.images.pixels({ imageId }).then(toViewerPixels)),
  );
}
