/** Which decoder a file needs, from its first bytes (never from the file name, which can lie). */
export type ImageFormat = 'dicom' | 'png' | 'jpeg' | 'webp';

export function sniffRasterFormat(bytes: Uint8Array): 'png' | 'jpeg' | 'webp' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    bytes.length >= 12 &&
    String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) === 'RIFF' &&
    String.fromCharCode(bytes[8]!, bytes[9]!, bytes[10]!, bytes[11]!) === 'WEBP'
  )
    return 'webp';
  return undefined;
}

/** A DICOM Part 10 file has "DICM" after its 128-byte preamble. Files without it may still be DICOM (no file meta). */
export function hasDicmPrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

/** File extensions an import looks at when walking a folder (the content still decides the decoder). */
export const RASTER_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
