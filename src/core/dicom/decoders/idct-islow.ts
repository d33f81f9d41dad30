/**
 * Integer inverse DCT of one 8x8 block, the "islow" algorithm of the IJG libjpeg (jidctint.c, Loeffler-
 * Ligtenberg-Moschytz with 13-bit fixed-point constants). GDCM and most DICOM toolkits decode lossy JPEG with
 * IJG, so using the same arithmetic makes KneeGrade's 12-bit output match theirs instead of differing by
 * rounding. Arithmetic is done in doubles (exact for these integer magnitudes), so 12-bit input cannot
 * overflow as it could in 32-bit C.
 */
const CONST_BITS = 13;
const F_0_298 = 2446;
const F_0_390 = 3196;
const F_0_541 = 4433;
const F_0_765 = 6270;
const F_0_899 = 7373;
const F_1_175 = 9633;
const F_1_501 = 12299;
const F_1_847 = 15137;
const F_1_961 = 16069;
const F_2_053 = 16819;
const F_2_562 = 20995;
const F_3_072 = 25172;

/** IJG DESCALE: round-half-up right shift by n bits. Exact in doubles since 2^-n is a power of two. */
function descale(x: number, n: number): number {
  return Math.floor((x + HALF[n]!) * INV[n]!);
}
const HALF = Float64Array.from({ length: 32 }, (_, n) => (n === 0 ? 0 : 2 ** (n - 1)));
const INV = Float64Array.from({ length: 32 }, (_, n) => 2 ** -n);

function put(
  out: Uint16Array | Uint8Array,
  at: number,
  v: number,
  n: number,
  center: number,
  maxSample: number,
): void {
  const s = descale(v, n) + center;
  out[at] = s < 0 ? 0 : s > maxSample ? maxSample : s;
}

const work = new Float64Array(64);

/**
 * coef: 64 dequantised coefficients in natural (row-major) order. Writes 8x8 samples (level-shifted and
 * clamped to [0, maxSample]) to out at offset, row stride `stride`.
 */
export function idctIslow(
  coef: Float64Array | Int32Array,
  out: Uint16Array | Uint8Array,
  offset: number,
  stride: number,
  precision: number,
): void {
  const pass1Bits = precision > 8 ? 1 : 2; // jidctint.c: PASS1_BITS is 1 for 12-bit samples
  const center = 1 << (precision - 1);
  const maxSample = (1 << precision) - 1;
  const ws = work;

  for (let c = 0; c < 8; c++) {
    if (
      coef[8 + c] === 0 &&
      coef[16 + c] === 0 &&
      coef[24 + c] === 0 &&
      coef[32 + c] === 0 &&
      coef[40 + c] === 0 &&
      coef[48 + c] === 0 &&
      coef[56 + c] === 0
    ) {
      const dc = coef[c]! * (pass1Bits === 1 ? 2 : 4);
      for (let r = 0; r < 8; r++) ws[r * 8 + c] = dc;
      continue;
    }
    let z2 = coef[16 + c]!;
    let z3 = coef[48 + c]!;
    let z1 = (z2 + z3) * F_0_541;
    let tmp2 = z1 - z3 * F_1_847;
    let tmp3 = z1 + z2 * F_0_765;
    z2 = coef[c]!;
    z3 = coef[32 + c]!;
    let tmp0 = (z2 + z3) * 8192;
    let tmp1 = (z2 - z3) * 8192;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;

    tmp0 = coef[56 + c]!;
    tmp1 = coef[40 + c]!;
    tmp2 = coef[24 + c]!;
    tmp3 = coef[8 + c]!;
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * F_1_175;
    tmp0 *= F_0_298;
    tmp1 *= F_2_053;
    tmp2 *= F_3_072;
    tmp3 *= F_1_501;
    z1 *= -F_0_899;
    z2 *= -F_2_562;
    z3 = z3 * -F_1_961 + z5;
    z4 = z4 * -F_0_390 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;

    const n = CONST_BITS - pass1Bits;
    ws[c] = descale(tmp10 + tmp3, n);
    ws[56 + c] = descale(tmp10 - tmp3, n);
    ws[8 + c] = descale(tmp11 + tmp2, n);
    ws[48 + c] = descale(tmp11 - tmp2, n);
    ws[16 + c] = descale(tmp12 + tmp1, n);
    ws[40 + c] = descale(tmp12 - tmp1, n);
    ws[24 + c] = descale(tmp13 + tmp0, n);
    ws[32 + c] = descale(tmp13 - tmp0, n);
  }

  const n2 = CONST_BITS + pass1Bits + 3;
  for (let r = 0; r < 8; r++) {
    const w = r * 8;
    const o = offset + r * stride;
    if (
      ws[w + 1] === 0 &&
      ws[w + 2] === 0 &&
      ws[w + 3] === 0 &&
      ws[w + 4] === 0 &&
      ws[w + 5] === 0 &&
      ws[w + 6] === 0 &&
      ws[w + 7] === 0
    ) {
      // Row with only a DC term (common after quantisation): same result as the full pass (jidctint.c shortcut).
      const s = descale(ws[w]!, pass1Bits + 3) + center;
      const v = s < 0 ? 0 : s > maxSample ? maxSample : s;
      for (let i = 0; i < 8; i++) out[o + i] = v;
      continue;
    }
    let z2 = ws[w + 2]!;
    let z3 = ws[w + 6]!;
    let z1 = (z2 + z3) * F_0_541;
    let tmp2 = z1 - z3 * F_1_847;
    let tmp3 = z1 + z2 * F_0_765;
    let tmp0 = (ws[w]! + ws[w + 4]!) * 8192;
    let tmp1 = (ws[w]! - ws[w + 4]!) * 8192;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;

    tmp0 = ws[w + 7]!;
    tmp1 = ws[w + 5]!;
    tmp2 = ws[w + 3]!;
    tmp3 = ws[w + 1]!;
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * F_1_175;
    tmp0 *= F_0_298;
    tmp1 *= F_2_053;
    tmp2 *= F_3_072;
    tmp3 *= F_1_501;
    z1 *= -F_0_899;
    z2 *= -F_2_562;
    z3 = z3 * -F_1_961 + z5;
    z4 = z4 * -F_0_390 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;

    put(out, o, tmp10 + tmp3, n2, center, maxSample);
    put(out, o + 7, tmp10 - tmp3, n2, center, maxSample);
    put(out, o + 1, tmp11 + tmp2, n2, center, maxSample);
    put(out, o + 6, tmp11 - tmp2, n2, center, maxSample);
    put(out, o + 2, tmp12 + tmp1, n2, center, maxSample);
    put(out, o + 5, tmp12 - tmp1, n2, center, maxSample);
    put(out, o + 3, tmp13 + tmp0, n2, center, maxSample);
    put(out, o + 4, tmp13 - tmp0, n2, center, maxSample);
  }
}
