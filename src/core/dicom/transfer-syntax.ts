/** Transfer syntax UIDs KneeGrade decodes, and how their pixel data is laid out. */
export const TS = {
  IMPLICIT_LE: '1.2.840.10008.1.2',
  EXPLICIT_LE: '1.2.840.10008.1.2.1',
  DEFLATED_LE: '1.2.840.10008.1.2.1.99',
  EXPLICIT_BE: '1.2.840.10008.1.2.2',
  JPEG_BASELINE: '1.2.840.10008.1.2.4.50',
  JPEG_EXTENDED: '1.2.840.10008.1.2.4.51',
  JPEG_LOSSLESS_14: '1.2.840.10008.1.2.4.57',
  JPEG_LOSSLESS_SV1: '1.2.840.10008.1.2.4.70',
  JPEG_LS_LOSSLESS: '1.2.840.10008.1.2.4.80',
  JPEG_LS_NEAR: '1.2.840.10008.1.2.4.81',
  J2K_LOSSLESS: '1.2.840.10008.1.2.4.90',
  J2K: '1.2.840.10008.1.2.4.91',
  RLE: '1.2.840.10008.1.2.5',
} as const;

export type Codec = 'native' | 'rle' | 'jpeg-baseline' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  codec: Codec;
  /** Pixel data is a sequence of fragments (PS3.5 A.4), not native words. */
  encapsulated: boolean;
  bigEndian: boolean;
  lossless: boolean;
}

const INFO: readonly TransferSyntaxInfo[] = [
  {
    uid: TS.IMPLICIT_LE,
    name: 'Implicit VR Little Endian',
    codec: 'native',
    encapsulated: false,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.EXPLICIT_LE,
    name: 'Explicit VR Little Endian',
    codec: 'native',
    encapsulated: false,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.DEFLATED_LE,
    name: 'Deflated Explicit VR Little Endian',
    codec: 'native',
    encapsulated: false,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.EXPLICIT_BE,
    name: 'Explicit VR Big Endian',
    codec: 'native',
    encapsulated: false,
    bigEndian: true,
    lossless: true,
  },
  {
    uid: TS.JPEG_BASELINE,
    name: 'JPEG Baseline (Process 1)',
    codec: 'jpeg-baseline',
    encapsulated: true,
    bigEndian: false,
    lossless: false,
  },
  {
    uid: TS.JPEG_EXTENDED,
    name: 'JPEG Extended (Process 2 & 4)',
    codec: 'jpeg-baseline',
    encapsulated: true,
    bigEndian: false,
    lossless: false,
  },
  {
    uid: TS.JPEG_LOSSLESS_14,
    name: 'JPEG Lossless (Process 14)',
    codec: 'jpeg-lossless',
    encapsulated: true,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.JPEG_LOSSLESS_SV1,
    name: 'JPEG Lossless SV1 (Process 14, Selection Value 1)',
    codec: 'jpeg-lossless',
    encapsulated: true,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.JPEG_LS_LOSSLESS,
    name: 'JPEG-LS Lossless',
    codec: 'jpeg-ls',
    encapsulated: true,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.JPEG_LS_NEAR,
    name: 'JPEG-LS Near-Lossless',
    codec: 'jpeg-ls',
    encapsulated: true,
    bigEndian: false,
    lossless: false,
  },
  {
    uid: TS.J2K_LOSSLESS,
    name: 'JPEG 2000 Lossless',
    codec: 'jpeg2000',
    encapsulated: true,
    bigEndian: false,
    lossless: true,
  },
  {
    uid: TS.J2K,
    name: 'JPEG 2000',
    codec: 'jpeg2000',
    encapsulated: true,
    bigEndian: false,
    lossless: false,
  },
  { uid: TS.RLE, name: 'RLE Lossless', codec: 'rle', encapsulated: true, bigEndian: false, lossless: true },
];

const BY_UID = new Map(INFO.map((i) => [i.uid, i]));

/** Undefined for a transfer syntax KneeGrade cannot decode. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid.replace(/\0/g, '').trim());
}

export function supportedTransferSyntaxes(): readonly TransferSyntaxInfo[] {
  return INFO;
}
