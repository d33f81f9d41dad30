import type dicomParser from 'dicom-parser';
import { TextDecoder } from 'node:util';

/**
 * Text values honouring Specific Character Set (0008,0005). dicom-parser reads bytes as Latin-1, which garbles
 * UTF-8 names (ISO_IR 192) and other single-byte sets; we decode the raw bytes ourselves.
 */
const CHARSET_LABELS: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'tis-620',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

export function textDecoderFor(dataSet: dicomParser.DataSet): TextDecoder {
  const raw = dataSet.string('x00080005') ?? '';
  // With code extensions (ISO 2022) the first value is the default repertoire; escape sequences are not handled.
  const terms = raw.split('\\').map((t) => t.trim().replace(/^ISO 2022 /, 'ISO_'));
  const last = terms.find((t) => t !== '') ?? 'ISO_IR 6';
  const label = CHARSET_LABELS[last] ?? 'latin1';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('latin1');
  }
}

/** A string element decoded with the data set's character set, trailing padding removed; undefined when absent or empty. */
export function readText(
  dataSet: dicomParser.DataSet,
  tag: string,
  decoder: TextDecoder,
): string | undefined {
  const el = dataSet.elements[tag];
  if (!el || el.length === 0 || el.length === undefined) return undefined;
  const bytes = (dataSet.byteArray as Uint8Array).subarray(el.dataOffset, el.dataOffset + el.length);
  const s = decoder
    .decode(bytes)
    .replace(/[\0 ]+$/, '')
    .trim();
  return s === '' ? undefined : s;
}

/** Numeric string values (DS/IS) as numbers, multi-valued; empty when absent. */
export function readNumbers(dataSet: dicomParser.DataSet, tag: string): number[] {
  const s = dataSet.string(tag);
  if (!s) return [];
  return s
    .split('\\')
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isFinite(v));
}

export function readNumber(dataSet: dicomParser.DataSet, tag: string): number | undefined {
  return readNumbers(dataSet, tag)[0];
}
