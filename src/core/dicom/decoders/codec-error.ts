import { DicomError } from '../errors';

/** WASM/JS codecs throw strings, numbers (C++ exception pointers) or Errors: turn any of them into CORRUPT. */
export function codecFailure(codec: string, e: unknown, file?: string): DicomError {
  if (e instanceof DicomError) return e;
  const reason =
    e instanceof Error ? e.message : typeof e === 'string' ? e : `internal codec error ${String(e)}`;
  return new DicomError('CORRUPT', `${codec} cannot decode the pixel data (${reason})`, file);
}
