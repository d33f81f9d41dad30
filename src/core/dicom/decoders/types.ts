import type { ImageParams } from '../image-params';

/** Sample values as a codec hands them over, before bits-stored masking and sign extension. */
export type SampleArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface DecodedFrame {
  /** rows*columns*samplesPerPixel values, interleaved by pixel (R G B R G B ...) for colour. */
  samples: SampleArray;
  /**
   * Colour space of 3-sample output. Codecs may convert YCbCr to RGB (libjpeg does for baseline JPEG), so this
   * can differ from the Photometric Interpretation tag. Undefined for monochrome.
   */
  colour?: 'RGB' | 'YBR_FULL';
}

export interface FrameDecodeContext {
  params: ImageParams;
  transferSyntax: string;
  file?: string;
}
