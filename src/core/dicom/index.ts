/**
 * DICOM pixel pipeline: Part 10 parsing, per-transfer-syntax decoders behind one dispatcher, modality LUT,
 * VOI and display. The contract is documented in docs/ARCHITECTURE.md ("DICOM").
 */
export { readDicomHeader } from './header';
export { decodeDicom, decodeStoredFrame, type StoredFrame } from './decode';
export { displayMapping, toDisplay8 } from './display';
export { warmUpCodecs } from './codecs/wasm';
export { DicomError, isDicomError, type DicomErrorCode } from './errors';
export { parseDicomBytes, type ParsedDicom } from './parse';
export { windowLevel, voiLutLevel } from './voi';
export {
  supportedTransferSyntaxes,
  transferSyntaxInfo,
  TS,
  type TransferSyntaxInfo,
} from './transfer-syntax';
export type {
  DicomHeader,
  DecodedImage,
  DecodeOptions,
  DisplayOptions,
  PixelSpacing,
  VoiLut,
  VoiLutFunction,
  WindowSetting,
} from './types';
