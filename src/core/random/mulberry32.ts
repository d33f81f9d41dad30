/**
 * mulberry32: a seeded 32-bit PRNG (full period 2^32). Used wherever a seed must reproduce a result bit
 * for bit on every machine: reading orders, the MLP head's initialisation and folds, test images.
 * (The bootstrap uses xoshiro128** in src/core/stats/rng.ts; the phantoms their own stream.)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
