// Timing the viewer keeps about itself, read by the benchmark (bench/sections/viewer.ts) through
// `window.__kneegradeViewer`. Cheap enough to keep on always: a fixed ring of frame times.

export interface ViewerStats {
  /** performance.now() when the last image was requested (the reader chose a knee). */
  requestedAt: number | null;
  /** ms from that request to the first frame painted with the new image. */
  lastFirstPaintMs: number | null;
  /** Image id of that paint. */
  lastPaintedImage: number | null;
  /** Knee id whose first paint is measured. */
  lastPaintedKnee: number | null;
  /** Renderer in use. */
  renderer: string | null;
  /** performance.now() at each of the last frames rendered. */
  frameTimes: number[];
  /** CPU ms spent in each of those render calls. */
  renderMs: number[];
  /** ms to upload the last new image to the renderer (texture upload on WebGL2). */
  lastUploadMs: number | null;
  /** Frames rendered since the page loaded (frameTimes keeps only the last ones). */
  framesTotal: number;
  /**
   * Paint `n` frames back to back, each with a different window, waiting for each to complete; returns
   * the ms per frame. Measures the shader pass alone, without input dispatch or compositing.
   */
  measureFrames: ((n: number) => number) | null;
  /** Knee details and films being fetched now (prefetches included): 0 means the caches are settled. */
  loadsInFlight: number;
}

const RING = 600;

export const viewerStats: ViewerStats = {
  requestedAt: null,
  lastFirstPaintMs: null,
  lastPaintedImage: null,
  lastPaintedKnee: null,
  renderer: null,
  frameTimes: [],
  renderMs: [],
  loadsInFlight: 0,
  lastUploadMs: null,
  framesTotal: 0,
  measureFrames: null,
};

(window as unknown as { __kneegradeViewer?: ViewerStats }).__kneegradeViewer = viewerStats;

export function noteFrame(at: number, ms: number): void {
  viewerStats.framesTotal++;
  viewerStats.frameTimes.push(at);
  viewerStats.renderMs.push(ms);
  if (viewerStats.frameTimes.length > RING) {
    viewerStats.frameTimes.splice(0, viewerStats.frameTimes.length - RING);
    viewerStats.renderMs.splice(0, viewerStats.renderMs.length - RING);
  }
}

/** Call when the reader selects a knee: the clock for "time to first paint" starts here. */
export function noteKneeRequested(): void {
  viewerStats.requestedAt = performance.now();
}

/** Count a fetch as in flight until it settles (the benchmark waits for prefetches to finish). */
export function trackLoad<T>(p: Promise<T>): Promise<T> {
  viewerStats.loadsInFlight++;
  const done = () => {
    viewerStats.loadsInFlight--;
  };
  p.then(done, done);
  return p;
}
