import { deflateRawSync } from 'node:zlib';

/**
 * Test-only DICOM Part 10 writer: just enough to build synthetic files for every native encoding
 * (implicit/explicit VR little endian, explicit big endian, deflated), encapsulated pixel data (RLE, JPEG),
 * sequences and files without preamble/file meta. Never used by the app.
 */
export type Value = string | number[] | Uint8Array | Item[];
export interface Element {
  tag: number; // 0xGGGGEEEE
  vr: string;
  value: Value;
}
export type Item = Element[];

export type Encoding = 'implicit' | 'explicit' | 'bigEndian' | 'deflated';

export const TS_UID: Record<Encoding, string> = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  bigEndian: '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
};

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

class Out {
  private chunks: number[] = [];
  constructor(readonly bigEndian: boolean) {}
  u16(v: number): void {
    if (this.bigEndian) this.chunks.push((v >> 8) & 0xff, v & 0xff);
    else this.chunks.push(v & 0xff, (v >> 8) & 0xff);
  }
  u32(v: number): void {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.chunks.push(...(this.bigEndian ? b.reverse() : b));
  }
  bytes(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.chunks.push(b[i]!);
  }
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.chunks.push(s.charCodeAt(i) & 0xff);
  }
  result(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** Value bytes of an element in the given byte order (OW values are given as little endian bytes). */
function valueBytes(el: Element, explicit: boolean, bigEndian: boolean): Uint8Array {
  const { vr, value } = el;
  if (vr === 'SQ') {
    const o = new Out(bigEndian);
    for (const item of value as Item[]) {
      const body = encodeElements(item, explicit, bigEndian);
      o.u16(0xfffe);
      o.u16(0xe000);
      o.u32(body.length);
      o.bytes(body);
    }
    return o.result();
  }
  if (typeof value === 'string') {
    const pad = vr === 'UI' ? '\0' : ' ';
    const s = value.length % 2 ? value + pad : value;
    return Uint8Array.from(Buffer.from(s, vr === 'PN' || vr === 'LO' ? 'utf8' : 'latin1'));
  }
  if (value instanceof Uint8Array) {
    let v = value.length % 2 ? Uint8Array.from([...value, 0]) : value;
    if (vr === 'OW' && bigEndian) {
      v = Uint8Array.from(v);
      for (let i = 0; i < v.length; i += 2) [v[i], v[i + 1]] = [v[i + 1]!, v[i]!];
    }
    return v;
  }
  const o = new Out(bigEndian);
  for (const n of value as number[]) {
    if (vr === 'US' || vr === 'SS') o.u16(n & 0xffff);
    else if (vr === 'UL' || vr === 'SL') o.u32(n >>> 0);
    else throw new Error(`numeric VR ${vr} not supported by the test writer`);
  }
  return o.result();
}

export function encodeElements(elements: Element[], explicit: boolean, bigEndian: boolean): Uint8Array {
  const o = new Out(bigEndian);
  for (const el of [...elements].sort((a, b) => a.tag - b.tag)) {
    if (el.vr === 'ENCAPSULATED') {
      // Pixel Data with undefined length: raw pre-built item bytes (see encapsulate()).
      o.u16(0x7fe0);
      o.u16(0x0010);
      if (explicit) {
        o.ascii('OB');
        o.u16(0);
      }
      o.u32(0xffffffff);
      o.bytes(el.value as Uint8Array);
      continue;
    }
    const v = valueBytes(el, explicit, bigEndian);
    o.u16(el.tag >>> 16);
    o.u16(el.tag & 0xffff);
    if (explicit) {
      o.ascii(el.vr);
      if (LONG_VRS.has(el.vr)) {
        o.u16(0);
        o.u32(v.length);
      } else o.u16(v.length);
    } else o.u32(v.length);
    o.bytes(v);
  }
  return o.result();
}

/** Encapsulated pixel data items (always little endian): BOT item, fragments, sequence delimiter. */
export function encapsulate(frames: Uint8Array[][], opts: { bot?: boolean } = {}): Uint8Array {
  const o = new Out(false);
  const offsets: number[] = [];
  let pos = 0;
  for (const frags of frames) {
    offsets.push(pos);
    for (const f of frags) pos += 8 + f.length + (f.length % 2);
  }
  o.u16(0xfffe);
  o.u16(0xe000);
  if (opts.bot) {
    o.u32(offsets.length * 4);
    for (const off of offsets) o.u32(off);
  } else o.u32(0);
  for (const frags of frames) {
    for (const f of frags) {
      o.u16(0xfffe);
      o.u16(0xe000);
      o.u32(f.length + (f.length % 2));
      o.bytes(f);
      if (f.length % 2) o.bytes([0]);
    }
  }
  o.u16(0xfffe);
  o.u16(0xe0dd);
  o.u32(0);
  return o.result();
}

export interface FileOptions {
  transferSyntax: string;
  /** Data set encoding; defaults from the transfer syntax (encapsulated syntaxes use explicit LE). */
  encoding?: Encoding;
  /** Omit preamble and file meta (ACR-NEMA style). */
  noMeta?: boolean;
  sopClassUid?: string;
}

export function writeDicom(elements: Element[], opts: FileOptions): Uint8Array {
  const encoding: Encoding =
    opts.encoding ??
    (Object.entries(TS_UID).find(([, uid]) => uid === opts.transferSyntax)?.[0] as Encoding | undefined) ??
    'explicit';
  const explicit = encoding !== 'implicit';
  const bigEndian = encoding === 'bigEndian';
  let body = encodeElements(elements, explicit, bigEndian);
  if (opts.noMeta) return body;
  if (encoding === 'deflated') body = Uint8Array.from(deflateRawSync(body));
  const sop = opts.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.7';
  const metaBody = encodeElements(
    [
      { tag: 0x00020001, vr: 'OB', value: Uint8Array.from([0, 1]) },
      { tag: 0x00020002, vr: 'UI', value: sop },
      { tag: 0x00020003, vr: 'UI', value: '1.2.3.4.5.6' },
      { tag: 0x00020010, vr: 'UI', value: opts.transferSyntax },
    ],
    true,
    false,
  );
  const groupLength = encodeElements([{ tag: 0x00020000, vr: 'UL', value: [metaBody.length] }], true, false);
  const out = new Uint8Array(132 + groupLength.length + metaBody.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(groupLength, 132);
  out.set(metaBody, 132 + groupLength.length);
  out.set(body, 132 + groupLength.length + metaBody.length);
  return out;
}

export interface ImageSpec {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored?: number;
  highBit?: number;
  pixelRepresentation?: number;
  samplesPerPixel?: number;
  planarConfiguration?: number;
  photometric?: string;
  frames?: number;
  modality?: string;
  extra?: Element[];
}

/** Image Pixel module + identification elements for a synthetic image. */
export function imageElements(spec: ImageSpec): Element[] {
  const els: Element[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5.6' },
    { tag: 0x00080060, vr: 'CS', value: spec.modality ?? 'OT' },
    { tag: 0x00100010, vr: 'PN', value: 'Test^Patient' },
    { tag: 0x00100020, vr: 'LO', value: 'KG-0001' },
    { tag: 0x00280002, vr: 'US', value: [spec.samplesPerPixel ?? 1] },
    { tag: 0x00280004, vr: 'CS', value: spec.photometric ?? 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: [spec.rows] },
    { tag: 0x00280011, vr: 'US', value: [spec.columns] },
    { tag: 0x00280100, vr: 'US', value: [spec.bitsAllocated] },
    { tag: 0x00280101, vr: 'US', value: [spec.bitsStored ?? spec.bitsAllocated] },
    { tag: 0x00280102, vr: 'US', value: [spec.highBit ?? (spec.bitsStored ?? spec.bitsAllocated) - 1] },
    { tag: 0x00280103, vr: 'US', value: [spec.pixelRepresentation ?? 0] },
  ];
  if ((spec.samplesPerPixel ?? 1) > 1)
    els.push({ tag: 0x00280006, vr: 'US', value: [spec.planarConfiguration ?? 0] });
  if (spec.frames !== undefined) els.push({ tag: 0x00280008, vr: 'IS', value: String(spec.frames) });
  return [...els, ...(spec.extra ?? [])];
}

/** Raw words (little endian bytes) of sample values at the given allocation (8, 16 or 32 bits). */
export function packWords(values: ArrayLike<number>, bitsAllocated: number): Uint8Array {
  const bytesPer = bitsAllocated / 8;
  const out = new Uint8Array(values.length * bytesPer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! >>> 0;
    for (let b = 0; b < bytesPer; b++) out[i * bytesPer + b] = (v >>> (8 * b)) & 0xff;
  }
  return out;
}

/** 1-bit packing, least significant bit first (PS3.5 8.1.1). */
export function packBits(bits: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** PackBits-encode one byte plane (simple encoder: replicate runs of 3+, literals otherwise). */
function packBitsRle(plane: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < plane.length) {
    let run = 1;
    while (i + run < plane.length && run < 128 && plane[i + run] === plane[i]) run++;
    if (run >= 3) {
      out.push(257 - run, plane[i]!);
      i += run;
      continue;
    }
    const start = i;
    let lit = 0;
    while (i < plane.length && lit < 128) {
      if (i + 2 < plane.length && plane[i] === plane[i + 1] && plane[i] === plane[i + 2]) break;
      i++;
      lit++;
    }
    out.push(lit - 1, ...plane.subarray(start, start + lit));
  }
  return out;
}

/** DICOM RLE frame (PS3.5 Annex G) from interleaved sample values. */
export function encodeRleFrame(
  values: ArrayLike<number>,
  bitsAllocated: number,
  samplesPerPixel: number,
): Uint8Array {
  const bytesPer = bitsAllocated / 8;
  const pixels = values.length / samplesPerPixel;
  const segments: number[][] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    for (let b = bytesPer - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++)
        plane[p] = ((values[p * samplesPerPixel + s]! >>> 0) >>> (8 * b)) & 0xff;
      const seg = packBitsRle(plane);
      if (seg.length % 2) seg.push(0x80); // pad with a no-op to keep segments even
      segments.push(seg);
    }
  }
  const header = new Uint8Array(64);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, segments.length, true);
  let off = 64;
  segments.forEach((seg, i) => {
    dv.setUint32(4 + 4 * i, off, true);
    off += seg.length;
  });
  const out = new Uint8Array(off);
  out.set(header);
  let at = 64;
  for (const seg of segments) {
    out.set(seg, at);
    at += seg.length;
  }
  return out;
}
