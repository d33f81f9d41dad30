import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import { DicomError } from './errors';
import { TS } from './transfer-syntax';
import { relabelNewVrs } from './vr-fixup';

/** A parsed data set plus the facts about its encoding the decoders need. */
export interface ParsedDicom {
  dataSet: dicomParser.DataSet;
  /** Bytes the element offsets in `dataSet` refer to (inflated for the deflated syntax). */
  bytes: Uint8Array;
  transferSyntax: string;
  /** False for ACR-NEMA style files with no Part 10 preamble/file meta (transfer syntax was sniffed). */
  hasFileMeta: boolean;
}

const PREAMBLE = 128;
const KNOWN_VRS = new Set(
  'AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);

function hasDicmAt(bytes: Uint8Array, at: number): boolean {
  return (
    bytes.length >= at + 4 &&
    bytes[at] === 0x44 &&
    bytes[at + 1] === 0x49 &&
    bytes[at + 2] === 0x43 &&
    bytes[at + 3] === 0x4d
  );
}

function u16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32le(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) + (b[at + 3] ?? 0) * 0x1000000;
}

/** Length of the element at `at` if it looks like a plausible little endian element of the given encoding. */
function plausibleElement(bytes: Uint8Array, at: number, explicit: boolean): number | undefined {
  if (at + 8 > bytes.length) return undefined;
  const group = u16le(bytes, at);
  // Data sets start with a low, even group (command 0000, meta 0002, identifying 0008, ...).
  if (group % 2 !== 0 || group > 0x0028) return undefined;
  if (explicit) {
    const vr = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0);
    if (!KNOWN_VRS.has(vr)) return undefined;
    if (['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'].includes(vr)) {
      const len = u32le(bytes, at + 8);
      return len === 0xffffffff ? undefined : 12 + len;
    }
    return 8 + u16le(bytes, at + 6);
  }
  const len = u32le(bytes, at + 4);
  return len === 0xffffffff || len > bytes.length ? undefined : 8 + len;
}

/**
 * For a file with no preamble and no "DICM": where does a little endian data set start, and with which VR
 * encoding? Old ACR-NEMA files and some exporters write bare data sets, occasionally after a few stray
 * bytes. Two consecutive plausible elements in ascending tag order are required, so random files rarely pass.
 */
function sniffRawDataSet(bytes: Uint8Array): { offset: number; syntax: string } | undefined {
  for (let offset = 0; offset < Math.min(64, bytes.length - 16); offset++) {
    for (const explicit of [true, false]) {
      const len = plausibleElement(bytes, offset, explicit);
      if (len === undefined) continue;
      const next = offset + len;
      if (plausibleElement(bytes, next, explicit) === undefined) continue;
      const tagA = u16le(bytes, offset) * 0x10000 + u16le(bytes, offset + 2);
      const tagB = u16le(bytes, next) * 0x10000 + u16le(bytes, next + 2);
      if (tagB > tagA) return { offset, syntax: explicit ? TS.EXPLICIT_LE : TS.IMPLICIT_LE };
    }
  }
  return undefined;
}

/** Prefix a preamble to a file that starts directly with the group 0002 file meta (no 128-byte preamble). */
function withPreamble(bytes: Uint8Array, dicmAtStart: boolean): Uint8Array {
  const out = new Uint8Array(PREAMBLE + (dicmAtStart ? 0 : 4) + bytes.length);
  if (!dicmAtStart) out.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE);
  out.set(bytes, dicmAtStart ? PREAMBLE : PREAMBLE + 4);
  return out;
}

function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

function reasonOf(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'exception' in e)
    return reasonOf((e as { exception: unknown }).exception);
  return String(e);
}

/** See vr-fixup.ts: make OV/SV/UV elements readable by dicom-parser 1.8. */
function withNewVrsRelabelled(bytes: Uint8Array, assumedSyntax: string | undefined): Uint8Array {
  if (assumedSyntax) return assumedSyntax === TS.EXPLICIT_LE ? relabelNewVrs(bytes, 0, false) : bytes;
  try {
    const meta = dicomParser.readPart10Header(bytes) as dicomParser.DataSet & { position?: number };
    const ts = (meta.string('x00020010') ?? '').replace(/\0/g, '').trim();
    if (ts === TS.IMPLICIT_LE || ts === TS.DEFLATED_LE || meta.position === undefined) return bytes;
    return relabelNewVrs(bytes, meta.position, ts === TS.EXPLICIT_BE);
  } catch {
    return bytes; // let the full parse report the problem
  }
}

/** Parse a Part 10 file (or a bare data set) into dicom-parser's DataSet. Throws DicomError. */
export function parseDicomBytes(input: Uint8Array, file?: string): ParsedDicom {
  let bytes = input;
  let assumedSyntax: string | undefined;
  let hasFileMeta = true;
  if (!hasDicmAt(bytes, PREAMBLE)) {
    if (hasDicmAt(bytes, 0)) {
      bytes = withPreamble(bytes, true);
    } else {
      const sniffed = sniffRawDataSet(bytes);
      if (!sniffed) {
        throw new DicomError(
          'NOT_DICOM',
          'not a DICOM file (no "DICM" marker and no recognisable data set at the start)',
          file,
        );
      }
      bytes = bytes.subarray(sniffed.offset);
      if (u16le(bytes, 0) === 0x0002) {
        // Meta group without preamble and DICM marker.
        bytes = withPreamble(bytes, false);
      } else {
        assumedSyntax = sniffed.syntax;
        hasFileMeta = false;
      }
    }
  }

  bytes = withNewVrsRelabelled(bytes, assumedSyntax);

  let dataSet: dicomParser.DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      ...(assumedSyntax ? { TransferSyntaxUID: assumedSyntax } : {}),
      inflater,
    });
  } catch (e) {
    const reason = reasonOf(e);
    if (/overrun|overread|beyond|end of buffer|premature/i.test(reason)) {
      throw new DicomError(
        'TRUNCATED',
        `file is truncated: an element runs past the end of the data (${reason.replace(/^dicomParser[.:]\w*:?\s*/, '')})`,
        file,
      );
    }
    if (/inflate|incorrect header|invalid (stored|block|distance|code)/i.test(reason)) {
      throw new DicomError('CORRUPT', `deflated data set cannot be inflated (${reason})`, file);
    }
    if (/missing required meta header attribute 0002,0010/.test(reason)) {
      throw new DicomError('CORRUPT', 'file meta has no Transfer Syntax UID (0002,0010)', file);
    }
    throw new DicomError('CORRUPT', `cannot parse the data set (${reason})`, file);
  }

  const transferSyntax = (dataSet.string('x00020010') ?? assumedSyntax ?? TS.IMPLICIT_LE)
    .replace(/\0/g, '')
    .trim();
  // For the deflated syntax dicom-parser's data set holds the inflated copy.
  return { dataSet, bytes: dataSet.byteArray as Uint8Array, transferSyntax, hasFileMeta };
}
