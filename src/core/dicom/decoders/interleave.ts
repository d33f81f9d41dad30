import type { SampleArray } from './types';

/** Colour-by-plane (RRR..GGG..BBB..) to colour-by-pixel (RGBRGB...), the layout the rest of the pipeline uses. */
export function planarToInterleaved<T extends SampleArray>(planar: T, pixels: number, samples: number): T {
  const out = new (planar.constructor as new (n: number) => T)(pixels * samples);
  for (let s = 0; s < samples; s++) {
    const base = s * pixels;
    for (let i = 0; i < pixels; i++) out[i * samples + s] = planar[base + i]!;
  }
  return out;
}
