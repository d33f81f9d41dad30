// Turning whatever a failed call threw into one sentence for the reader.
import { ApiError } from '../../../shared/contract';

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Errors a retry cannot fix (bad input, missing row, conflict): show them, do not retry. */
export function isPermanent(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    code === 'INVALID_INPUT' ||
    code === 'NOT_FOUND' ||
    code === 'CONFLICT' ||
    code === 'BLINDED' ||
    code === 'FORBIDDEN'
  );
}
