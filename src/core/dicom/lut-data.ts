import type dicomParser from 'dicom-parser';

/** A LUT descriptor (PS3.3 C.11.1.1): number of entries (0 means 65536), first mapped value, bits per entry. */
export interface LutDescriptor {
  entries: number;
  firstMapped: number;
  bits: number;
}

/**
 * Read a LUT Descriptor. The first-mapped value is US or SS depending on the data it maps: an explicit SS
 * says signed; otherwise (US, or implicit VR where the file does not say) it is signed exactly when the pixel
 * data is signed, since writers commonly label a negative first value US.
 */
export function readLutDescriptor(
  ds: dicomParser.DataSet,
  tag: string,
  signedPixels: boolean,
): LutDescriptor | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 6) return undefined;
  const entriesRaw = ds.uint16(tag, 0) ?? 0;
  const firstRaw = ds.uint16(tag, 1) ?? 0;
  const bits = ds.uint16(tag, 2) ?? 16;
  const signed = el.vr === 'SS' || signedPixels;
  return {
    entries: entriesRaw === 0 ? 65536 : entriesRaw,
    firstMapped: signed && firstRaw >= 0x8000 ? firstRaw - 0x10000 : firstRaw,
    bits,
  };
}

/** LUT Data as 16-bit entries (8-bit entries are still stored one per 16-bit word, except when packed as bytes). */
export function readLutData(ds: dicomParser.DataSet, tag: string, entries: number): Uint16Array | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  const out = new Uint16Array(entries);
  if (el.length === entries) {
    // Some writers pack 8-bit entries one per byte.
    const bytes = (ds.byteArray as Uint8Array).subarray(el.dataOffset, el.dataOffset + entries);
    out.set(bytes);
    return out;
  }
  const n = Math.min(entries, Math.floor(el.length / 2));
  for (let i = 0; i < n; i++) out[i] = ds.uint16(tag, i) ?? 0;
  return out;
}
