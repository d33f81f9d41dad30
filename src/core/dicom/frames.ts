import type dicomParser from 'dicom-parser';
import { DicomError } from './errors';
import type { ImageParams } from './image-params';

/** One frame of native (uncompressed) pixel data: its bytes, and for 1-bit data the bit where it starts. */
export interface NativeFrame {
  bytes: Uint8Array;
  bitOffset: number;
}

/** Native pixel data: frames are packed back to back (1-bit frames need not start on a byte boundary). */
export function nativeFrame(
  bytes: Uint8Array,
  pixel: dicomParser.Element,
  p: ImageParams,
  frame: number,
  file?: string,
): NativeFrame {
  const frameBits = p.rows * p.columns * p.samplesPerPixel * p.bitsAllocated;
  const startBit = frameBits * frame;
  const endByte = Math.ceil((startBit + frameBits) / 8);
  const available = Math.min(pixel.length, bytes.length - pixel.dataOffset);
  if (endByte > available) {
    throw new DicomError(
      'TRUNCATED',
      `pixel data is truncated: frame ${frame + 1} of ${p.frames} needs ${endByte} bytes, the file holds ${Math.max(0, available)}`,
      file,
    );
  }
  const first = Math.floor(startBit / 8);
  return {
    bytes: bytes.subarray(pixel.dataOffset + first, pixel.dataOffset + endByte),
    bitOffset: startBit % 8,
  };
}

interface Fragment {
  offset: number;
  position: number;
  length: number;
}

function concat(bytes: Uint8Array, frags: readonly Fragment[]): Uint8Array {
  if (frags.length === 1) {
    const f = frags[0]!;
    return bytes.subarray(f.position, f.position + f.length);
  }
  const total = frags.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of frags) {
    out.set(bytes.subarray(f.position, f.position + f.length), at);
    at += f.length;
  }
  return out;
}

/** Does this fragment begin a new compressed image (JPEG/JPEG-LS SOI, J2K SOC, JP2 signature box)? */
function startsCodestream(bytes: Uint8Array, f: Fragment): boolean {
  const a = bytes[f.position];
  const b = bytes[f.position + 1];
  if (a === 0xff && (b === 0xd8 || b === 0x4f)) return true;
  // JP2 file: 0000000C 6A502020
  return a === 0x00 && bytes[f.position + 4] === 0x6a && bytes[f.position + 5] === 0x50;
}

function readUint64Table(ds: dicomParser.DataSet, tag: string): number[] | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 8) return undefined;
  const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + el.dataOffset, el.length);
  const out: number[] = [];
  for (let i = 0; i + 8 <= el.length; i += 8) out.push(Number(view.getBigUint64(i, true)));
  return out;
}

/**
 * One frame of encapsulated pixel data (PS3.5 A.4), as one contiguous codestream. Frames are found by, in
 * order: the Extended Offset Table, the Basic Offset Table, one fragment per frame, all fragments for a
 * single frame, and finally codestream start markers (fragmented frames without an offset table).
 */
export function encapsulatedFrame(
  ds: dicomParser.DataSet,
  pixel: dicomParser.Element,
  frames: number,
  frame: number,
  file?: string,
): Uint8Array {
  const bytes = ds.byteArray as Uint8Array;
  const frags = (pixel.fragments ?? []) as Fragment[];
  if (frags.length === 0) throw new DicomError('CORRUPT', 'encapsulated pixel data has no fragments', file);
  for (const f of frags) {
    if (f.position + f.length > bytes.length) {
      throw new DicomError(
        'TRUNCATED',
        `pixel data is truncated (a fragment ends at byte ${f.position + f.length}, the file has ${bytes.length})`,
        file,
      );
    }
  }

  const eot = readUint64Table(ds, 'x7fe00001');
  const eotLengths = readUint64Table(ds, 'x7fe00002');
  if (eot && eot.length === frames) {
    const start = eot[frame]!;
    const end = frame + 1 < frames ? eot[frame + 1]! : Number.POSITIVE_INFINITY;
    const inFrame = frags.filter((f) => f.offset >= start && f.offset < end);
    if (inFrame.length > 0) {
      const data = concat(bytes, inFrame);
      const len = eotLengths?.[frame];
      return len !== undefined && len <= data.length ? data.subarray(0, len) : data;
    }
  }

  const bot = (pixel.basicOffsetTable ?? []) as number[];
  if (bot.length === frames && bot.length > 0) {
    const start = bot[frame]!;
    const end = frame + 1 < frames ? bot[frame + 1]! : Number.POSITIVE_INFINITY;
    const inFrame = frags.filter((f) => f.offset >= start && f.offset < end);
    if (inFrame.length === 0)
      throw new DicomError('CORRUPT', `basic offset table points frame ${frame + 1} at no fragment`, file);
    return concat(bytes, inFrame);
  }

  if (frags.length === frames) return concat(bytes, [frags[frame]!]);
  if (frames === 1) return concat(bytes, frags);

  const groups: Fragment[][] = [];
  for (const f of frags) {
    if (groups.length === 0 || startsCodestream(bytes, f)) groups.push([f]);
    else groups[groups.length - 1]!.push(f);
  }
  if (groups.length !== frames) {
    throw new DicomError(
      'CORRUPT',
      `cannot split ${frags.length} pixel data fragments into ${frames} frames (no offset table, ${groups.length} codestream starts)`,
      file,
    );
  }
  return concat(bytes, groups[frame]!);
}
