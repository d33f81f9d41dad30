// Turning whatever a core module throws into the contract's ApiError, so every transport reports the
// same code and a message that names the thing and the reason.
import { ApiError, type ApiErrorCode } from '../../shared/contract';

export function notFound(what: string, id: number | string): ApiError {
  return new ApiError('NOT_FOUND', `${what} ${id} does not exist`);
}

/** Known error classes of the core modules, by their `code` property or class name. */
const CODE_MAP: Record<string, ApiErrorCode> = {
  READER_EXISTS: 'CONFLICT',
  BAD_GRADE: 'INVALID_INPUT',
  DB_TOO_NEW: 'CONFLICT',
  NOT_DICOM: 'INVALID_INPUT',
  NOT_AN_IMAGE: 'INVALID_INPUT',
  TRUNCATED: 'INVALID_INPUT',
  UNSUPPORTED_TRANSFER_SYNTAX: 'UNAVAILABLE',
  CORRUPT: 'INVALID_INPUT',
  ENOENT: 'NOT_FOUND',
  EACCES: 'FORBIDDEN',
  ABORT_ERR: 'CANCELLED',
  UNREADABLE: 'NOT_FOUND',
  UNSUPPORTED_FORMAT: 'INVALID_INPUT',
  EMPTY: 'INVALID_INPUT',
};
const NAME_MAP: Record<string, ApiErrorCode> = {
  ModelRefusedError: 'UNAVAILABLE',
  CardError: 'UNAVAILABLE',
  AbortError: 'CANCELLED',
  ZodError: 'INVALID_INPUT',
  LongCsvError: 'INVALID_INPUT',
  LabelledCsvError: 'INVALID_INPUT',
};

export function toApiError(e: unknown, channel: string): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const mapped =
      (typeof code === 'string' ? CODE_MAP[code] : undefined) ??
      NAME_MAP[e.name] ??
      NAME_MAP[e.constructor.name];
    return new ApiError(mapped ?? 'INTERNAL', mapped ? e.message : `${channel}: ${e.message}`);
  }
  return new ApiError('INTERNAL', `${channel}: ${String(e)}`);
}
