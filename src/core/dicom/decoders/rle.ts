import { DicomError } from '../errors';
import type { ImageParams } from '../image-params';
import type { SampleArray } from './types';

/**
 * DICOM RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (segment count and up to 15 offsets) then one
 * PackBits segment per byte plane: for each sample, most significant byte first. Output is interleaved.
 */
export function decodeRle(data: Uint8Array, p: ImageParams, file?: string): SampleArray {
  const pixels = p.rows * p.columns;
  const bytesPerSample = Math.ceil(p.bitsAllocated / 8);
  const expectedSegments = bytesPerSample * p.samplesPerPixel;
  if (data.length < 64) throw new DicomError('CORRUPT', 'RLE frame is shorter than its 64-byte header', file);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== expectedSegments) {
    throw new DicomError(
      'CORRUPT',
      `RLE frame has ${segments} segments, ${expectedSegments} expected for ${p.bitsAllocated}-bit x ${p.samplesPerPixel} samples`,
      file,
    );
  }
  const offsets: number[] = [];
  for (let i = 0; i < segments; i++) offsets.push(view.getUint32(4 + 4 * i, true));

  const totalBytes = pixels * expectedSegments;
  const out8 = new Uint8Array(totalBytes);
  const stride = expectedSegments; // output bytes per pixel
  for (let seg = 0; seg < segments; seg++) {
    const sample = Math.floor(seg / bytesPerSample);
    const byteInSample = seg % bytesPerSample; // 0 = most significant
    // Little endian output: least significant byte first within each sample.
    let outPos = sample * bytesPerSample + (bytesPerSample - 1 - byteInSample);
    let inPos = offsets[seg]!;
    const inEnd = seg + 1 < segments ? offsets[seg + 1]! : data.length;
    if (inPos < 64 || inPos > data.length || inEnd > data.length || inEnd < inPos) {
      throw new DicomError('CORRUPT', `RLE segment ${seg + 1} has an invalid offset ${inPos}`, file);
    }
    let written = 0;
    while (written < pixels && inPos < inEnd) {
      const n = data[inPos++]!;
      if (n < 128) {
        // literal run of n+1 bytes
        const len = Math.min(n + 1, pixels - written, inEnd - inPos);
        for (let k = 0; k < len; k++) {
          out8[outPos] = data[inPos++]!;
          outPos += stride;
        }
        written += len;
      } else if (n > 128) {
        // replicate the next byte 257-n times
        const len = Math.min(257 - n, pixels - written);
        const v = data[inPos++]!;
        for (let k = 0; k < len; k++) {
          out8[outPos] = v;
          outPos += stride;
        }
        written += len;
      } // n === 128: no-op
    }
    if (written < pixels) {
      throw new DicomError(
        'TRUNCATED',
        `RLE segment ${seg + 1} ends after ${written} of ${pixels} pixels`,
        file,
      );
    }
  }

  const count = pixels * p.samplesPerPixel;
  if (bytesPerSample === 1) return out8;
  if (bytesPerSample === 2) return new Uint16Array(out8.buffer, 0, count);
  return new Uint32Array(out8.buffer, 0, count);
}
