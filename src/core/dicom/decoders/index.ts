import { DicomError } from '../errors';
import { transferSyntaxInfo } from '../transfer-syntax';
import { decodeJpeg12 } from './jpeg12';
import { decodeJpeg8 } from './jpeg-baseline';
import { decodeJpegLossless } from './jpeg-lossless';
import { decodeJpegLs } from './jpeg-ls';
import { readJpegFrameHeader } from './jpeg-markers';
import { decodeJpeg2000 } from './jpeg2000';
import { decodeRle } from './rle';
import type { DecodedFrame, FrameDecodeContext } from './types';

/**
 * One encapsulated frame -> samples, by transfer syntax. Native syntaxes never come here (see decode.ts);
 * an unknown syntax throws UNSUPPORTED_TRANSFER_SYNTAX naming it.
 */
export async function decodeEncapsulatedFrame(
  data: Uint8Array,
  ctx: FrameDecodeContext,
): Promise<DecodedFrame> {
  const info = transferSyntaxInfo(ctx.transferSyntax);
  if (!info || info.codec === 'native') {
    throw new DicomError(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      `unsupported transfer syntax ${ctx.transferSyntax}`,
      ctx.file,
    );
  }
  switch (info.codec) {
    case 'rle':
      return {
        samples: decodeRle(data, ctx.params, ctx.file),
        colour: ctx.params.samplesPerPixel === 3 ? colourOf(ctx.params.photometric) : undefined,
      };
    case 'jpeg2000':
      return decodeJpeg2000(data, ctx);
    case 'jpeg-ls':
    case 'jpeg-lossless':
    case 'jpeg-baseline':
      return decodeJpegFamily(data, ctx);
  }
}

/**
 * The JPEG-family syntaxes are routed by the codestream's own SOF marker, not only the UID: files labelled
 * baseline that hold 12-bit or lossless streams are common enough (PS3.5 8.2.1 notes) to be worth handling.
 */
function decodeJpegFamily(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  const sof = readJpegFrameHeader(data);
  if (!sof) throw new DicomError('CORRUPT', 'JPEG pixel data has no start-of-image/frame header', ctx.file);
  switch (sof.sof) {
    case 0xf7:
      return decodeJpegLs(data, ctx);
    case 0xc3:
      return decodeJpegLossless(data, ctx);
    case 0xc0:
    case 0xc1:
      return sof.precision > 8 ? decodeJpeg12(data, ctx) : decodeJpeg8(data, ctx);
    case 0xc2:
      if (sof.precision > 8)
        throw new DicomError(
          'UNSUPPORTED_TRANSFER_SYNTAX',
          '12-bit progressive JPEG is not supported',
          ctx.file,
        );
      return decodeJpeg8(data, ctx);
    default:
      throw new DicomError(
        'UNSUPPORTED_TRANSFER_SYNTAX',
        `JPEG process with SOF marker 0x${sof.sof.toString(16).toUpperCase()} (e.g. arithmetic or hierarchical coding) is not supported`,
        ctx.file,
      );
  }
}

export function colourOf(photometric: string): 'RGB' | 'YBR_FULL' {
  return photometric.startsWith('YBR') ? 'YBR_FULL' : 'RGB';
}
