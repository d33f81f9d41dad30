// Reproducible reading orders: a seeded PRNG (mulberry32) and an unbiased Fisher-Yates shuffle. The
// seed is stored with the session, so the exact order any reader saw can be regenerated for an audit.

import { mulberry32 } from '../random/mulberry32';

export { mulberry32 };

/** A new array with the items in a seed-determined random order (Fisher-Yates, every order equally likely). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const rand = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/** A fresh 32-bit seed from the platform's CSPRNG (so readers cannot predict their order). */
export function randomSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0]!;
}
