// Seeded PRNG (mulberry32): the same seed gives the same head, bit for bit.
import { mulberry32 } from '../../random/mulberry32';

export { mulberry32 };

export function shuffleInPlace<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
