import type dicomParser from 'dicom-parser';
import { decodeEncapsulatedFrame, colourOf } from './decoders/index';
import type { DecodedFrame, SampleArray } from './decoders/types';
import { decodeNative } from './decoders/uncompressed';
import { DicomError } from './errors';
import { encapsulatedFrame, nativeFrame } from './frames';
import { headerFromParsed } from './header';
import { notAnImageReason, readImageParams, type ImageParams } from './image-params';
import { applyModalityLut, modalityFunction, readModalityLut } from './modality-lut';
import { parseDicomBytes, type ParsedDicom } from './parse';
import {
  needsInversion,
  paletteToLuminance,
  rgbToLuminance,
  ybr422ToLuminance,
  ybrToLuminance,
} from './photometric';
import { modalityValuesViaTable, storedValues } from './pixel-values';
import { readPixelSpacing } from './spacing';
import { transferSyntaxInfo } from './transfer-syntax';
import type { DecodedImage, DecodeOptions } from './types';
import { readVoiLut, readVoiLutFunction, readWindows } from './voi';

/** Stored values of one frame (bits-stored masked, sign-extended), interleaved by pixel for colour. */
export interface StoredFrame {
  params: ImageParams;
  stored: Int32Array | Uint32Array;
  /** Colour space of 3-sample values (the codec may have converted YBR to RGB). */
  colour?: 'RGB' | 'YBR_FULL';
  /** Native YBR_FULL_422 keeps its 2-samples-per-pixel layout in `stored`. */
  subsampled422: boolean;
}

function checkFrame(frame: number, frames: number, file?: string): void {
  if (!Number.isInteger(frame) || frame < 0 || frame >= frames) {
    throw new DicomError(
      'CORRUPT',
      `frame ${frame} does not exist (the image has ${frames} frame${frames === 1 ? '' : 's'}, numbered from 0)`,
      file,
    );
  }
}

interface RawFrame {
  params: ImageParams;
  samples: SampleArray;
  colour?: 'RGB' | 'YBR_FULL';
  subsampled422: boolean;
}

/**
 * Decode one frame to stored values: the pixel numbers before any LUT. This is what a reference decoder
 * (pydicom's pixel_array) returns, so the integration test compares at this point.
 */
export async function decodeStoredFrame(
  parsed: ParsedDicom,
  frame: number,
  file?: string,
): Promise<StoredFrame> {
  const raw = await decodeRawFrame(parsed, frame, file);
  return {
    params: raw.params,
    stored: storedValues(raw.samples, raw.params),
    colour: raw.colour,
    subsampled422: raw.subsampled422,
  };
}

/** One frame's samples exactly as the decoder produced them (before bits-stored masking). */
async function decodeRawFrame(parsed: ParsedDicom, frame: number, file?: string): Promise<RawFrame> {
  const ds = parsed.dataSet;
  const notImage = notAnImageReason(ds);
  if (notImage) throw new DicomError('NOT_AN_IMAGE', notImage, file);
  const params = readImageParams(ds, file);
  checkFrame(frame, params.frames, file);
  const info = transferSyntaxInfo(parsed.transferSyntax);
  if (!info)
    throw new DicomError(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      `unsupported transfer syntax ${parsed.transferSyntax}`,
      file,
    );
  const pixel = ds.elements.x7fe00010 as dicomParser.Element;

  let decoded: DecodedFrame;
  let subsampled422 = false;
  if (!info.encapsulated) {
    if (pixel.encapsulatedPixelData) {
      throw new DicomError(
        'CORRUPT',
        `pixel data is encapsulated but the transfer syntax ${info.name} is native`,
        file,
      );
    }
    let p = params;
    if (params.photometric === 'YBR_FULL_422' && params.samplesPerPixel === 3) {
      // Native 4:2:2: 2 samples per pixel on disk (Y1 Y2 Cb Cr per pixel pair).
      subsampled422 = true;
      p = { ...params, samplesPerPixel: 2, planarConfiguration: 0 };
    }
    const nf = nativeFrame(parsed.bytes, pixel, p, frame, file);
    decoded = {
      samples: decodeNative(nf, p, info.bigEndian),
      colour: params.samplesPerPixel === 3 ? colourOf(params.photometric) : undefined,
    };
  } else {
    if (!pixel.encapsulatedPixelData) {
      throw new DicomError(
        'CORRUPT',
        `transfer syntax ${info.name} needs encapsulated pixel data, the file has native pixel data`,
        file,
      );
    }
    const data = encapsulatedFrame(ds, pixel, params.frames, frame, file);
    decoded = await decodeEncapsulatedFrame(data, { params, transferSyntax: info.uid, file });
    const expected = params.rows * params.columns * params.samplesPerPixel;
    if (decoded.samples.length < expected) {
      throw new DicomError(
        'CORRUPT',
        `${info.name} frame decoded to ${decoded.samples.length} samples, ${expected} expected`,
        file,
      );
    }
    if (decoded.samples.length > expected)
      decoded = { ...decoded, samples: decoded.samples.subarray(0, expected) };
  }
  return { params, samples: decoded.samples, colour: decoded.colour, subsampled422 };
}

/** Parse, decode one frame and apply the modality LUT. Throws DicomError with a code and a file-naming message. */
export async function decodeDicom(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const file = opts.file;
  const frameIndex = opts.frame ?? 0;
  const parsed = parseDicomBytes(bytes, file);
  const header = headerFromParsed(parsed);
  const ds = parsed.dataSet;
  const raw = await decodeRawFrame(parsed, frameIndex, file);
  const p = raw.params;
  const pixels = p.rows * p.columns;
  const signed = p.pixelRepresentation === 1;

  let values: Float32Array;
  let min: number;
  let max: number;
  if (p.samplesPerPixel === 1 && p.photometric !== 'PALETTE COLOR') {
    // Grey: mask, sign-extend and apply the Modality LUT in one pass where a table can do it.
    const lut = readModalityLut(ds, signed);
    const fused = modalityValuesViaTable(raw.samples, p, modalityFunction(lut));
    ({ values, min, max } = fused ?? applyModalityLut(storedValues(raw.samples, p), lut));
  } else {
    const stored = storedValues(raw.samples, p);
    if (p.samplesPerPixel === 1) values = paletteToLuminance(ds, stored, signed, file);
    else if (raw.subsampled422) values = ybr422ToLuminance(stored, p.rows, p.columns);
    else values = raw.colour === 'YBR_FULL' ? ybrToLuminance(stored, pixels) : rgbToLuminance(stored, pixels);
    ({ min, max } = minMax(values));
  }

  const voiLut = readVoiLut(ds, signed);
  const pixelSpacing = readPixelSpacing(ds);
  return {
    header,
    rows: p.rows,
    columns: p.columns,
    samplesPerPixel: p.samplesPerPixel,
    frame: frameIndex,
    frames: p.frames,
    values,
    storedMin: min,
    storedMax: max,
    windows: readWindows(ds),
    ...(voiLut ? { voiLut } : {}),
    voiLutFunction: readVoiLutFunction(ds),
    // Colour images are already display-ready luminance; MONOCHROME1 and INVERSE concern grey images.
    invert: p.samplesPerPixel === 1 && p.photometric !== 'PALETTE COLOR' && needsInversion(ds, p.photometric),
    ...(pixelSpacing ? { pixelSpacing } : {}),
  };
}

function minMax(values: Float32Array): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length ? { min, max } : { min: 0, max: 0 };
}
