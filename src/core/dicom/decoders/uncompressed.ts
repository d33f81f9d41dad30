import type { NativeFrame } from '../frames';
import type { ImageParams } from '../image-params';
import { planarToInterleaved } from './interleave';
import type { SampleArray } from './types';

/** Host byte order: typed arrays read in it, so little endian data can be viewed directly on little endian hosts. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function unpackBits(frame: NativeFrame, count: number): Uint8Array {
  // PS3.5 8.1.1: 1-bit pixels are packed least significant bit first, frames back to back.
  const out = new Uint8Array(count);
  const { bytes, bitOffset } = frame;
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    out[i] = ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1;
  }
  return out;
}

function words(
  bytes: Uint8Array,
  bytesPerWord: 2 | 4,
  count: number,
  bigEndian: boolean,
): Uint16Array | Uint32Array {
  if (bigEndian !== HOST_LITTLE_ENDIAN && bytes.byteOffset % bytesPerWord === 0) {
    // Host order and aligned: view the file's bytes directly (only read downstream), no copy.
    return bytesPerWord === 2
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, count)
      : new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  }
  // Otherwise copy into an aligned buffer (typed arrays need aligned offsets) and swap to host order when the
  // file's differs, a word at a time.
  const copy = bytes.slice(0, count * bytesPerWord);
  if (bytesPerWord === 2) {
    const w = new Uint16Array(copy.buffer, 0, count);
    if (bigEndian === HOST_LITTLE_ENDIAN) {
      for (let i = 0; i < count; i++) {
        const x = w[i]!;
        w[i] = (x >>> 8) | ((x & 0xff) << 8);
      }
    }
    return w;
  }
  const w = new Uint32Array(copy.buffer, 0, count);
  if (bigEndian === HOST_LITTLE_ENDIAN) {
    for (let i = 0; i < count; i++) {
      const x = w[i]!;
      w[i] = ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | ((x & 0xff) << 24)) >>> 0;
    }
  }
  return w;
}

/** Native (uncompressed) pixel data of one frame, any byte order, 1/8/16/32 bits allocated. */
export function decodeNative(frame: NativeFrame, p: ImageParams, bigEndian: boolean): SampleArray {
  const pixels = p.rows * p.columns;
  const count = pixels * p.samplesPerPixel;
  let samples: SampleArray;
  if (p.bitsAllocated === 1) samples = unpackBits(frame, count);
  else if (p.bitsAllocated === 8) samples = frame.bytes.subarray(0, count);
  else samples = words(frame.bytes, p.bitsAllocated === 16 ? 2 : 4, count, bigEndian);
  if (p.samplesPerPixel > 1 && p.planarConfiguration === 1)
    samples = planarToInterleaved(samples, pixels, p.samplesPerPixel);
  return samples;
}
