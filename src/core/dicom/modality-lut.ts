import type dicomParser from 'dicom-parser';
import { readLutData, readLutDescriptor } from './lut-data';
import { readNumber } from './text';

/** The Modality LUT (PS3.3 C.11.1): a LUT Sequence, or a linear rescale, or identity. */
export type ModalityLut =
  | { kind: 'identity' }
  | { kind: 'rescale'; slope: number; intercept: number }
  | { kind: 'lut'; firstMapped: number; data: Uint16Array };

export function readModalityLut(ds: dicomParser.DataSet, signedPixels: boolean): ModalityLut {
  const seq = ds.elements.x00283000?.items?.[0]?.dataSet;
  if (seq) {
    const desc = readLutDescriptor(seq, 'x00283002', signedPixels);
    const data = desc && readLutData(seq, 'x00283006', desc.entries);
    if (desc && data) return { kind: 'lut', firstMapped: desc.firstMapped, data };
  }
  const slope = readNumber(ds, 'x00281053');
  const intercept = readNumber(ds, 'x00281052');
  if ((slope !== undefined && slope !== 1 && slope !== 0) || (intercept !== undefined && intercept !== 0)) {
    // A zero slope is invalid and would flatten the image; treat it as 1 like other viewers do.
    return { kind: 'rescale', slope: slope && slope !== 0 ? slope : 1, intercept: intercept ?? 0 };
  }
  return { kind: 'identity' };
}

/** Apply the modality LUT to stored values; returns values plus their min and max (one pass). */
export function applyModalityLut(
  stored: ArrayLike<number>,
  lut: ModalityLut,
): { values: Float32Array; min: number; max: number } {
  const n = stored.length;
  const values = new Float32Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  if (lut.kind === 'lut') {
    const { data, firstMapped } = lut;
    const last = data.length - 1;
    for (let i = 0; i < n; i++) {
      let k = stored[i]! - firstMapped;
      k = k < 0 ? 0 : k > last ? last : k; // values outside the LUT map to its first/last entry
      const v = data[k]!;
      values[i] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    const slope = lut.kind === 'rescale' ? lut.slope : 1;
    const intercept = lut.kind === 'rescale' ? lut.intercept : 0;
    for (let i = 0; i < n; i++) {
      const v = stored[i]! * slope + intercept;
      values[i] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) {
    min = 0;
    max = 0;
  }
  // Report min/max as the stored float32 values so callers comparing against `values` see equal numbers.
  return { values, min: Math.fround(min), max: Math.fround(max) };
}

/** The modality LUT as a function of one stored value (used to build lookup tables). */
export function modalityFunction(lut: ModalityLut): (stored: number) => number {
  if (lut.kind === 'identity') return (v) => v;
  if (lut.kind === 'rescale') return (v) => v * lut.slope + lut.intercept;
  const { data, firstMapped } = lut;
  const last = data.length - 1;
  return (v) => {
    const k = v - firstMapped;
    return data[k < 0 ? 0 : k > last ? last : k]!;
  };
}
