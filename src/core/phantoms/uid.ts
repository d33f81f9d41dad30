import { createHash } from 'node:crypto';

/**
 * A deterministic DICOM UID under the 2.25 arc (PS3.5 B.2: "2.25." + a 128-bit number in decimal), derived
 * from a name, so regenerating phantoms with the same seed gives the same UIDs.
 */
export function uidFromName(name: string): string {
  const h = createHash('sha256').update(name).digest();
  let n = 0n;
  for (let i = 0; i < 16; i++) n = (n << 8n) | BigInt(h[i]!);
  return `2.25.${n.toString(10)}`;
}
