/**
 * Test-only JPEG encoders, small and written for clarity: lossless (process 14, any predictor, point
 * transform, restart intervals, several components) and a sequential DCT writer that takes quantised
 * coefficients directly (so tests choose exactly what the decoder must reconstruct, at 8 or 12 bits).
 */
class BitWriter {
  bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      this.n++;
      if (this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  /** Pad the last byte with 1-bits (T.81 F.1.2.3). */
  align(): void {
    while (this.n !== 0) this.put(1, 1);
  }
}

interface Code {
  code: number;
  len: number;
}

/** Canonical Huffman table giving every symbol the same length; returns the DHT payload and the codes. */
function flatTable(symbols: number[]): { counts: number[]; codes: Map<number, Code> } {
  let len = 1;
  while (2 ** len <= symbols.length) len++; // keep the all-ones code unused
  const counts = new Array(16).fill(0);
  counts[len - 1] = symbols.length;
  const codes = new Map<number, Code>();
  symbols.forEach((s, i) => codes.set(s, { code: i, len }));
  return { counts, codes };
}

function category(d: number): number {
  let a = Math.abs(d);
  let s = 0;
  while (a) {
    s++;
    a >>= 1;
  }
  return s;
}

function putValue(w: BitWriter, d: number, s: number): void {
  if (s === 0 || s === 16) return;
  w.put(d >= 0 ? d : d + (1 << s) - 1, s);
}

function segment(marker: number, payload: number[]): number[] {
  const len = payload.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...payload];
}

function dht(tc: number, th: number, t: { counts: number[] }, symbols: number[]): number[] {
  return segment(0xc4, [(tc << 4) | th, ...t.counts, ...symbols]);
}

/** planes[c][y*w+x]: samples of component c. Restart intervals must be whole rows (like the decoder expects). */
export function encodeLosslessJpeg(
  planes: ArrayLike<number>[],
  w: number,
  h: number,
  opts: { precision: number; predictor: number; pointTransform?: number; restartRows?: number },
): Uint8Array {
  const { precision, predictor } = opts;
  const pt = opts.pointTransform ?? 0;
  const nc = planes.length;
  const symbols = Array.from({ length: 17 }, (_, i) => i);
  const table = flatTable(symbols);
  const restartInterval = opts.restartRows ? opts.restartRows * w : 0;
  const out: number[] = [0xff, 0xd8];
  out.push(
    ...segment(0xc3, [
      precision,
      h >> 8,
      h & 0xff,
      w >> 8,
      w & 0xff,
      nc,
      ...planes.flatMap((_, c) => [c + 1, 0x11, 0]),
    ]),
  );
  out.push(...dht(0, 0, table, symbols));
  if (restartInterval) out.push(...segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]));
  out.push(...segment(0xda, [nc, ...planes.flatMap((_, c) => [c + 1, 0x00]), predictor, 0, pt]));

  const shifted = planes.map((p) => Array.from(p, (v) => v >> pt));
  const initial = 1 << (precision - pt - 1);
  let w8 = new BitWriter();
  let rst = 0;
  let intervalStart = 0;
  for (let i = 0; i < w * h; i++) {
    if (restartInterval && i > 0 && i % restartInterval === 0) {
      w8.align();
      out.push(...w8.bytes, 0xff, 0xd0 + (rst++ % 8));
      w8 = new BitWriter();
      intervalStart = i;
    }
    const x = i % w;
    for (let c = 0; c < nc; c++) {
      const p = shifted[c]!;
      let pred: number;
      if (i === intervalStart) pred = initial;
      else if (i - intervalStart < w) pred = p[i - 1]!;
      else if (x === 0) pred = p[i - w]!;
      else {
        const ra = p[i - 1]!;
        const rb = p[i - w]!;
        const rc = p[i - w - 1]!;
        pred = [0, ra, rb, rc, ra + rb - rc, ra + ((rb - rc) >> 1), rb + ((ra - rc) >> 1), (ra + rb) >> 1][
          predictor
        ]!;
      }
      let d = (p[i]! - pred) & 0xffff;
      if (d >= 32768) d -= 65536; // modulo 2^16, range -32767..32768
      if (d === -32768) d = 32768;
      const s = d === 32768 ? 16 : category(d);
      const code = table.codes.get(s)!;
      w8.put(code.code, code.len);
      putValue(w8, d, s);
    }
  }
  w8.align();
  out.push(...w8.bytes, 0xff, 0xd9);
  return Uint8Array.from(out);
}

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
];

