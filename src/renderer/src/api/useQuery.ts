// A small data hook: run an API call, keep its last answer, re-run when `deps` change or when the
// core says the data changed. Keeps showing the previous answer while reloading (no flashing spinners).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Events } from '../../../shared/contract';
import { useApi } from './ApiContext';
import { errorMessage } from './errors';

export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<T>(
  run: () => Promise<T>,
  deps: readonly unknown[],
  refreshOn: readonly Events['data:changed']['what'][] = [],
): QueryState<T> {
  const api = useApi();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    runRef.current().then(
      (v) => {
        if (!live) return;
        setData(v);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);

  const refreshKey = refreshOn.join(',');
  useEffect(() => {
    if (!refreshKey) return;
    const wanted = new Set(refreshKey.split(','));
    return api.on('data:changed', (p) => {
      if (wanted.has(p.what)) reload();
    });
  }, [api, refreshKey, reload]);

  return { data, error, loading, reload };
}
