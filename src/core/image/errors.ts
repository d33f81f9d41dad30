/** Why an image file could not be loaded. `message` names the file and the reason. */
export type ImageErrorCode = 'UNREADABLE' | 'UNSUPPORTED_FORMAT' | 'CORRUPT' | 'EMPTY';

export class ImageLoadError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    reason: string,
    readonly file?: string,
  ) {
    super(`${file ?? '(in-memory image)'}: ${reason}`);
    this.name = 'ImageLoadError';
  }
}
