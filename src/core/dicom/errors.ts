/** Why a DICOM file could not be read. Callers (import, viewer, CLI) switch on `code`, people read `message`. */
export type DicomErrorCode =
  'NOT_DICOM' | 'NOT_AN_IMAGE' | 'TRUNCATED' | 'UNSUPPORTED_TRANSFER_SYNTAX' | 'CORRUPT';

export class DicomError extends Error {
  readonly code: DicomErrorCode;
  readonly file?: string;

  constructor(code: DicomErrorCode, reason: string, file?: string) {
    // The message always names the file (when known) so a batch import can list failures one per line.
    super(`${file ?? '(in-memory DICOM)'}: ${reason}`);
    this.name = 'DicomError';
    this.code = code;
    this.file = file;
  }
}

export function isDicomError(e: unknown): e is DicomError {
  return e instanceof DicomError;
}
