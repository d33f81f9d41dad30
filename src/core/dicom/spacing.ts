import type dicomParser from 'dicom-parser';
import { readNumbers } from './text';
import type { PixelSpacing } from './types';

/**
 * Physical pixel size in mm. Pixel Spacing (0028,0030) is calibrated to the patient when present; projection
 * radiographs often carry only Imager Pixel Spacing (0018,1164), measured at the detector (includes
 * magnification), which is still the best available for sizing a knee crop.
 */
export function readPixelSpacing(ds: dicomParser.DataSet): PixelSpacing | undefined {
  for (const [tag, source] of [
    ['x00280030', 'PixelSpacing'],
    ['x00181164', 'ImagerPixelSpacing'],
  ] as const) {
    const v = readNumbers(ds, tag);
    const row = v[0];
    const col = v[1] ?? v[0];
    if (row !== undefined && col !== undefined && row > 0 && col > 0) return { row, col, source };
  }
  return undefined;
}
