// The knees being read, in order, which of them this reader has graded here, and where we are.
import { useCallback, useEffect, useState } from 'react';
import type { SessionDetail } from '../../../../shared/contract';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import type { ReadingQueue } from '../../app/AppContext';
import { firstUngraded } from './readingOrder';

export interface ReadingQueueState {
  order: number[];
  index: number;
  setIndex: (i: number) => void;
  /** kneeId -> this reader's grade here (session queues; list queues start empty). */
  graded: Map<number, number>;
  markGraded: (kneeId: number, klg: number | null) => void;
  session: SessionDetail | null;
  error: string | null;
  ready: boolean;
}

export function useReadingQueue(queue: ReadingQueue): ReadingQueueState {
  const api = useApi();
  const [order, setOrder] = useState<number[]>([]);
  const [index, setIndex] = useState(0);
  const [graded, setGraded] = useState<Map<number, number>>(new Map());
  const [session, setSession] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  const sessionId = queue.kind === 'session' ? queue.sessionId : null;
  const listKey = queue.kind === 'list' ? `${queue.kneeIds.join(',')}@${queue.startIndex}` : '';

  useEffect(() => {
    let live = true;
    setReady(false);
    setError(null);
    if (queue.kind === 'list') {
      setSession(null);
      setOrder(queue.kneeIds);
      setGraded(new Map());
      setIndex(Math.min(Math.max(queue.startIndex, 0), Math.max(queue.kneeIds.length - 1, 0)));
      setReady(true);
      return;
    }
    api.sessions
      .get({ sessionId: queue.sessionId })
      .then((s) => {
        if (!live) return;
        const ord = [...s.items].sort((a, b) => a.position - b.position).map((it) => it.kneeId);
        const g = new Map<number, number>();
        for (const it of s.items) if (it.graded && it.klg !== null) g.set(it.kneeId, it.klg);
        setSession(s);
        setOrder(ord);
        setGraded(g);
        setIndex(firstUngraded(ord, new Set(g.keys())) ?? 0);
        setReady(true);
      })
      .catch((e: unknown) => live && setError(`Cannot open session ${queue.sessionId}: ${errorMessage(e)}`));
    return () => {
      live = false;
    };
  }, [api, sessionId, listKey]);

  const markGraded = useCallback((kneeId: number, klg: number | null) => {
    setGraded((prev) => {
      const next = new Map(prev);
      if (klg === null) next.delete(kneeId);
      else next.set(kneeId, klg);
      return next;
    });
  }, []);

  return { order, index, setIndex, graded, markGraded, session, error, ready };
}
