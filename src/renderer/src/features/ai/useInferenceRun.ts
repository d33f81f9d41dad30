// Running the models over a set of knees as a cancellable job with progress.
import { useCallback, useEffect, useState } from 'react';
import type { Input, InferenceProgress, InferenceResult } from '../../../../shared/contract';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';

export interface InferenceRunState {
  running: boolean;
  progress: InferenceProgress | null;
  result: InferenceResult | null;
  error: string | null;
  start: (input: Omit<Input<'inference:run'>, 'jobId'>) => Promise<InferenceResult | null>;
  cancel: () => void;
}

export function useInferenceRun(): InferenceRunState {
  const api = useApi();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<InferenceProgress | null>(null);
  const [result, setResult] = useState<InferenceResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!jobId) return;
    return api.on('inference:progress', (p) => {
      if (p.jobId === jobId) setProgress(p);
    });
  }, [api, jobId]);

  const start = useCallback(
    async (input: Omit<Input<'inference:run'>, 'jobId'>) => {
      const id = `infer-${Date.now()}`;
      setJobId(id);
      setProgress(null);
      setError(null);
      try {
        const r = await api.inference.run({ ...input, jobId: id });
        setResult(r);
        return r;
      } catch (e) {
        setError(errorMessage(e));
        return null;
      } finally {
        setJobId(null);
      }
    },
    [api],
  );

  const cancel = useCallback(() => {
    if (jobId) void api.jobs.cancel({ jobId });
  }, [api, jobId]);

  return { running: jobId !== null, progress, result, error, start, cancel };
}
