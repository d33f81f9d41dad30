// The application API: one handler per contract channel, used by Electron's core process, the HTTP
// bridge and tests. `dispatch` is the single entry: validate with the contract's schema, run, and
// turn any failure into an ApiError.
import { parseInput, type Output, type ParsedInput, type ServiceChannel } from '../../shared/contract';
import type { ServiceContext } from './context';
import { toApiError } from './errors';
import { gradesHistory, gradesSubmit, gradesUndo } from './grades';
import { imagesPixels } from './images';
import { kneesGet, kneesList, kneesResetCrop, kneesSetCrop } from './knees';
import { exportsLabelledCsv } from './exports';
import { inferenceExplain, inferenceRun } from './inference';
import { importRun, importSamplePhantoms } from './import';
import { modelsList } from './models';
import { exportsHtmlReport, reportsBuild } from './reports';
import { appInfo, readersCreate, readersList, studiesList } from './readers';
import {
  sessionsCreate,
  sessionsGet,
  sessionsList,
  sessionsNext,
  sessionsPause,
  sessionsResume,
} from './sessions';

export type Handler<C extends ServiceChannel> = (
  input: ParsedInput<C>,
  ctx: ServiceContext,
) => Promise<Output<C>>;
export type Handlers = { [C in ServiceChannel]: Handler<C> };

export const handlers: Handlers = {
  'app:info': appInfo,
  'studies:list': studiesList,
  'knees:list': kneesList,
  'knees:get': kneesGet,
  'knees:setCrop': kneesSetCrop,
  'knees:resetCrop': kneesResetCrop,
  'images:pixels': imagesPixels,
  'readers:list': readersList,
  'readers:create': readersCreate,
  'sessions:create': (input, ctx) => sessionsCreate(input, ctx),
  'sessions:list': sessionsList,
  'sessions:get': sessionsGet,
  'sessions:pause': sessionsPause,
  'sessions:resume': sessionsResume,
  'sessions:next': sessionsNext,
  'grades:submit': gradesSubmit,
  'grades:undo': gradesUndo,
  'grades:history': gradesHistory,
  'models:list': modelsList,
  'inference:run': inferenceRun,
  'inference:explain': inferenceExplain,
  'jobs:cancel': async (input, ctx) => ({ cancelled: ctx.jobs.cancel(input.jobId) }),
  'reports:build': reportsBuild,
  'exports:labelledCsv': exportsLabelledCsv,
  'exports:htmlReport': exportsHtmlReport,
  'import:run': importRun,
  'import:samplePhantoms': importSamplePhantoms,
};

export function isServiceChannel(c: string): c is ServiceChannel {
  return Object.prototype.hasOwnProperty.call(handlers, c);
}

/** Validate `raw` for `channel` and run its handler. Always rejects with an ApiError. */
export async function dispatch<C extends ServiceChannel>(
  channel: C,
  raw: unknown,
  ctx: ServiceContext,
): Promise<Output<C>> {
  try {
    const input = parseInput(channel, raw);
    return await (handlers[channel] as Handler<C>)(input, ctx);
  } catch (e) {
    throw toApiError(e, channel);
  }
}

export { JobRegistry, type ServiceContext } from './context';
