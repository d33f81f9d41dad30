import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decodeDicom, toDisplay8, type DecodedImage } from '../dicom';
import { ImageLoadError } from './errors';
import { sniffRasterFormat, type ImageFormat } from './format';
import { minMaxWindow8 } from './window';

/**
 * The one "load any image's pixels" entry: DICOM (Part 10 or without file meta) through the DICOM
 * module, PNG / JPEG / WebP through sharp. Everything downstream (viewer, preprocessing, joint
 * localisation, render) works from `display8`; `values` keeps the grey values at their original depth
 * so a chosen window can be applied later without losing precision.
 */
export interface LoadedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** Grey, one byte per pixel, row-major: windowed (DICOM default window) and MONOCHROME1 already inverted. */
  display8: Uint8Array;
  /** DICOM only: the decoded frame, with windows, spacing and header. */
  dicom?: DecodedImage;
  /**
   * Grey values at the source depth, row-major: DICOM modality values (after rescale), else the first
   * channel of the raster (0-255, or 0-65535 for a 16-bit PNG). Not inverted.
   */
  values: Float32Array;
  /** Bits per grey value of the source: 8 or 16 for rasters, BitsStored for DICOM. */
  bitDepth: number;
  /** sha256 of the decoded pixels (with their size): keys caches that must not care about file metadata. */
  pixelSha256: string;
}

export async function loadImage(path: string): Promise<LoadedImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ImageLoadError(
      'UNREADABLE',
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      path,
    );
  }
  return loadImageBytes(bytes, path);
}

/** Load from bytes already in memory (import hashes the file first, then decodes the same bytes). */
export async function loadImageBytes(bytes: Uint8Array, file?: string): Promise<LoadedImage> {
  if (bytes.length === 0) throw new ImageLoadError('EMPTY', 'the file is empty', file);
  const raster = sniffRasterFormat(bytes);
  if (raster) return loadRaster(bytes, raster, file);
  // Anything else goes to the DICOM decoder, which recognises Part 10 and files without file meta and
  // throws a DicomError (NOT_DICOM, TRUNCATED, ...) naming the file otherwise.
  // A plain Uint8Array view (no copy): a Node Buffer's slice() shares memory where Uint8Array's copies,
  // and the DICOM parser's offsets went wrong on Buffers (pixels shifted along the rows).
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dicom = await decodeDicom(view, file === undefined ? {} : { file });
  return {
    format: 'dicom',
    width: dicom.columns,
    height: dicom.rows,
    display8: toDisplay8(dicom),
    dicom,
    values: dicom.values,
    bitDepth: dicom.header.bitsStored,
    pixelSha256: hashPixels(dicom.columns, dicom.rows, dicom.values),
  };
}

async function loadRaster(
  bytes: Uint8Array,
  format: 'png' | 'jpeg' | 'webp',
  file?: string,
): Promise<LoadedImage> {
  try {
    // autoOrient: a JPEG's EXIF orientation is how every viewer shows it, so it is how the reader sees it.
    const pipeline = sharp(bytes, { failOn: 'error' }).autoOrient();
    const meta = await pipeline.metadata();
    const sixteen = meta.depth === 'ushort';
    // Name the output colour space, or sharp converts to 8-bit sRGB (scaling 16-bit values down to 0-255).
    const grey = (meta.channels ?? 3) <= 2;
    const space = sixteen ? (grey ? 'grey16' : 'rgb16') : grey ? 'b-w' : 'srgb';
    const { data, info } = await pipeline
      .toColourspace(space)
      .raw({ depth: sixteen ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    const n = width * height;
    const values = new Float32Array(n);
    // Grey = the first channel: radiographs saved as RGB carry the same value in every channel.
    if (sixteen) {
      const u16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
      for (let i = 0; i < n; i++) values[i] = u16[i * channels]!;
    } else {
      for (let i = 0; i < n; i++) values[i] = data[i * channels]!;
    }
    let display8: Uint8Array;
    if (sixteen) display8 = minMaxWindow8(values);
    else {
      display8 = new Uint8Array(n);
      for (let i = 0; i < n; i++) display8[i] = values[i]!;
    }
    return {
      format,
      width,
      height,
      display8,
      values,
      bitDepth: sixteen ? 16 : 8,
      pixelSha256: hashPixels(width, height, values),
    };
  } catch (e) {
    throw new ImageLoadError(
      'CORRUPT',
      `cannot decode the ${format.toUpperCase()} image (${(e as Error).message})`,
      file,
    );
  }
}

function hashPixels(width: number, height: number, values: Float32Array): string {
  return createHash('sha256')
    .update(`${width}x${height}:`)
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
}
