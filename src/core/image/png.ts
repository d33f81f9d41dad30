import { writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

/** Encode an 8-bit greyscale image (row-major, one byte per pixel) as a greyscale PNG. */
export function encodePng8(width: number, height: number, grey: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new Error(`encodePng8: invalid size ${width}x${height}`);
  if (grey.length !== width * height)
    throw new Error(`encodePng8: ${grey.length} pixels given for a ${width}x${height} image`);
  return PNG.sync.write(
    // pngjs reads `data` as typed by inputColorType (0 = grey, one byte per pixel).
    Object.assign(
      new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false }),
      {
        data: Buffer.from(grey.buffer, grey.byteOffset, grey.byteLength),
      },
    ),
    { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false },
  );
}

export async function writePng8(
  path: string,
  width: number,
  height: number,
  grey: Uint8Array,
): Promise<void> {
  await writeFile(path, encodePng8(width, height, grey));
}
