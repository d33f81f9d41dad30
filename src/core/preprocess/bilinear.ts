// Bilinear resize of a float image matching torch.nn.functional.interpolate(mode="bilinear",
// align_corners=False, antialias=False) on CPU: source coordinate (i + 0.5) * in/out - 0.5, clamped at
// 0, neighbours clamped at the last row/column. The training pipeline resizes with exactly this
// (training/kneegrade_train/preprocess.py to_input).

interface Axis {
  i0: Int32Array;
  i1: Int32Array;
  l0: Float32Array;
  l1: Float32Array;
}

function axis(inSize: number, outSize: number): Axis {
  const scale = Math.fround(inSize / outSize);
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const l0 = new Float32Array(outSize);
  const l1 = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let real = Math.fround(Math.fround(scale * Math.fround(o + 0.5)) - 0.5);
    if (real < 0) real = 0;
    const idx = Math.floor(real);
    const lambda = Math.fround(real - idx);
    i0[o] = idx;
    i1[o] = idx < inSize - 1 ? idx + 1 : idx;
    l1[o] = lambda;
    l0[o] = Math.fround(1 - lambda);
  }
  return { i0, i1, l0, l1 };
}

export function bilinearResize(
  src: Float32Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Float32Array {
  if (src.length !== width * height)
    throw new Error(`bilinearResize: ${src.length} values for ${width}x${height}`);
  if (outW === width && outH === height) return src.slice();
  const ax = axis(width, outW);
  const ay = axis(height, outH);
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const r0 = ay.i0[y]! * width;
    const r1 = ay.i1[y]! * width;
    const h0 = ay.l0[y]!;
    const h1 = ay.l1[y]!;
    for (let x = 0; x < outW; x++) {
      const c0 = ax.i0[x]!;
      const c1 = ax.i1[x]!;
      const w0 = ax.l0[x]!;
      const w1 = ax.l1[x]!;
      out[y * outW + x] =
        h0 * (w0 * src[r0 + c0]! + w1 * src[r0 + c1]!) + h1 * (w0 * src[r1 + c0]! + w1 * src[r1 + c1]!);
    }
  }
  return out;
}
