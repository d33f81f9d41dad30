import { loadCodec, runWasmDecoder } from '../codecs/wasm';
import { codecFailure } from './codec-error';
import type { DecodedFrame, FrameDecodeContext } from './types';

/**
 * 8-bit lossy JPEG (baseline and 8-bit extended/progressive) through libjpeg-turbo (WASM). libjpeg converts
 * YCbCr to RGB, so 3-component output is RGB.
 */
export async function decodeJpeg8(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  const mod = await loadCodec('libjpeg-turbo');
  try {
    const { info, output } = runWasmDecoder(mod.JPEGDecoder!, data);
    const count = info.width * info.height * info.componentCount;
    return { samples: output.subarray(0, count), colour: info.componentCount === 3 ? 'RGB' : undefined };
  } catch (e) {
    throw codecFailure('JPEG (libjpeg-turbo)', e, ctx.file);
  }
}
