// inference:run and inference:explain over the inference engine (src/core/inference/api.ts). Runs
// are cancellable by job id and report progress as 'inference:progress' events; explanations respect
// a session's blinding (a blinded reader gets no model output at all).
import path from 'node:path';
import { ApiError, type Explanation, type InferenceResult, type ParsedInput } from '../../shared/contract';
import { explainForContract, runInference } from '../inference/api';
import { CancelledError } from '../inference/protocol';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { getKnee } from '../db/repositories/knees';
import { assertKneeInScope, blindingSession, resolveScope } from './scope';

export async function inferenceRun(
  input: ParsedInput<'inference:run'>,
  ctx: ServiceContext,
): Promise<InferenceResult> {
  const job = ctx.jobs.start(input.jobId);
  const jobId = input.jobId ?? null;
  try {
    const r = await runInference({
      db: ctx.db,
      host: ctx.inference(),
      roots: ctx.modelRoots,
      ...(input.models ? { models: input.models } : {}),
      ...(input.kneeIds ? { kneeIds: input.kneeIds } : {}),
      ...(input.studyId !== undefined ? { studyId: input.studyId } : {}),
      force: input.force,
      signal: job.signal,
      onProgress: (p) => ctx.emit('inference:progress', { jobId, ...p }),
    });
    if (r.computed > 0) ctx.emit('data:changed', { what: 'predictions' });
    return { jobId, computed: r.computed, cached: r.cached, cancelled: r.cancelled, failures: r.failures };
  } catch (e) {
    if (e instanceof CancelledError) {
      ctx.emit('data:changed', { what: 'predictions' });
      return { jobId, computed: 0, cached: 0, cancelled: true, failures: [] };
    }
    if (e instanceof Error && /no model named|is not|refus|sha256|missing/i.test(e.message))
      throw new ApiError('UNAVAILABLE', e.message);
    throw e;
  } finally {
    job.done();
  }
}

export async function inferenceExplain(
  input: ParsedInput<'inference:explain'>,
  ctx: ServiceContext,
): Promise<Explanation> {
  const scope = resolveScope(ctx.db, input);
  if (blindingSession(scope, input.kneeId) !== null && !(scope.session && scope.blinded)) {
    throw new ApiError(
      'BLINDED',
      `knee ${input.kneeId} is in an unfinished blinded reading session of this reader: model explanations are hidden until it is completed`,
    );
  }
  if (scope.session && !scope.showModels) {
    throw new ApiError(
      'BLINDED',
      `reading session ${scope.session.id} is ${scope.blinded ? 'blinded' : 'not AI-aided'}: model explanations are not shown in it`,
    );
  }
  assertKneeInScope(scope, input.kneeId);
  if (!getKnee(ctx.db, input.kneeId)) throw notFound('knee', input.kneeId);
  try {
    return await explainForContract({
      db: ctx.db,
      host: ctx.inference(),
      roots: ctx.modelRoots,
      kneeId: input.kneeId,
      model: input.model,
      gridSize: input.gridSize,
      cacheDir: path.join(ctx.workDir, 'occlusion-cache'),
    });
  } catch (e) {
    if (
      e instanceof Error &&
      /no model named|is not|refus|sha256|missing/i.test(e.message) &&
      !(e instanceof ApiError)
    ) {
      throw new ApiError('UNAVAILABLE', e.message);
    }
    throw e;
  }
}
