import type dicomParser from 'dicom-parser';
import { DicomError } from './errors';
import { readLutData, readLutDescriptor } from './lut-data';

/**
 * Whether display must invert after VOI. MONOCHROME1 means "minimum is white". A Presentation LUT Shape
 * (2050,0020) of INVERSE in the image states the same thing: DX/MG/IO require INVERSE exactly when the
 * image is MONOCHROME1 (PS3.3 C.8.11.6.1.2), so the two do not cancel; INVERSE on a MONOCHROME2 image inverts.
 */
export function needsInversion(ds: dicomParser.DataSet, photometric: string): boolean {
  const shape = (ds.string('x20500020') ?? '').trim().toUpperCase();
  return photometric === 'MONOCHROME1' || shape === 'INVERSE';
}

/** Rec. 601 luma of interleaved RGB samples, the grey the rest of the app works in. */
export function rgbToLuminance(samples: ArrayLike<number>, pixels: number): Float32Array {
  const out = new Float32Array(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[i] = 0.299 * samples[j]! + 0.587 * samples[j + 1]! + 0.114 * samples[j + 2]!;
  }
  return out;
}

/** Y of interleaved full-resolution YCbCr samples. */
export function ybrToLuminance(samples: ArrayLike<number>, pixels: number): Float32Array {
  const out = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) out[i] = samples[i * 3]!;
  return out;
}

/**
 * Y of native YBR_FULL_422 data: each pair of pixels is stored as Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2), so the
 * "samples" array the native decoder produced holds 2 bytes per pixel, not 3.
 */
export function ybr422ToLuminance(raw: ArrayLike<number>, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  for (let i = 0; i < rows * columns; i += 2) {
    const block = (i >> 1) * 4;
    out[i] = raw[block]!;
    if (i + 1 < rows * columns) out[i + 1] = raw[block + 1]!;
  }
  return out;
}

/** PALETTE COLOR: stored index -> RGB through the red/green/blue palette LUTs -> luminance, scaled to 0-255. */
export function paletteToLuminance(
  ds: dicomParser.DataSet,
  stored: ArrayLike<number>,
  signedPixels: boolean,
  file?: string,
): Float32Array {
  if (ds.elements.x00281221 || ds.elements.x00281222 || ds.elements.x00281223) {
    throw new DicomError('CORRUPT', 'segmented palette colour LUTs are not supported', file);
  }
  const channels = (['x00281101', 'x00281102', 'x00281103'] as const).map((descTag, c) => {
    const desc = readLutDescriptor(ds, descTag, signedPixels);
    const dataTag = ['x00281201', 'x00281202', 'x00281203'][c]!;
    const data = desc && readLutData(ds, dataTag, desc.entries);
    if (!desc || !data)
      throw new DicomError('CORRUPT', 'PALETTE COLOR image lacks its palette LUT descriptor or data', file);
    let maxEntry = 0;
    for (let i = 0; i < data.length; i++) if (data[i]! > maxEntry) maxEntry = data[i]!;
    const bits = maxEntry > 255 || desc.bits === 16 ? 16 : 8;
    return { desc, data, scale: 255 / (2 ** bits - 1) };
  });
  const out = new Float32Array(stored.length);
  const weights = [0.299, 0.587, 0.114];
  for (let i = 0; i < stored.length; i++) {
    let y = 0;
    for (let c = 0; c < 3; c++) {
      const ch = channels[c]!;
      let k = stored[i]! - ch.desc.firstMapped;
      k = k < 0 ? 0 : k >= ch.data.length ? ch.data.length - 1 : k;
      y += weights[c]! * ch.data[k]! * ch.scale;
    }
    out[i] = y;
  }
  return out;
}
