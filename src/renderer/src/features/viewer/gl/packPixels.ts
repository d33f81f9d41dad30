// Turn a ViewerPixels payload into what a WebGL2 texture takes. Integer data goes up as R16UI (half the
// bytes of R32F, exact for every 16-bit modality); float values that are really integers in a
// 16-bit span are packed likewise; anything else (fractional rescale output) stays R32F.
import type { ViewerPixels } from '../types';

export interface PackedTexture {
  format: 'R16UI' | 'R32F';
  data: Uint16Array | Float32Array;
  /** modality value = texel * slope + intercept */
  slope: number;
  intercept: number;
}

export function packPixels(px: ViewerPixels): PackedTexture {
  const { data } = px;
  if (data instanceof Uint16Array) return { format: 'R16UI', data, slope: px.slope, intercept: px.intercept };
  if (data instanceof Uint8Array) {
    return { format: 'R16UI', data: Uint16Array.from(data), slope: px.slope, intercept: px.intercept };
  }
  if (data instanceof Int16Array) {
    // Shift the signed range up by 32768 and fold the shift into the intercept.
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) + 32768;
    return { format: 'R16UI', data: out, slope: px.slope, intercept: px.intercept - 32768 * px.slope };
  }
  return packFloat(data, px.slope, px.intercept);
}

function packFloat(data: Float32Array, slope: number, intercept: number): PackedTexture {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && v !== Math.round(v)) integral = false;
  }
  if (!integral || data.length === 0 || max - min > 65535) return { format: 'R32F', data, slope, intercept };
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) - min;
  return { format: 'R16UI', data: out, slope, intercept: intercept + min * slope };
}
