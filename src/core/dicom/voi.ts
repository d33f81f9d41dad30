import type dicomParser from 'dicom-parser';
import { readLutData, readLutDescriptor } from './lut-data';
import { readNumbers, readText, textDecoderFor } from './text';
import type { VoiLut, VoiLutFunction, WindowSetting } from './types';

/** Window centre/width pairs (0028,1050/1051), several values give several windows, with their explanations. */
export function readWindows(ds: dicomParser.DataSet): WindowSetting[] {
  const centers = readNumbers(ds, 'x00281050');
  const widths = readNumbers(ds, 'x00281051');
  const explanations = (readText(ds, 'x00281055', textDecoderFor(ds)) ?? '').split('\\');
  const out: WindowSetting[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    const width = widths[i]!;
    if (!(width > 0)) continue; // a width below 1 (LINEAR) or 0 is invalid: skip rather than divide by zero
    const explanation = explanations[i]?.trim();
    out.push({ center: centers[i]!, width, ...(explanation ? { explanation } : {}) });
  }
  return out;
}

/** First item of the VOI LUT Sequence (0028,3010). */
export function readVoiLut(ds: dicomParser.DataSet, signedPixels: boolean): VoiLut | undefined {
  const item = ds.elements.x00283010?.items?.[0]?.dataSet;
  if (!item) return undefined;
  // After a Modality LUT Sequence the input is unsigned; after rescale it may be signed: follow pixel sign.
  const desc = readLutDescriptor(item, 'x00283002', signedPixels);
  const data = desc && readLutData(item, 'x00283006', desc.entries);
  if (!desc || !data) return undefined;
  // Some writers declare 16 bits but store 12-bit data (or the reverse): trust the data's range (PS3.3 C.11.2.1.1 note).
  let maxEntry = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > maxEntry) maxEntry = data[i]!;
  let bits = desc.bits >= 1 && desc.bits <= 16 ? desc.bits : 16;
  if (maxEntry > 2 ** bits - 1) bits = Math.ceil(Math.log2(maxEntry + 1));
  const explanation = readText(item, 'x00283003', textDecoderFor(item));
  return { firstMapped: desc.firstMapped, bitsPerEntry: bits, data, ...(explanation ? { explanation } : {}) };
}

export function readVoiLutFunction(ds: dicomParser.DataSet): VoiLutFunction {
  const f = (ds.string('x00281056') ?? '').trim().toUpperCase();
  return f === 'SIGMOID' || f === 'LINEAR_EXACT' ? f : 'LINEAR';
}

/**
 * Map one modality value through a window to [0, 1] (PS3.3 C.11.2.1.2). LINEAR uses the standard's
 * half-pixel offset form; width 1 is a threshold at the centre.
 */
export function windowLevel(x: number, center: number, width: number, fn: VoiLutFunction): number {
  if (fn === 'SIGMOID') return 1 / (1 + Math.exp((-4 * (x - center)) / width));
  if (fn === 'LINEAR_EXACT') {
    if (x <= center - width / 2) return 0;
    if (x > center + width / 2) return 1;
    return (x - center) / width + 0.5;
  }
  if (width <= 1) return x < center - 0.5 ? 0 : 1;
  const lo = center - 0.5 - (width - 1) / 2;
  const hi = center - 0.5 + (width - 1) / 2;
  if (x <= lo) return 0;
  if (x > hi) return 1;
  return (x - (center - 0.5)) / (width - 1) + 0.5;
}

/** Map one modality value through a VOI LUT to [0, 1]. */
export function voiLutLevel(x: number, lut: VoiLut): number {
  const last = lut.data.length - 1;
  let k = Math.floor(x) - lut.firstMapped;
  k = k < 0 ? 0 : k > last ? last : k;
  return lut.data[k]! / (2 ** lut.bitsPerEntry - 1);
}
