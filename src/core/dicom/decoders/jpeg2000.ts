import { loadCodec, runWasmDecoder } from '../codecs/wasm';
import { codecFailure } from './codec-error';
import type { DecodedFrame, FrameDecodeContext } from './types';

/**
 * JPEG 2000 lossless and lossy (ISO 15444-1) through OpenJPEG (WASM). OpenJPEG applies the inverse
 * component transform, so 3-component output is RGB whatever YBR_RCT/YBR_ICT the tag says.
 */
export async function decodeJpeg2000(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  const mod = await loadCodec('openjpeg');
  try {
    const { info, output } = runWasmDecoder(mod.J2KDecoder!, data);
    const count = info.width * info.height * info.componentCount;
    if (info.bitsPerSample > 16)
      throw new Error(`${info.bitsPerSample}-bit JPEG 2000 components are not supported`);
    const samples =
      info.bitsPerSample > 8
        ? info.isSigned
          ? new Int16Array(output.buffer, 0, count)
          : new Uint16Array(output.buffer, 0, count)
        : info.isSigned
          ? new Int8Array(output.buffer, 0, count)
          : output.subarray(0, count);
    return { samples, colour: info.componentCount === 3 ? 'RGB' : undefined };
  } catch (e) {
    throw codecFailure('JPEG 2000 (OpenJPEG)', e, ctx.file);
  }
}
