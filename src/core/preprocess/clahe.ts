// CLAHE (contrast-limited adaptive histogram equalisation) for 8-bit grey, following OpenCV's
// cv::createCLAHE(clipLimit, (tiles, tiles))->apply() step for step: the image is split into
// tiles x tiles tiles (padded by BORDER_REFLECT_101 when it does not divide evenly), each tile's
// histogram is clipped at clipLimit * tilePixels / 256 with the excess redistributed evenly and the
// remainder spread at a regular stride, the cumulative histogram becomes the tile's lookup table, and
// every pixel is a bilinear blend of its four neighbouring tiles' tables. Arithmetic is float32 like
// OpenCV's, with round-half-to-even like cvRound, so the output matches OpenCV to the grey level.

const HIST = 256;
const f32 = Math.fround;

/** cvRound: round to nearest, ties to even (lrint in the default rounding mode). */
function roundEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function saturate8(v: number): number {
  const r = roundEven(v);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** OpenCV BORDER_REFLECT_101 index: gfedcb|abcdefgh|gfedcba. */
function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  while (i < 0 || i >= n) {
    if (i < 0) i = -i;
    if (i >= n) i = 2 * n - 2 - i;
  }
  return i;
}

export interface ClaheOptions {
  clipLimit: number;
  tiles: number;
}

export function clahe(src: Uint8Array, width: number, height: number, opts: ClaheOptions): Uint8Array {
  if (src.length !== width * height) throw new Error(`clahe: ${src.length} pixels for ${width}x${height}`);
  const tilesX = opts.tiles;
  const tilesY = opts.tiles;
  // Tile size over the (possibly padded) image used for the lookup tables.
  const extW = width % tilesX === 0 ? width : width + (tilesX - (width % tilesX));
  const extH = height % tilesY === 0 ? height : height + (tilesY - (height % tilesY));
  const tileW = extW / tilesX;
  const tileH = extH / tilesY;
  const tileArea = tileW * tileH;
  const lutScale = f32(f32(HIST - 1) / tileArea);
  let clipLimit = 0;
  if (opts.clipLimit > 0) {
    clipLimit = Math.trunc((opts.clipLimit * tileArea) / HIST);
    clipLimit = Math.max(clipLimit, 1);
  }

  const lut = new Uint8Array(tilesX * tilesY * HIST);
  const hist = new Int32Array(HIST);
  for (let ty = 0; ty < tilesY; ty++) {
    for (let tx = 0; tx < tilesX; tx++) {
      hist.fill(0);
      for (let y = ty * tileH; y < (ty + 1) * tileH; y++) {
        const row = reflect101(y, height) * width;
        for (let x = tx * tileW; x < (tx + 1) * tileW; x++) hist[src[row + reflect101(x, width)]!]!++;
      }
      if (clipLimit > 0) {
        let clipped = 0;
        for (let i = 0; i < HIST; i++) {
          if (hist[i]! > clipLimit) {
            clipped += hist[i]! - clipLimit;
            hist[i] = clipLimit;
          }
        }
        const redistBatch = Math.trunc(clipped / HIST);
        let residual = clipped - redistBatch * HIST;
        for (let i = 0; i < HIST; i++) hist[i]! += redistBatch;
        if (residual !== 0) {
          const residualStep = Math.max(Math.trunc(HIST / residual), 1);
          for (let i = 0; i < HIST && residual > 0; i += residualStep, residual--) hist[i]!++;
        }
      }
      const base = (ty * tilesX + tx) * HIST;
      let sum = 0;
      for (let i = 0; i < HIST; i++) {
        sum += hist[i]!;
        lut[base + i] = saturate8(f32(sum * lutScale));
      }
    }
  }

  // Interpolation over the original (unpadded) image.
  const invTw = f32(1 / tileW);
  const invTh = f32(1 / tileH);
  const ind1 = new Int32Array(width);
  const ind2 = new Int32Array(width);
  const xa = new Float32Array(width);
  const xa1 = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const txf = f32(f32(x * invTw) - 0.5);
    const tx1 = Math.floor(txf);
    const tx2 = tx1 + 1;
    xa[x] = f32(txf - tx1);
    xa1[x] = f32(1 - xa[x]!);
    ind1[x] = Math.max(tx1, 0) * HIST;
    ind2[x] = Math.min(tx2, tilesX - 1) * HIST;
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const tyf = f32(f32(y * invTh) - 0.5);
    let ty1 = Math.floor(tyf);
    let ty2 = ty1 + 1;
    const ya = f32(tyf - ty1);
    const ya1 = f32(1 - ya);
    ty1 = Math.max(ty1, 0);
    ty2 = Math.min(ty2, tilesY - 1);
    const plane1 = ty1 * tilesX * HIST;
    const plane2 = ty2 * tilesX * HIST;
    for (let x = 0; x < width; x++) {
      const v = src[y * width + x]!;
      const top = f32(f32(lut[plane1 + ind1[x]! + v]! * xa1[x]!) + f32(lut[plane1 + ind2[x]! + v]! * xa[x]!));
      const bottom = f32(
        f32(lut[plane2 + ind1[x]! + v]! * xa1[x]!) + f32(lut[plane2 + ind2[x]! + v]! * xa[x]!),
      );
      out[y * width + x] = saturate8(f32(f32(top * ya1) + f32(bottom * ya)));
    }
  }
  return out;
}
