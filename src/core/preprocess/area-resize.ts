// Area ("box") resampling of 8-bit grey pixels, bit-exact with Pillow's Image.resize(..., Image.BOX,
// box=...) which the training pipeline uses to bring crops to the models' native size
// (training/kneegrade_train/data.py load_grey). Same coefficients, same 22-bit fixed-point rounding,
// same horizontal-then-vertical pass order with an 8-bit intermediate, so the uint8 crop the model sees
// is identical to training's, not merely close.

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;

/** Pillow's box filter: 1 on (-0.5, 0.5]. */
function boxFilter(x: number): number {
  return x > -0.5 && x <= 0.5 ? 1 : 0;
}

interface Coeffs {
  ksize: number;
  bounds: Int32Array; // [xmin, count] per output pixel
  kk: Int32Array; // fixed-point weights, ksize per output pixel
}

function precomputeCoeffs(inSize: number, in0: number, in1: number, outSize: number): Coeffs {
  const scale = (in1 - in0) / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 0.5 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const pre = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    pre.fill(0);
    for (let x = 0; x < xmax; x++) {
      const w = boxFilter((x + xmin - center + 0.5) * ss);
      pre[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? pre[x]! / ww : pre[x]!;
      kk[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

function clip8(ss: number): number {
  if (ss >= ONE * 256) return 255;
  if (ss <= 0) return 0;
  return Math.floor(ss / ONE);
}

/** Box rectangle in source pixel coordinates: [x0, y0, x1, y1), may be fractional. */
export type Box = readonly [number, number, number, number];

/**
 * Resize `src` (width x height grey) region `box` to outW x outH with Pillow's BOX filter.
 * The box must lie inside the image (pad first otherwise; see crop.ts).
 */
export function areaResize(
  src: Uint8Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
  box: Box = [0, 0, width, height],
): Uint8Array {
  if (src.length !== width * height)
    throw new Error(`areaResize: ${src.length} pixels for ${width}x${height}`);
  const [bx0, by0, bx1, by1] = box;
  if (bx0 < 0 || by0 < 0 || bx1 > width || by1 > height || bx1 <= bx0 || by1 <= by0)
    throw new Error(`areaResize: box [${box.join(', ')}] is outside the ${width}x${height} image`);
  const needH = outW !== width || bx0 !== 0 || bx1 !== outW;
  const needV = outH !== height || by0 !== 0 || by1 !== outH;
  if (!needH && !needV) return src.slice();
  const h = precomputeCoeffs(width, bx0, bx1, outW);
  const v = precomputeCoeffs(height, by0, by1, outH);
  const yFirst = v.bounds[0]!;
  const yLast = v.bounds[outH * 2 - 2]! + v.bounds[outH * 2 - 1]!;

  let img = src;
  let imgW = width;
  let rowOffset = 0;
  if (needH) {
    // Horizontal pass over only the source rows the vertical pass will read.
    const rows = yLast - yFirst;
    const tmp = new Uint8Array(outW * rows);
    for (let yy = 0; yy < rows; yy++) {
      const rowBase = (yy + yFirst) * width;
      for (let xx = 0; xx < outW; xx++) {
        const xmin = h.bounds[xx * 2]!;
        const n = h.bounds[xx * 2 + 1]!;
        const k = xx * h.ksize;
        let ss = ONE / 2;
        for (let x = 0; x < n; x++) ss += src[rowBase + xmin + x]! * h.kk[k + x]!;
        tmp[yy * outW + xx] = clip8(ss);
      }
    }
    img = tmp;
    imgW = outW;
    rowOffset = yFirst;
  }
  if (!needV) return img;
  const out = new Uint8Array(outW * outH);
  for (let yy = 0; yy < outH; yy++) {
    const ymin = v.bounds[yy * 2]! - rowOffset;
    const n = v.bounds[yy * 2 + 1]!;
    const k = yy * v.ksize;
    for (let xx = 0; xx < outW; xx++) {
      let ss = ONE / 2;
      for (let y = 0; y < n; y++) ss += img[(ymin + y) * imgW + xx]! * v.kk[k + y]!;
      out[yy * outW + xx] = clip8(ss);
    }
  }
  return out;
}
