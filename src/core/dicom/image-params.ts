import type dicomParser from 'dicom-parser';
import { DicomError } from './errors';
import { readNumber, readText, textDecoderFor } from './text';

/** The Image Pixel module (PS3.3 C.7.6.3): everything needed to turn pixel data bytes into sample values. */
export interface ImageParams {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** 0: colour-by-pixel (RGBRGB...), 1: colour-by-plane (RR..GG..BB..). */
  planarConfiguration: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  photometric: string;
  frames: number;
}

/** SOP classes that carry Pixel Data but are not pictures to grade (dose grids, label maps, ...). */
const NON_IMAGE_SOP_CLASSES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.481.2': 'an RT Dose',
  '1.2.840.10008.5.1.4.1.1.66.4': 'a Segmentation',
  '1.2.840.10008.5.1.4.1.1.66.7': 'a Label Map Segmentation',
  '1.2.840.10008.5.1.4.1.1.30': 'a Parametric Map',
  '1.2.840.10008.5.1.4.1.1.481.3': 'an RT Structure Set',
  '1.2.840.10008.5.1.4.1.1.481.5': 'an RT Plan',
};
const NON_IMAGE_MODALITIES: Record<string, string> = {
  RTDOSE: 'an RT Dose',
  SEG: 'a Segmentation',
  RTSTRUCT: 'an RT Structure Set',
  RTPLAN: 'an RT Plan',
  SR: 'a Structured Report',
  PR: 'a Presentation State',
  KO: 'a Key Object Selection',
};

function us(ds: dicomParser.DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  return el && el.length >= 2 ? ds.uint16(tag) : undefined;
}

/**
 * Why this data set is not a displayable image, or undefined when it is one. A SEG or an RT Dose has Pixel
 * Data but grading it as a radiograph would be meaningless.
 */
export function notAnImageReason(ds: dicomParser.DataSet): string | undefined {
  const dec = textDecoderFor(ds);
  const sop = readText(ds, 'x00080016', dec) ?? readText(ds, 'x00020002', dec) ?? '';
  const modality = (readText(ds, 'x00080060', dec) ?? '').toUpperCase();
  const kind = NON_IMAGE_SOP_CLASSES[sop] ?? NON_IMAGE_MODALITIES[modality];
  if (kind)
    return `not an image: it is ${kind} object (SOP class ${sop || 'unknown'}, modality ${modality || 'unknown'})`;
  if (ds.elements.x7fe00008 || ds.elements.x7fe00009)
    return 'not an image: it holds float pixel data (a parametric map), not a radiograph';
  if (!ds.elements.x7fe00010)
    return `not an image: it has no Pixel Data (7FE0,0010)${modality ? ` (modality ${modality})` : ''}`;
  return undefined;
}

/** Read and check the Image Pixel module. Throws CORRUPT naming the bad attribute. */
export function readImageParams(ds: dicomParser.DataSet, file?: string): ImageParams {
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  const bitsAllocated = us(ds, 'x00280100');
  if (!rows || !columns)
    throw new DicomError(
      'CORRUPT',
      `image has no valid Rows/Columns (${rows ?? '-'}x${columns ?? '-'})`,
      file,
    );
  if (!bitsAllocated || ![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new DicomError(
      'CORRUPT',
      `unsupported Bits Allocated ${bitsAllocated ?? '(missing)'} (expected 1, 8, 16 or 32)`,
      file,
    );
  }
  let bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) bitsStored = bitsAllocated;
  let highBit = us(ds, 'x00280102') ?? bitsStored - 1;
  if (highBit < bitsStored - 1 || highBit >= bitsAllocated) highBit = bitsStored - 1;
  const samplesPerPixel = us(ds, 'x00280002') ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new DicomError(
      'CORRUPT',
      `unsupported Samples per Pixel ${samplesPerPixel} (expected 1 or 3)`,
      file,
    );
  }
  const dec = textDecoderFor(ds);
  const photometric = (
    readText(ds, 'x00280004', dec) ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')
  ).toUpperCase();
  return {
    rows,
    columns,
    samplesPerPixel,
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: us(ds, 'x00280103') ?? 0,
    photometric,
    frames: Math.max(1, Math.trunc(readNumber(ds, 'x00280008') ?? 1)),
  };
}
