import { loadCodec, runWasmDecoder } from '../codecs/wasm';
import { codecFailure } from './codec-error';
import { planarToInterleaved } from './interleave';
import type { DecodedFrame, FrameDecodeContext } from './types';

/** JPEG-LS lossless and near-lossless (ISO 14495-1) through CharLS (WASM). */
export async function decodeJpegLs(data: Uint8Array, ctx: FrameDecodeContext): Promise<DecodedFrame> {
  const mod = await loadCodec('charls');
  try {
    const { info, output, interleaveMode } = runWasmDecoder(mod.JpegLSDecoder!, data);
    const count = info.width * info.height * info.componentCount;
    let samples: Uint8Array | Uint16Array =
      info.bitsPerSample > 8 ? new Uint16Array(output.buffer, 0, count) : output.subarray(0, count);
    // Interleave mode 0 (none) stores each component as its own plane.
    if (info.componentCount > 1 && interleaveMode === 0)
      samples = planarToInterleaved(samples, info.width * info.height, info.componentCount);
    return {
      samples,
      colour:
        info.componentCount === 3
          ? ctx.params.photometric.startsWith('YBR')
            ? 'YBR_FULL'
            : 'RGB'
          : undefined,
    };
  } catch (e) {
    throw codecFailure('JPEG-LS (CharLS)', e, ctx.file);
  }
}
