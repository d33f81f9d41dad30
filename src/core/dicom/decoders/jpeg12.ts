import { DicomError } from '../errors';
import { idctIslow } from './idct-islow';
import { BitReader, buildHuffmanTable, type HuffmanTable } from './jpeg-huffman';
import type { DecodedFrame, FrameDecodeContext } from './types';

/**
 * Sequential Huffman DCT JPEG (ITU T.81 processes 1, 2 and 4: SOF0/SOF1) at 8 or 12 bits precision, in plain
 * TypeScript. Needed because libjpeg-turbo's WASM build is 8-bit only and no maintained npm package decodes
 * 12-bit DCT JPEG (JPEG Extended, 1.2.840.10008.1.2.4.51, common for 12-bit CT and CR). Handles interleaved
 * and non-interleaved scans, restart intervals, 8/16-bit quantisation tables and 1-4 components; the IDCT is
 * IJG's islow so results match IJG-based decoders (GDCM, DCMTK).
 */
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
]);

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Quantised coefficients, natural order, 64 per block, padded to whole MCUs. */
  coefs: Int32Array;
  pred: number;
}

function u16(d: Uint8Array, at: number): number {
  return ((d[at] ?? 0) << 8) | (d[at + 1] ?? 0);
}

export function decodeJpegDct(data: Uint8Array): {
  samples: Uint16Array | Uint8Array;
  rows: number;
  columns: number;
  components: number;
  precision: number;
} {
  const qt: (Int32Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let restartInterval = 0;
  let frame:
    | {
        precision: number;
        rows: number;
        columns: number;
        comps: Component[];
        hMax: number;
        vMax: number;
        mcusX: number;
        mcusY: number;
      }
    | undefined;
  let adobeTransform = -1;
  let jfif = false;

  if (u16(data, 0) !== 0xffd8) throw new Error('no JPEG start-of-image marker');
  let at = 2;
  while (at < data.length) {
    if (data[at] !== 0xff) {
      at++; // tolerate junk between segments
      continue;
    }
    const marker = data[at + 1]!;
    at += 2;
    if (marker === 0xff || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      if (marker === 0xff) at--;
      continue;
    }
    if (marker === 0xd9) break;
    const len = u16(data, at);
    const seg = at + 2;
    const end = at + len;
    if (end > data.length) throw new Error('JPEG marker segment runs past the end of the data');
    switch (marker) {
      case 0xdb: {
        let p = seg;
        while (p < end) {
          const pq = data[p]! >> 4;
          const tq = data[p]! & 15;
          p++;
          const table = new Int32Array(64);
          for (let i = 0; i < 64; i++) {
            table[ZIGZAG[i]!] = pq ? u16(data, p + 2 * i) : data[p + i]!;
          }
          p += pq ? 128 : 64;
          qt[tq] = table;
        }
        break;
      }
      case 0xc4: {
        let p = seg;
        while (p < end) {
          const tc = data[p]! >> 4;
          const th = data[p]! & 15;
          const counts = data.subarray(p + 1, p + 17);
          const total = counts.reduce((a, b) => a + b, 0);
          const values = data.slice(p + 17, p + 17 + total);
          (tc === 0 ? dcTables : acTables)[th] = buildHuffmanTable(counts, values);
          p += 17 + total;
        }
        break;
      }
      case 0xdd:
        restartInterval = u16(data, seg);
        break;
      case 0xe0:
        jfif = data[seg] === 0x4a && data[seg + 1] === 0x46;
        break;
      case 0xee:
        if (data[seg] === 0x41 && data[seg + 1] === 0x64) adobeTransform = data[seg + 11] ?? -1;
        break;
      case 0xc0:
      case 0xc1: {
        const precision = data[seg]!;
        const rows = u16(data, seg + 1);
        const columns = u16(data, seg + 3);
        const n = data[seg + 5]!;
        if (rows === 0) throw new Error('JPEG with DNL-defined height is not supported');
        const raw: { id: number; h: number; v: number; tq: number }[] = [];
        for (let i = 0; i < n; i++) {
          const b = seg + 6 + i * 3;
          raw.push({ id: data[b]!, h: data[b + 1]! >> 4, v: data[b + 1]! & 15, tq: data[b + 2]! });
        }
        const hMax = Math.max(...raw.map((c) => c.h));
        const vMax = Math.max(...raw.map((c) => c.v));
        const mcusX = Math.ceil(columns / (8 * hMax));
        const mcusY = Math.ceil(rows / (8 * vMax));
        const comps = raw.map((c) => {
          const blocksPerLine = mcusX * c.h;
          const blocksPerColumn = mcusY * c.v;
          return {
            ...c,
            blocksPerLine,
            blocksPerColumn,
            coefs: new Int32Array(blocksPerLine * blocksPerColumn * 64),
            pred: 0,
          };
        });
        frame = { precision, rows, columns, comps, hMax, vMax, mcusX, mcusY };
        break;
      }
      case 0xc2:
      case 0xc3:
      case 0xc5:
      case 0xc6:
      case 0xc7:
      case 0xc9:
      case 0xca:
      case 0xcb:
      case 0xcd:
      case 0xce:
      case 0xcf:
        throw new Error(`JPEG process SOF${marker - 0xc0} is not handled by the DCT decoder`);
      case 0xda: {
        if (!frame) throw new Error('JPEG scan before frame header');
        const ns = data[seg]!;
        const scomps: { c: Component; dc: HuffmanTable; ac: HuffmanTable }[] = [];
        for (let i = 0; i < ns; i++) {
          const id = data[seg + 1 + i * 2]!;
          const tables = data[seg + 2 + i * 2]!;
          const c = frame.comps.find((x) => x.id === id);
          const dc = dcTables[tables >> 4];
          const ac = acTables[tables & 15];
          if (!c || !dc || !ac) throw new Error('JPEG scan refers to a missing component or Huffman table');
          scomps.push({ c, dc, ac });
        }
        const ss = data[seg + 1 + ns * 2]!;
        const se = data[seg + 2 + ns * 2]!;
        if (ss !== 0 || se !== 63) throw new Error('progressive/spectral-selection scans are not supported');
        at = decodeScan(data, end, frame, scomps, restartInterval);
        continue;
      }
      default:
        break; // APPn, COM and other segments we do not need
    }
    at = end;
  }
  if (!frame) throw new Error('JPEG has no frame header');

  // Dequantise and inverse-transform every block into a padded plane per component.
  const { precision, rows, columns, comps, hMax, vMax } = frame;
  const planes = comps.map((c) => {
    const q = qt[c.tq];
    if (!q) throw new Error(`JPEG quantisation table ${c.tq} is missing`);
    const width = c.blocksPerLine * 8;
    const plane = new Uint16Array(width * c.blocksPerColumn * 8);
    const block = new Float64Array(64);
    for (let by = 0; by < c.blocksPerColumn; by++) {
      for (let bx = 0; bx < c.blocksPerLine; bx++) {
        const base = (by * c.blocksPerLine + bx) * 64;
        for (let i = 0; i < 64; i++) block[i] = c.coefs[base + i]! * q[i]!;
        idctIslow(block, plane, by * 8 * width + bx * 8, width, precision);
      }
    }
    return { plane, width, sx: hMax / c.h, sy: vMax / c.v };
  });

  const nComp = comps.length;
  const out =
    precision > 8 ? new Uint16Array(rows * columns * nComp) : new Uint8Array(rows * columns * nComp);
  for (let ci = 0; ci < nComp; ci++) {
    const { plane, width, sx, sy } = planes[ci]!;
    if (nComp === 1) {
      // Grey (the radiograph case): crop the block-padded plane row by row.
      for (let y = 0; y < rows; y++) out.set(plane.subarray(y * width, y * width + columns), y * columns);
      continue;
    }
    for (let y = 0; y < rows; y++) {
      const srcRow = Math.floor(y / sy) * width;
      for (let x = 0; x < columns; x++)
        out[(y * columns + x) * nComp + ci] = plane[srcRow + Math.floor(x / sx)]!;
    }
  }
  // YCbCr -> RGB unless an Adobe marker says the components are untransformed RGB (T.871).
  if (nComp === 3 && (adobeTransform !== 0 || jfif)) ycbcrToRgb(out, precision);
  return { samples: out, rows, columns, components: nComp, precision };
}

function decodeScan(
  data: Uint8Array,
  start: number,
  frame: {
    comps: Component[];
    mcusX: number;
    mcusY: number;
    columns: number;
    rows: number;
    hMax: number;
    vMax: number;
  },
  scomps: { c: Component; dc: HuffmanTable; ac: HuffmanTable }[],
  restartInterval: number,
): number {
  const br = new BitReader(data, start);
  for (const s of scomps) s.c.pred = 0;
  const single = scomps.length === 1;
  // A non-interleaved scan covers just the component's own blocks, not the MCU padding.
  const first = scomps[0]!.c;
  const total = single
    ? Math.ceil(Math.ceil((frame.columns * first.h) / frame.hMax) / 8) *
      Math.ceil(Math.ceil((frame.rows * first.v) / frame.vMax) / 8)
    : frame.mcusX * frame.mcusY;
  const singleCols = single ? Math.ceil(Math.ceil((frame.columns * first.h) / frame.hMax) / 8) : 0;
  let todo = restartInterval;

  for (let m = 0; m < total; m++) {
    if (restartInterval && todo === 0) {
      br.restart();
      for (const s of scomps) s.c.pred = 0;
      todo = restartInterval;
    }
    if (single) {
      const s = scomps[0]!;
      const by = Math.floor(m / singleCols);
      const bx = m % singleCols;
      decodeBlock(br, s, (by * s.c.blocksPerLine + bx) * 64);
    } else {
      const my = Math.floor(m / frame.mcusX);
      const mx = m % frame.mcusX;
      for (const s of scomps) {
        for (let v = 0; v < s.c.v; v++) {
          for (let h = 0; h < s.c.h; h++) {
            const by = my * s.c.v + v;
            const bx = mx * s.c.h + h;
            decodeBlock(br, s, (by * s.c.blocksPerLine + bx) * 64);
          }
        }
      }
    }
    todo--;
  }
  br.assertComplete();
  return br.endPosition();
}

function decodeBlock(
  br: BitReader,
  s: { c: Component; dc: HuffmanTable; ac: HuffmanTable },
  base: number,
): void {
  const coefs = s.c.coefs;
  const t = br.decode(s.dc);
  s.c.pred += t === 0 ? 0 : br.receiveExtend(t);
  coefs[base] = s.c.pred;
  for (let k = 1; k < 64;) {
    const rs = br.decode(s.ac);
    const r = rs >> 4;
    const size = rs & 15;
    if (size === 0) {
      if (r !== 15) break; // end of block
      k += 16;
      continue;
    }
    k += r;
    if (k > 63) break;
    coefs[base + ZIGZAG[k]!] = br.receiveExtend(size);
    k++;
  }
}

function ycbcrToRgb(out: Uint16Array | Uint8Array, precision: number): void {
  const center = 1 << (precision - 1);
  const max = (1 << precision) - 1;
  const clamp = (v: number) => (v < 0 ? 0 : v > max ? max : Math.round(v));
  for (let i = 0; i < out.length; i += 3) {
    const y = out[i]!;
    const cb = out[i + 1]! - center;
    const cr = out[i + 2]! - center;
    out[i] = clamp(y + 1.402 * cr);
    out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp(y + 1.772 * cb);
  }
}

/** Dispatcher entry for 12-bit (or any-precision sequential) DCT JPEG frames. */
export async function decodeJpeg12(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  try {
    const r = decodeJpegDct(data);
    return { samples: r.samples, colour: r.components === 3 ? 'RGB' : undefined };
  } catch (e) {
    if (e instanceof DicomError) throw e;
    throw new DicomError('CORRUPT', `12-bit JPEG cannot be decoded (${(e as Error).message})`, ctx.file);
  }
}
