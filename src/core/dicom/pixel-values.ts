import type { ImageParams } from './image-params';
import type { SampleArray } from './decoders/types';

/**
 * Stored pixel values from raw samples: keep only the Bits Stored bits that end at High Bit (overlays and
 * garbage may live in the unused high bits), then sign-extend when Pixel Representation is 1.
 * Returns a new Int32Array (every stored value up to 32 bits unsigned fits a float later; Int32 holds
 * 31-bit unsigned, 32-bit unsigned is returned as Float64-safe via the Uint32 branch).
 */
export function storedValues(samples: SampleArray, p: ImageParams): Int32Array | Uint32Array {
  const n = samples.length;
  const bits = p.bitsStored;
  const shift = p.highBit + 1 - bits;
  const signed = p.pixelRepresentation === 1;

  if (bits === 32) {
    // Nothing to mask; reinterpret as signed or unsigned 32-bit.
    if (samples instanceof Int32Array || samples instanceof Uint32Array) {
      return signed
        ? new Int32Array(samples.buffer, samples.byteOffset, n).slice()
        : new Uint32Array(samples.buffer, samples.byteOffset, n).slice();
    }
    return signed ? Int32Array.from(samples) : Uint32Array.from(samples);
  }

  const out = new Int32Array(n);
  const mask = bits >= 31 ? 0x7fffffff : (1 << bits) - 1;
  if (signed) {
    // Sign-extend from `bits`: shift the sign bit to bit 31 and back (arithmetic shift).
    const up = 32 - bits;
    for (let i = 0; i < n; i++) out[i] = (((samples[i]! >>> shift) & mask) << up) >> up;
  } else if (
    shift === 0 &&
    bits >= 16 &&
    samples.BYTES_PER_ELEMENT <= 2 &&
    !(samples instanceof Int16Array) &&
    !(samples instanceof Int8Array)
  ) {
    out.set(samples); // common fast path: 16-bit unsigned fully stored
  } else {
    for (let i = 0; i < n; i++) out[i] = (samples[i]! >>> shift) & mask;
  }
  return out;
}

/**
 * Fused fast path for grey images: raw sample -> (mask, sign-extend, Modality LUT) in one table lookup per
 * pixel. The table covers every raw value of the allocated width (at most 65536 entries), so any codec output
 * (Uint8/Int8/Uint16/Int16) maps in a single pass with min/max. Undefined for 1- or 32-bit data, where the
 * caller uses storedValues + applyModalityLut instead.
 */
export function modalityValuesViaTable(
  samples: SampleArray,
  p: ImageParams,
  toModality: (stored: number) => number,
): { values: Float32Array; min: number; max: number } | undefined {
  if (p.bitsAllocated !== 8 && p.bitsAllocated !== 16) return undefined;
  if (samples instanceof Uint32Array || samples instanceof Int32Array) return undefined;
  const size = 1 << p.bitsAllocated;
  const rawMask = size - 1;
  const bits = p.bitsStored;
  const shift = p.highBit + 1 - bits;
  const mask = (1 << bits) - 1;
  const up = 32 - bits;
  const table = new Float32Array(size);
  for (let raw = 0; raw < size; raw++) {
    const v = (raw >>> shift) & mask;
    table[raw] = toModality(p.pixelRepresentation === 1 ? (v << up) >> up : v);
  }
  const n = samples.length;
  const values = new Float32Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = table[samples[i]! & rawMask]!;
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n ? { values, min, max } : { values, min: 0, max: 0 };
}
