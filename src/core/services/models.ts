// models:list: every model folder under the default and user roots, verified, with its card's
// validation numbers and a plain status: ready, not installed (card present, weights absent: e.g.
// BioMedCLIP, whose weights cannot ship with the app), or invalid (refused, with the reason).
import type { ModelInfo, ParsedInput } from '../../shared/contract';
import { listModels, type ModelEntry } from '../inference/registry';
import type { ServiceContext } from './context';
import { predictedKneeCounts } from './predictions-view';

function statusOf(e: ModelEntry): ModelInfo['status'] {
  if (e.ok) return 'ready';
  return /missing|no model\.json/i.test(e.reason) ? 'not-installed' : 'invalid';
}

export async function modelsList(
  _input: ParsedInput<'models:list'>,
  ctx: ServiceContext,
): Promise<ModelInfo[]> {
  const entries = await listModels(ctx.modelRoots);
  const counts = predictedKneeCounts(ctx.db);
  return entries.map((e): ModelInfo => {
    if (!e.ok) {
      return {
        name: e.name,
        version: null,
        approach: null,
        architecture: null,
        status: statusOf(e),
        reason: e.reason,
        inputSize: null,
        validation: null,
        training: null,
        predictedKnees: counts.get(e.name) ?? 0,
      };
    }
    const c = e.card;
    const v = c.validation;
    return {
      name: c.name,
      version: c.version,
      approach: c.approach,
      architecture: c.architecture,
      status: 'ready',
      reason: null,
      inputSize: 'input' in c ? c.input.size : null,
      validation: v
        ? { split: v.split, n: v.n, qwk: v.qwk, exactAccuracy: v.exactAccuracy ?? NaN, mae: v.mae ?? NaN }
        : null,
      training: {
        data: c.training.data,
        licence: c.training.licence ?? '',
        attribution: c.training.attribution ?? '',
      },
      predictedKnees: counts.get(c.name) ?? 0,
    };
  });
}
