import { DicomError } from '../errors';
import { transferSyntaxInfo } from '../transfer-syntax';
import { decodeRle } from './rle';
import type { DecodedFrame, FrameDecodeContext } from './types';

/**
 * One encapsulated frame -> samples, by transfer syntax. Native syntaxes never come here (see decode.ts);
 * an unknown syntax throws UNSUPPORTED_TRANSFER_SYNTAX naming it.
 */
export async function decodeEncapsulatedFrame(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  const info = transferSyntaxInfo(ctx.transferSyntax);
  if (!info || info.codec === 'native') {
    throw new DicomError('UNSUPPORTED_TRANSFER_SYNTAX', `unsupported transfer syntax ${ctx.transferSyntax}`, ctx.file);
  }
  switch (info.codec) {
    case 'rle':
      return { samples: decodeRle(data, ctx.params, ctx.file), colour: ctx.params.samplesPerPixel === 3 ? colourOf(ctx.params.photometric) : undefined };
    default:
      throw new DicomError('UNSUPPORTED_TRANSFER_SYNTAX', `unsupported transfer syntax ${info.name} (${info.uid})`, ctx.file);
  }
}

export function colourOf(photometric: string): 'RGB' | 'YBR_FULL' {
  return photometric.startsWith('YBR') ? 'YBR_FULL' : 'RGB';
}
