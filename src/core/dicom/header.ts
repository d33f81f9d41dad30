import type dicomParser from 'dicom-parser';
import { parseDicomBytes, type ParsedDicom } from './parse';
import { readNumber, readText, textDecoderFor } from './text';
import type { DicomHeader } from './types';

function laterality(v: string | undefined): 'L' | 'R' | 'B' | undefined {
  const s = v?.toUpperCase();
  return s === 'L' || s === 'R' || s === 'B' ? s : undefined;
}

function us(dataSet: dicomParser.DataSet, tag: string): number | undefined {
  const el = dataSet.elements[tag];
  if (!el || el.length < 2) return undefined;
  return dataSet.uint16(tag);
}

/** Build the header from an already parsed data set (decodeDicom reuses the parse). */
export function headerFromParsed(parsed: ParsedDicom): DicomHeader {
  const ds = parsed.dataSet;
  const dec = textDecoderFor(ds);
  const t = (tag: string) => readText(ds, tag, dec);
  return {
    transferSyntax: parsed.transferSyntax,
    sopClassUid: t('x00080016') ?? t('x00020002'),
    modality: t('x00080060'),
    patientId: t('x00100020'),
    patientName: t('x00100010'),
    birthDate: t('x00100030'),
    sex: t('x00100040'),
    studyUid: t('x0020000d'),
    seriesUid: t('x0020000e'),
    sopUid: t('x00080018') ?? t('x00020003'),
    studyDate: t('x00080020'),
    studyDescription: t('x00081030'),
    accession: t('x00080050'),
    laterality: laterality(t('x00200062')) ?? laterality(t('x00200060')),
    view: t('x00185101'),
    bodyPart: t('x00180015'),
    rows: us(ds, 'x00280010') ?? 0,
    columns: us(ds, 'x00280011') ?? 0,
    bitsStored: us(ds, 'x00280101') ?? 0,
    photometric: (t('x00280004') ?? '').toUpperCase(),
    frames: Math.max(1, Math.trunc(readNumber(ds, 'x00280008') ?? 1)),
    hasPixelData: ds.elements.x7fe00010 !== undefined,
  };
}

/** Tags only, no pixel decode. Throws DicomError (NOT_DICOM, TRUNCATED, CORRUPT). */
export function readDicomHeader(bytes: Uint8Array, file?: string): DicomHeader {
  return headerFromParsed(parseDicomBytes(bytes, file));
}
