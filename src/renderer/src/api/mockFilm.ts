// A synthetic bilateral knee film for the dev mock: 12-bit values in a 16-bit array, two femur /
// tibia pairs with a joint space, soft tissue and noise. Only for working on the UI without a core.

export function syntheticFilm(width: number, height: number, seed: number): Uint16Array {
  const out = new Uint16Array(width * height);
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const knees = [width * 0.27, width * 0.73];
  const jointY = height * 0.5;
  const gap = height * (0.012 + 0.01 * ((seed % 5) / 4));
  const boneW = width * 0.13;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 150; // air
      for (const cx of knees) {
        const dx = (x - cx) / (boneW * 1.9);
        if (Math.abs(dx) < 1) v = Math.max(v, 900 + 500 * Math.sqrt(1 - dx * dx)); // soft tissue
        const dy = y - jointY;
        // Femoral condyles flare towards the joint, the tibial plateau is flat and wide.
        const femurHalf = boneW * (dy < 0 ? 0.55 + 0.45 * Math.exp(dy / (height * 0.08)) : 0);
        const tibiaHalf = boneW * (dy > gap ? 0.55 + 0.4 * Math.exp(-(dy - gap) / (height * 0.06)) : 0);
        const half = Math.max(femurHalf, tibiaHalf);
        const ax = Math.abs(x - cx);
        if (half > 0 && ax < half) {
          const edge = 1 - ax / half;
          const cortex = edge < 0.08 ? 700 : 0;
          v = Math.max(v, 2300 + 500 * edge + cortex);
        }
      }
      out[y * width + x] = Math.min(4095, Math.max(0, Math.round(v + (rand() - 0.5) * 120)));
    }
  }
  return out;
}

/** An 8-bit knee crop like the OAI ones (224 px), as 16-bit values 0..255. */
export function syntheticCrop(size: number, seed: number): Uint16Array {
  const film = syntheticFilm(size * 2, size, seed);
  const out = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++)
      out[y * size + x] = Math.round(((film[y * size * 2 + x + Math.floor(size * 0.04)] ?? 0) / 4095) * 255);
  }
  return out;
}
