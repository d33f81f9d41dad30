/** What a JPEG-family codestream's start-of-frame marker says, found by walking the marker segments. */
export interface JpegFrameHeader {
  /** SOF marker code: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, 0xF7 JPEG-LS, ... */
  sof: number;
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

/** Scan markers up to the first SOF. Undefined when there is no SOI or no SOF before the data ends. */
export function readJpegFrameHeader(data: Uint8Array): JpegFrameHeader | undefined {
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const len = (data[at + 2]! << 8) | data[at + 3]!;
    const isSof =
      (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
      marker === 0xf7;
    if (isSof) {
      if (at + 10 > data.length) return undefined;
      return {
        sof: marker,
        precision: data[at + 4]!,
        rows: (data[at + 5]! << 8) | data[at + 6]!,
        columns: (data[at + 7]! << 8) | data[at + 8]!,
        components: data[at + 9]!,
      };
    }
    if (marker === 0xda) return undefined; // scan before frame header: broken stream
    at += 2 + len;
  }
  return undefined;
}
