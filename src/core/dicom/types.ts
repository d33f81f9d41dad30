/** Tags the rest of the app needs about a DICOM instance, read without decoding pixels. */
export interface DicomHeader {
  transferSyntax: string;
  sopClassUid?: string;
  modality?: string;
  patientId?: string;
  patientName?: string;
  birthDate?: string;
  sex?: string;
  studyUid?: string;
  seriesUid?: string;
  sopUid?: string;
  studyDate?: string;
  studyDescription?: string;
  accession?: string;
  /** ImageLaterality (0020,0062), else Laterality (0020,0060). */
  laterality?: 'L' | 'R' | 'B';
  /** ViewPosition (0018,5101), e.g. 'PA', 'AP'. */
  view?: string;
  bodyPart?: string;
  rows: number;
  columns: number;
  bitsStored: number;
  photometric: string;
  frames: number;
  /** Pixel Data (7FE0,0010) is present. A SEG or RT Dose has pixel data yet is not an image: see isDisplayableImage. */
  hasPixelData: boolean;
}

export interface WindowSetting {
  center: number;
  width: number;
  explanation?: string;
}

/** A VOI LUT (0028,3010) item: maps modality values to output values (PS3.3 C.11.2.1.2). */
export interface VoiLut {
  /** First modality value mapped (values below map to data[0]). */
  firstMapped: number;
  /** Output bit depth of the LUT entries (from the LUT descriptor, fixed up when the data says otherwise). */
  bitsPerEntry: number;
  data: Uint16Array;
  explanation?: string;
}

export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface PixelSpacing {
  /** Spacing between rows (mm), i.e. vertical pixel size. */
  row: number;
  /** Spacing between columns (mm), i.e. horizontal pixel size. */
  col: number;
  source: 'PixelSpacing' | 'ImagerPixelSpacing';
}

export interface DecodedImage {
  header: DicomHeader;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** Index of the decoded frame (0-based). */
  frame: number;
  frames: number;
  /** One frame, after the modality LUT (rescale or LUT sequence), row-major; for colour, luminance (Rec. 601). */
  values: Float32Array;
  /** Min and max of `values`. */
  storedMin: number;
  storedMax: number;
  /** Window centre/width pairs from the file, in file order (several values give several windows). */
  windows: WindowSetting[];
  voiLut?: VoiLut;
  voiLutFunction: VoiLutFunction;
  /** MONOCHROME1 xor Presentation LUT Shape INVERSE: display must invert after VOI. */
  invert: boolean;
  pixelSpacing?: PixelSpacing;
}

export interface DecodeOptions {
  /** 0-based frame of a multi-frame image (default 0). */
  frame?: number;
  /** Used in error messages. */
  file?: string;
}

export interface DisplayOptions {
  window?: { center: number; width: number };
  invert?: boolean;
}
