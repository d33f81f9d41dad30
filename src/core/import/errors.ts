import { DicomError } from '../dicom';
import { ImageLoadError } from '../image/errors';

/** A per-file import failure: stored in import_errors and listed at the end of the run. */
export interface ImportFileError {
  path: string;
  code: string;
  reason: string;
}

/** Turn anything thrown while importing a file into (code, reason), the reason without the file name repeated. */
export function describeFailure(file: string, e: unknown): ImportFileError {
  const err = e instanceof Error ? e : new Error(String(e));
  let code = 'IMPORT_FAILED';
  if (e instanceof DicomError) code = e.code;
  else if (e instanceof ImageLoadError) code = e.code;
  else if (
    typeof (e as { code?: unknown }).code === 'string' &&
    /^[A-Z_]+$/.test((e as { code: string }).code)
  )
    code = (e as { code: string }).code;
  else if ((e as NodeJS.ErrnoException).code && typeof (e as NodeJS.ErrnoException).code === 'string')
    code = (e as NodeJS.ErrnoException).code!;
  let reason = err.message;
  for (const prefix of [`${file}: `, '(in-memory DICOM): ', '(in-memory image): ']) {
    if (reason.startsWith(prefix)) reason = reason.slice(prefix.length);
  }
  return { path: file, code, reason };
}
