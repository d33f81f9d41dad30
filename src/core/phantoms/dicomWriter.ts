/**
 * A small DICOM writer: enough of PS3.5 to write single-frame greyscale images as Part 10 files in
 * Explicit VR Little Endian (what real modalities send), or as a bare Implicit VR Little Endian
 * dataset without preamble and file meta (what some old archives hold), so import can be tested on both.
 */
export type Vr =
  | 'AE'
  | 'AS'
  | 'CS'
  | 'DA'
  | 'DS'
  | 'IS'
  | 'LO'
  | 'OB'
  | 'OW'
  | 'PN'
  | 'SH'
  | 'SS'
  | 'TM'
  | 'UI'
  | 'UL'
  | 'US'
  | 'LT';

export interface DicomElement {
  /** (group << 16) | element, e.g. 0x00100020 for PatientID. */
  tag: number;
  vr: Vr;
  /** Strings (multi-valued: joined with '\\'), numbers for US/UL/SS, bytes for OB/OW. */
  value: string | number | readonly number[] | Uint8Array;
}

export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
/** Our implementation class UID (under the 2.25 UUID arc, fixed) and version name. */
const IMPLEMENTATION_CLASS_UID = '2.25.163021416012894217216735129016474812305';
const IMPLEMENTATION_VERSION = 'KNEEGRADE_010';

// VRs whose explicit-VR header has 2 reserved bytes and a 4-byte length.
const LONG_VRS = new Set<Vr>(['OB', 'OW']);

function encodeValue(el: DicomElement): Uint8Array {
  const v = el.value;
  switch (el.vr) {
    case 'US':
    case 'SS':
    case 'UL': {
      const nums = typeof v === 'number' ? [v] : (v as readonly number[]);
      const size = el.vr === 'UL' ? 4 : 2;
      const b = new Uint8Array(nums.length * size);
      const dv = new DataView(b.buffer);
      nums.forEach((n, i) => {
        if (el.vr === 'UL') dv.setUint32(i * 4, n, true);
        else if (el.vr === 'SS') dv.setInt16(i * 2, n, true);
        else dv.setUint16(i * 2, n, true);
      });
      return b;
    }
    case 'OB':
    case 'OW': {
      const bytes = v as Uint8Array;
      if (bytes.length % 2 === 0) return bytes;
      const padded = new Uint8Array(bytes.length + 1);
      padded.set(bytes);
      return padded;
    }
    default: {
      const s = typeof v === 'string' ? v : Array.isArray(v) ? v.join('\\') : String(v);
      // Text values are padded to even length: UIDs with NUL, everything else with a space (PS3.5 6.2).
      const padded = s.length % 2 === 0 ? s : s + (el.vr === 'UI' ? '\0' : ' ');
      return new TextEncoder().encode(padded);
    }
  }
}

function encodeElement(el: DicomElement, explicit: boolean): Uint8Array {
  const value = encodeValue(el);
  const group = el.tag >>> 16;
  const elem = el.tag & 0xffff;
  const long = LONG_VRS.has(el.vr);
  const headerLen = !explicit ? 8 : long ? 12 : 8;
  if (explicit && !long && value.length > 0xffff)
    throw new Error(`value of tag ${el.tag.toString(16)} too long for ${el.vr}`);
  const out = new Uint8Array(headerLen + value.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, group, true);
  dv.setUint16(2, elem, true);
  if (!explicit) dv.setUint32(4, value.length, true);
  else {
    out[4] = el.vr.charCodeAt(0);
    out[5] = el.vr.charCodeAt(1);
    if (long) dv.setUint32(8, value.length, true);
    else dv.setUint16(6, value.length, true);
  }
  out.set(value, headerLen);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface WriteOptions {
  /** true (default): Part 10 file, Explicit VR LE. false: bare Implicit VR LE dataset, no preamble or file meta. */
  part10?: boolean;
}

/** Encode a dataset. `sopClassUid`/`sopInstanceUid` are taken from (0008,0016)/(0008,0018) for the file meta. */
export function writeDicom(elements: readonly DicomElement[], opts: WriteOptions = {}): Uint8Array {
  const part10 = opts.part10 ?? true;
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.tag === sorted[i - 1]!.tag)
      throw new Error(`duplicate tag ${sorted[i]!.tag.toString(16)}`);
  if (sorted.some((e) => e.tag >>> 16 === 0x0002))
    throw new Error('give dataset elements only; the file meta is written here');
  const body = concat(sorted.map((e) => encodeElement(e, part10)));
  if (!part10) return body;
  const find = (tag: number): string => {
    const el = sorted.find((e) => e.tag === tag);
    if (!el || typeof el.value !== 'string') throw new Error(`a Part 10 file needs tag ${tag.toString(16)}`);
    return el.value;
  };
  const metaElements: DicomElement[] = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: find(0x00080016) },
    { tag: 0x00020003, vr: 'UI', value: find(0x00080018) },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LE },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: IMPLEMENTATION_VERSION },
  ];
  const meta = concat(metaElements.map((e) => encodeElement(e, true)));
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: meta.length }, true);
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  return concat([preamble, groupLength, meta, body]);
}
