// readers:list / readers:create, and studies:list, app:info (small, read-mostly channels).
import {
  ApiError,
  type AppInfo,
  type ParsedInput,
  type Reader,
  type StudySummary,
} from '../../shared/contract';
import { schemaVersion } from '../db/migrate';
import { createReader, getReaderByName, listReaders } from '../db/repositories/readers';
import { listStudies } from '../db/repositories/studies';
import type { ServiceContext } from './context';

export async function readersList(
  _input: ParsedInput<'readers:list'>,
  ctx: ServiceContext,
): Promise<Reader[]> {
  return listReaders(ctx.db);
}

export async function readersCreate(
  input: ParsedInput<'readers:create'>,
  ctx: ServiceContext,
): Promise<Reader> {
  if (getReaderByName(ctx.db, input.name))
    throw new ApiError('CONFLICT', `a reader named "${input.name}" already exists`);
  const r = createReader(ctx.db, input);
  ctx.emit('data:changed', { what: 'readers' });
  return r;
}

export async function studiesList(
  _input: ParsedInput<'studies:list'>,
  ctx: ServiceContext,
): Promise<StudySummary[]> {
  return listStudies(ctx.db).map((s) => ({
    id: s.id,
    studyUid: s.uid,
    patient: s.pseudonym,
    studyDate: s.date,
    description: s.description,
    importedAt: s.importedAt,
    imageCount: s.imageCount,
    kneeCount: s.kneeCount,
  }));
}

export async function appInfo(_input: ParsedInput<'app:info'>, ctx: ServiceContext): Promise<AppInfo> {
  return {
    version: ctx.version,
    transport: ctx.transport,
    dbPath: ctx.dbPath,
    schemaVersion: schemaVersion(ctx.db),
    modelsDir: ctx.modelRoots.user,
    platform: process.platform,
  };
}
