import { DicomError } from '../errors';
import { BitReader, buildHuffmanTable, type HuffmanTable } from './jpeg-huffman';
import type { DecodedFrame, FrameDecodeContext } from './types';

/**
 * Lossless JPEG (ITU T.81 Annex H, process 14): all seven predictors (SV1 is predictor 1), point transform,
 * restart intervals, 2-16 bit precision, one or more components in interleaved or separate scans.
 * Written here rather than using jpeg-lossless-decoder-js because that package was ~10x slower on
 * radiograph-sized frames (per-sample getter/setter calls) and the decode must stay interactive.
 */
interface LlComponent {
  id: number;
  index: number;
}

function u16(d: Uint8Array, at: number): number {
  return ((d[at] ?? 0) << 8) | (d[at + 1] ?? 0);
}

export function decodeLosslessJpeg(data: Uint8Array): {
  samples: Uint16Array | Uint8Array;
  rows: number;
  columns: number;
  components: number;
  precision: number;
} {
  if (u16(data, 0) !== 0xffd8) throw new Error('no JPEG start-of-image marker');
  const tables: (HuffmanTable | undefined)[] = [];
  let restartInterval = 0;
  let precision = 0;
  let rows = 0;
  let columns = 0;
  let comps: LlComponent[] = [];
  let out: Uint16Array | Uint8Array | undefined;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) {
      at++;
      continue;
    }
    const marker = data[at + 1]!;
    at += 2;
    if (marker === 0xff || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7)) {
      if (marker === 0xff) at--;
      continue;
    }
    if (marker === 0xd9) break;
    const len = u16(data, at);
    const seg = at + 2;
    const end = at + len;
    if (end > data.length) throw new Error('JPEG marker segment runs past the end of the data');
    if (marker === 0xc4) {
      let p = seg;
      while (p < end) {
        const th = data[p]! & 15;
        const counts = data.subarray(p + 1, p + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        tables[th] = buildHuffmanTable(counts, data.slice(p + 17, p + 17 + total));
        p += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(data, seg);
    } else if (marker === 0xc3) {
      precision = data[seg]!;
      rows = u16(data, seg + 1);
      columns = u16(data, seg + 3);
      const n = data[seg + 5]!;
      comps = [];
      for (let i = 0; i < n; i++) {
        const b = seg + 6 + i * 3;
        if (data[b + 1] !== 0x11) throw new Error('subsampled lossless JPEG components are not supported');
        comps.push({ id: data[b]!, index: i });
      }
      if (rows === 0) throw new Error('JPEG with DNL-defined height is not supported');
      out = precision > 8 ? new Uint16Array(rows * columns * n) : new Uint8Array(rows * columns * n);
    } else if (
      (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
      marker === 0xf7
    ) {
      throw new Error(`not a lossless JPEG (SOF marker 0x${marker.toString(16)})`);
    } else if (marker === 0xda) {
      if (!out) throw new Error('JPEG scan before frame header');
      const ns = data[seg]!;
      const scan: { comp: LlComponent; table: HuffmanTable }[] = [];
      for (let i = 0; i < ns; i++) {
        const comp = comps.find((c) => c.id === data[seg + 1 + i * 2]);
        const table = tables[data[seg + 2 + i * 2]! >> 4];
        if (!comp || !table) throw new Error('JPEG scan refers to a missing component or Huffman table');
        scan.push({ comp, table });
      }
      const predictor = data[seg + 1 + ns * 2]!;
      const pointTransform = data[seg + 3 + ns * 2]! & 15;
      if (predictor < 1 || predictor > 7) throw new Error(`invalid lossless predictor ${predictor}`);
      at = decodeScan(
        data,
        end,
        out,
        rows,
        columns,
        comps.length,
        scan,
        predictor,
        pointTransform,
        precision,
        restartInterval,
      );
      continue;
    }
    at = end;
  }
  if (!out) throw new Error('JPEG has no lossless frame header');
  return { samples: out, rows, columns, components: comps.length, precision };
}

function decodeScan(
  data: Uint8Array,
  start: number,
  out: Uint16Array | Uint8Array,
  rows: number,
  columns: number,
  nComp: number,
  scan: { comp: LlComponent; table: HuffmanTable }[],
  predictor: number,
  pt: number,
  precision: number,
  restartInterval: number,
): number {
  const br = new BitReader(data, start);
  const ns = scan.length;
  const initial = 1 << (precision - pt - 1);
  const mask = (1 << (precision - pt)) - 1; // reconstruction is modulo 2^(P-Pt) per H.1.2.1 / H.2
  // Work on unshifted values (before the point transform) in a per-component plane, then shift into out.
  const planes = scan.map(() => new Int32Array(rows * columns));
  if (ns === 1 && restartInterval === 0) {
    decodeSinglePlane(br, planes[0]!, scan[0]!.table, rows, columns, predictor, initial, mask);
  } else {
    decodeGeneral(br, planes, scan, rows, columns, predictor, initial, mask, restartInterval);
  }
  for (let s = 0; s < ns; s++) {
    const plane = planes[s]!;
    const ci = scan[s]!.comp.index;
    if (nComp === 1 && pt === 0) out.set(plane);
    else for (let i = 0; i < plane.length; i++) out[i * nComp + ci] = plane[i]! << pt;
  }
  br.assertComplete();
  return br.endPosition();
}

/** The common case (one grey component, no restart markers) with the predictor switch hoisted out of the loop. */
function decodeSinglePlane(
  br: BitReader,
  plane: Int32Array,
  table: HuffmanTable,
  rows: number,
  columns: number,
  predictor: number,
  initial: number,
  mask: number,
): void {
  const diff = (): number => {
    const t = br.decode(table);
    return t === 0 ? 0 : br.receiveExtend(t);
  };
  plane[0] = (initial + diff()) & mask;
  for (let x = 1; x < columns; x++) plane[x] = (plane[x - 1]! + diff()) & mask;
  for (let y = 1; y < rows; y++) {
    const row = y * columns;
    plane[row] = (plane[row - columns]! + diff()) & mask;
    const end = row + columns;
    if (predictor === 1) {
      for (let i = row + 1; i < end; i++) plane[i] = (plane[i - 1]! + diff()) & mask;
    } else {
      for (let i = row + 1; i < end; i++) {
        const ra = plane[i - 1]!;
        const rb = plane[i - columns]!;
        const rc = plane[i - columns - 1]!;
        const pred =
          predictor === 2
            ? rb
            : predictor === 3
              ? rc
              : predictor === 4
                ? ra + rb - rc
                : predictor === 5
                  ? ra + ((rb - rc) >> 1)
                  : predictor === 6
                    ? rb + ((ra - rc) >> 1)
                    : (ra + rb) >> 1;
        plane[i] = (pred + diff()) & mask;
      }
    }
  }
}

function decodeGeneral(
  br: BitReader,
  planes: Int32Array[],
  scan: { comp: LlComponent; table: HuffmanTable }[],
  rows: number,
  columns: number,
  predictor: number,
  initial: number,
  mask: number,
  restartInterval: number,
): void {
  const ns = scan.length;
  const rowStride = columns;
  let mcu = 0;
  let restartRowStart = 0; // first pixel index of the current restart interval
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
        br.restart();
        restartRowStart = y * columns + x;
      }
      const i = y * rowStride + x;
      // Prediction resets at the start of the image and of each restart interval: the first line of the
      // interval predicts from the left, its first sample from 2^(P-Pt-1).
      const firstLine = i - restartRowStart < columns;
      for (let s = 0; s < ns; s++) {
        const plane = planes[s]!;
        let pred: number;
        if (i === restartRowStart) pred = initial;
        else if (firstLine) pred = plane[i - 1]!;
        else if (x === 0) pred = plane[i - rowStride]!;
        else {
          const ra = plane[i - 1]!;
          const rb = plane[i - rowStride]!;
          const rc = plane[i - rowStride - 1]!;
          switch (predictor) {
            case 1:
              pred = ra;
              break;
            case 2:
              pred = rb;
              break;
            case 3:
              pred = rc;
              break;
            case 4:
              pred = ra + rb - rc;
              break;
            case 5:
              pred = ra + ((rb - rc) >> 1);
              break;
            case 6:
              pred = rb + ((ra - rc) >> 1);
              break;
            default:
              pred = (ra + rb) >> 1;
          }
        }
        const t = br.decode(scan[s]!.table);
        const diff = t === 0 ? 0 : br.receiveExtend(t);
        plane[i] = (pred + diff) & mask;
      }
      mcu++;
    }
  }
}

/** Dispatcher entry: JPEG lossless process 14, any predictor (SV1 included). */
export async function decodeJpegLossless(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  try {
    const r = decodeLosslessJpeg(data);
    return {
      samples: r.samples,
      colour:
        r.components === 3 ? (ctx.params.photometric.startsWith('YBR') ? 'YBR_FULL' : 'RGB') : undefined,
    };
  } catch (e) {
    if (e instanceof DicomError) throw e;
    throw new DicomError('CORRUPT', `lossless JPEG cannot be decoded (${(e as Error).message})`, ctx.file);
  }
}
