// Shared by the parity tests: reading a parity fixture's stored model input and comparing tensors.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The stored one-channel float32 input (little endian) replicated to the model's three channels. */
export function readParityInput(file: string, size: number): Float32Array {
  const buf = readFileSync(file);
  const plane = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  expect(plane.length).toBe(size * size);
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) out.set(plane, c * size * size);
  return out;
}
