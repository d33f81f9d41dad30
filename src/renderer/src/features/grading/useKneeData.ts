// The current knee's details and pixels, from caches that the prefetcher fills for the next knees.
import { useEffect, useMemo, useState } from 'react';
import type { KneeGradeApi } from '../../../../shared/api';
import type { KneeDetail } from '../../../../shared/contract';
import { errorMessage } from '../../api/errors';
import { PromiseLru } from '../../api/lruCache';
import { createPixelStore } from '../../api/pixelStore';
import type { ViewerPixels } from '../viewer/types';
import { trackLoad } from '../viewer/viewerStats';

export interface KneeCaches {
  details: PromiseLru<number, KneeDetail>;
  pixels: PromiseLru<number, ViewerPixels>;
  /** Start loading a knee's details and then its film, without waiting. */
  prefetch: (kneeId: number) => void;
}

export function useKneeCaches(
  api: KneeGradeApi,
  sessionId: number | null,
  readerId: number | null,
): KneeCaches {
  return useMemo(() => {
    const scope = { ...(sessionId ? { sessionId } : {}), ...(readerId ? { readerId } : {}) };
    const details = new PromiseLru<number, KneeDetail>(16, (kneeId) =>
      trackLoad(api.knees.get({ kneeId, ...scope })),
    );
    const pixels = createPixelStore(api);
    const prefetch = (kneeId: number) => {
      details
        .get(kneeId)
        .then((d) => pixels.warm(d.image.id))
        .catch(() => undefined);
    };
    return { details, pixels, prefetch };
  }, [api, sessionId, readerId]);
}

export interface KneeData {
  detail: KneeDetail | null;
  pixels: ViewerPixels | null;
  error: string | null;
  /** Drop the cached details of this knee and fetch them again (after a crop edit or a model run). */
  refresh: () => void;
}

export function useKneeData(kneeId: number | undefined, caches: KneeCaches): KneeData {
  const [detail, setDetail] = useState<KneeDetail | null>(null);
  const [pixels, setPixels] = useState<{ imageId: number; px: ViewerPixels } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (kneeId === undefined) return;
    let live = true;
    setError(null);
    caches.details
      .get(kneeId)
      .then((d) => {
        if (!live) return null;
        setDetail(d);
        return caches.pixels.get(d.image.id).then((p) => {
          if (live) setPixels({ imageId: d.image.id, px: p });
        });
      })
      .catch((e: unknown) => {
        if (live) setError(`Knee ${kneeId}: ${errorMessage(e)}`);
      });
    return () => {
      live = false;
    };
  }, [kneeId, caches, tick]);

  // A prefetched knee is in the caches already: use it in this very render (no task hops, so the next
  // knee paints right after the grade key). While a knee loads, keep nothing of the previous one.
  const peekDetail = kneeId !== undefined ? caches.details.peek(kneeId) : undefined;
  const current = peekDetail ?? (detail && detail.id === kneeId ? detail : null);
  const peekPixels = current ? caches.pixels.peek(current.image.id) : undefined;
  const currentPixels =
    peekPixels ?? (current && pixels && pixels.imageId === current.image.id ? pixels.px : null);
  return {
    detail: current,
    pixels: currentPixels,
    error,
    refresh: () => {
      if (kneeId === undefined) return;
      caches.details.delete(kneeId);
      setTick((t) => t + 1);
    },
  };
}