/**
 * Grey sequential DCT JPEG (SOF1, Huffman) from quantised coefficients in natural order, one Int32Array(64)
 * per block in raster order. All quantisation steps are `q`.
 */
export function encodeDctJpeg(
  blocks: Int32Array[],
  w: number,
  h: number,
  opts: { precision: number; q?: number; restartBlocks?: number },
): Uint8Array {
  const q = opts.q ?? 1;
  const out: number[] = [0xff, 0xd8];
  // 16-bit quantisation table (Pq = 1) so 12-bit streams can use any step
  out.push(...segment(0xdb, [0x10, ...new Array(64).fill(0).flatMap(() => [q >> 8, q & 0xff])]));
  out.push(...segment(0xc1, [opts.precision, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0]));
  const dcSymbols = Array.from({ length: 16 }, (_, i) => i);
  const dcTable = flatTable(dcSymbols);
  const acSet = new Set<number>([0x00, 0xf0]);
  for (const b of blocks) {
    let run = 0;
    for (let k = 1; k < 64; k++) {
      const v = b[ZIGZAG[k]!]!;
      if (v === 0) run++;
      else {
        while (run > 15) run -= 16;
        acSet.add((run << 4) | category(v));
        run = 0;
      }
    }
  }
  const acSymbols = [...acSet].sort((a, b) => a - b);
  const acTable = flatTable(acSymbols);
  out.push(...dht(0, 0, dcTable, dcSymbols), ...dht(1, 0, acTable, acSymbols));
  if (opts.restartBlocks) out.push(...segment(0xdd, [opts.restartBlocks >> 8, opts.restartBlocks & 0xff]));
  out.push(...segment(0xda, [1, 1, 0x00, 0, 63, 0]));
  let bw = new BitWriter();
  let pred = 0;
  let rst = 0;
  blocks.forEach((b, n) => {
    if (opts.restartBlocks && n > 0 && n % opts.restartBlocks === 0) {
      bw.align();
      out.push(...bw.bytes, 0xff, 0xd0 + (rst++ % 8));
      bw = new BitWriter();
      pred = 0;
    }
    const diff = b[0]! - pred;
    pred = b[0]!;
    const s = category(diff);
    const c = dcTable.codes.get(s)!;
    bw.put(c.code, c.len);
    putValue(bw, diff, s);
    let run = 0;
    let lastNonZero = 0;
    for (let k = 1; k < 64; k++) if (b[ZIGZAG[k]!]) lastNonZero = k;
    for (let k = 1; k <= lastNonZero; k++) {
      const v = b[ZIGZAG[k]!]!;
      if (v === 0) {
        run++;
        continue;
      }
      while (run > 15) {
        const z = acTable.codes.get(0xf0)!;
        bw.put(z.code, z.len);
        run -= 16;
      }
      const sz = category(v);
      const ac = acTable.codes.get((run << 4) | sz)!;
      bw.put(ac.code, ac.len);
      putValue(bw, v, sz);
      run = 0;
    }
    if (lastNonZero < 63) {
      const eob = acTable.codes.get(0x00)!;
      bw.put(eob.code, eob.len);
    }
  });
  bw.align();
  out.push(...bw.bytes, 0xff, 0xd9);
  return Uint8Array.from(out);
}
