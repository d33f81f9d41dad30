import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeDicom, decodeStoredFrame, parseDicomBytes, TS } from '../../../src/core/dicom';
import { decodeLosslessJpeg } from '../../../src/core/dicom/decoders/jpeg-lossless';
import { decodeJpegDct } from '../../../src/core/dicom/decoders/jpeg12';
import { encapsulate, imageElements, writeDicom, type ImageSpec } from './dicom-writer';
import { encodeDctJpeg, encodeLosslessJpeg } from './jpeg-test-encoders';

const require = createRequire(import.meta.url);

/** A smooth 12-bit "radiograph" with noise and hard edges, deterministic. */
function testImage(w: number, h: number, bits: number, seed = 1): Uint16Array {
  const max = 2 ** bits - 1;
  const out = new Uint16Array(w * h);
  let s = seed;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const base = (Math.sin(x / 7) * 0.3 + Math.cos(y / 5) * 0.3 + 0.5) * max;
      const edge = x > w / 2 && y < h / 3 ? max * 0.2 : 0;
      out[y * w + x] = Math.max(0, Math.min(max, Math.round(base * 0.7 + edge + ((s >> 8) % 64) - 32)));
    }
  }
  return out;
}

function dicomWith(frame: Uint8Array, ts: string, spec: ImageSpec): Uint8Array {
  return writeDicom(
    [...imageElements(spec), { tag: 0x7fe00010, vr: 'ENCAPSULATED', value: encapsulate([[frame]]) }],
    { transferSyntax: ts },
  );
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('own lossless JPEG decoder (process 14)', () => {
  const w = 37;
  const h = 23;
  const img = testImage(w, h, 16);
  for (let predictor = 1; predictor <= 7; predictor++) {
    it(`predictor ${predictor}, 16-bit`, () => {
      const r = decodeLosslessJpeg(encodeLosslessJpeg([img], w, h, { precision: 16, predictor }));
      expect(Array.from(r.samples)).toEqual(Array.from(img));
    });
  }

  it('point transform 2 and restart intervals every 3 rows', () => {
    const pt = img.map((v) => v & ~3);
    const r = decodeLosslessJpeg(
      encodeLosslessJpeg([pt], w, h, { precision: 16, predictor: 6, pointTransform: 2, restartRows: 3 }),
    );
    expect(Array.from(r.samples)).toEqual(Array.from(pt));
  });

  it('three interleaved 8-bit components', () => {
    const planes = [0, 1, 2].map((c) => Uint8Array.from(testImage(w, h, 8, c + 5)));
    const r = decodeLosslessJpeg(encodeLosslessJpeg(planes, w, h, { precision: 8, predictor: 4 }));
    expect(r.components).toBe(3);
    for (let i = 0; i < w * h; i++)
      for (let c = 0; c < 3; c++) expect(r.samples[i * 3 + c]).toBe(planes[c]![i]);
  });

  it('entropy-coded data that ends early is an error, not a silently grey image', () => {
    const jpeg = encodeLosslessJpeg([img], w, h, { precision: 16, predictor: 1 });
    const cut = Uint8Array.from([...jpeg.subarray(0, Math.floor(jpeg.length / 2)), 0xff, 0xd9]);
    expect(() => decodeLosslessJpeg(cut)).toThrow(/ends before the image is complete/);
    const blocks = Array.from({ length: 64 }, (_, i) => {
      const b = new Int32Array(64);
      b[0] = 8 * (i * 50 - 2048);
      b[1] = 100;
      return b;
    });
    const dct = encodeDctJpeg(blocks, 64, 64, { precision: 12 });
    expect(() => decodeJpegDct(Uint8Array.from([...dct.subarray(0, dct.length - 60), 0xff, 0xd9]))).toThrow(
      /ends before the image is complete/,
    );
  });

  it('through decodeDicom with the SV1 syntax', async () => {
    const jpeg = encodeLosslessJpeg([img.map((v) => v >> 4)], w, h, { precision: 12, predictor: 1 });
    const im = await decodeDicom(
      dicomWith(jpeg, TS.JPEG_LOSSLESS_SV1, { rows: h, columns: w, bitsAllocated: 16, bitsStored: 12 }),
    );
    expect(Array.from(im.values)).toEqual(Array.from(img, (v) => v >> 4));
  });
});

describe('own sequential DCT decoder (8 and 12 bit)', () => {
  it('12-bit DC-only blocks reconstruct exactly, with restart intervals', () => {
    const levels = [0, 1, 2047, 2048, 4000, 4095, 100, 3000, 1234, 777, 2222, 3333];
    const blocks = levels.map((v) => {
      const b = new Int32Array(64);
      b[0] = 8 * (v - 2048); // q = 1: F(0,0) = 8 * (mean - 2^(P-1))
      return b;
    });
    const w = 4 * 8;
    const h = 3 * 8;
    const r = decodeJpegDct(encodeDctJpeg(blocks, w, h, { precision: 12, restartBlocks: 5 }));
    expect(r.precision).toBe(12);
    for (let by = 0; by < 3; by++)
      for (let bx = 0; bx < 4; bx++)
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++)
            expect(r.samples[(by * 8 + y) * w + bx * 8 + x]).toBe(levels[by * 4 + bx]);
  });

  it('AC coefficients follow the DCT definition (within 1 of the exact float IDCT)', () => {
    const b = new Int32Array(64);
    b[0] = 8 * 100;
    b[1] = 300; // u=1, v=0
    b[8] = -200; // u=0, v=1
    b[9] = 120;
    b[63] = 40;
    const r = decodeJpegDct(encodeDctJpeg([b], 8, 8, { precision: 12, q: 1 }));
    const C = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        let s = 0;
        for (let v = 0; v < 8; v++)
          for (let u = 0; u < 8; u++)
            s +=
              C(u) *
              C(v) *
              b[v * 8 + u]! *
              Math.cos(((2 * x + 1) * u * Math.PI) / 16) *
              Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        const exact = Math.min(4095, Math.max(0, s / 4 + 2048));
        expect(Math.abs(r.samples[y * 8 + x]! - exact)).toBeLessThanOrEqual(1);
      }
  });

  it('image sizes that are not multiples of 8 are cropped from the padded blocks', async () => {
    const blocks = [500, 1500, 2500, 3500].map((v) => {
      const b = new Int32Array(64);
      b[0] = 8 * (v - 2048);
      return b;
    });
    // 13x11 needs 2x2 blocks
    const jpeg = encodeDctJpeg(blocks, 13, 11, { precision: 12 });
    const im = await decodeDicom(
      dicomWith(jpeg, TS.JPEG_EXTENDED, { rows: 11, columns: 13, bitsAllocated: 16, bitsStored: 12 }),
    );
    expect(im.values.length).toBe(143);
    expect(im.values[0]).toBe(500);
    expect(im.values[12]).toBe(1500);
    expect(im.values[10 * 13]).toBe(2500);
    expect(im.values[142]).toBe(3500);
  });

  it('a truncated stream is CORRUPT or decodes the available part, never hangs', async () => {
    const b = new Int32Array(64);
    b[0] = 800;
    const jpeg = encodeDctJpeg([b, b, b, b], 32, 8, { precision: 12 });
    const cut = jpeg.subarray(0, 40);
    await expect(
      decodeDicom(
        dicomWith(cut, TS.JPEG_EXTENDED, { rows: 8, columns: 32, bitsAllocated: 16, bitsStored: 12 }),
        { file: 'cut.dcm' },
      ),
    ).rejects.toMatchObject({
      code: 'CORRUPT',
    });
  });
});

/** Encoders from the full (encode + decode) cornerstone WASM builds: test-only fixture makers. */
interface WasmEncoder {
  getDecodedBuffer(info: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  setNearLossless?(n: number): void;
  setInterleaveMode?(n: number): void;
  setQuality?(lossless: boolean, quality: number): void;
  setCompressionRatio?(layer: number, ratio: number): void;
  delete(): void;
}
async function wasmEncode(
  pkg: string,
  ctor: string,
  pixels: Uint8Array | Uint16Array,
  info: {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned?: boolean;
    isUsingColorTransform?: boolean;
  },
  configure: (e: WasmEncoder) => void = () => {},
): Promise<Uint8Array> {
  const mod = (await (require(pkg) as () => Promise<Record<string, new () => WasmEncoder>>)())[ctor]!;
  const enc = new mod();
  try {
    enc
      .getDecodedBuffer({ isSigned: false, isUsingColorTransform: false, ...info })
      .set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
    configure(enc);
    enc.encode();
    return enc.getEncodedBuffer().slice();
  } finally {
    enc.delete();
  }
}

describe('WASM codecs through the dispatcher', () => {
  const w = 64;
  const h = 48;
  const img12 = testImage(w, h, 12);
  const spec = { rows: h, columns: w, bitsAllocated: 16, bitsStored: 12 };

  it('JPEG-LS lossless: exact', async () => {
    const jls = await wasmEncode('@cornerstonejs/codec-charls/wasmjs', 'JpegLSEncoder', img12, {
      width: w,
      height: h,
      bitsPerSample: 12,
      componentCount: 1,
    });
    const f = await decodeStoredFrame(parseDicomBytes(dicomWith(jls, TS.JPEG_LS_LOSSLESS, spec)), 0);
    expect(Array.from(f.stored)).toEqual(Array.from(img12));
  });

  it('JPEG-LS near-lossless NEAR=3: every sample within 3', async () => {
    const jls = await wasmEncode(
      '@cornerstonejs/codec-charls/wasmjs',
      'JpegLSEncoder',
      img12,
      { width: w, height: h, bitsPerSample: 12, componentCount: 1 },
      (e) => e.setNearLossless!(3),
    );
    const f = await decodeStoredFrame(parseDicomBytes(dicomWith(jls, TS.JPEG_LS_NEAR, spec)), 0);
    const d = maxAbsDiff(f.stored, img12);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThanOrEqual(3);
  });

  it('JPEG-LS 8-bit RGB in each interleave mode', async () => {
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31 + (i >> 5)) & 0xff);
    for (const mode of [0, 1, 2]) {
      const jls = await wasmEncode(
        '@cornerstonejs/codec-charls/wasmjs',
        'JpegLSEncoder',
        mode === 0 ? toPlanar(rgb, w * h) : rgb,
        { width: w, height: h, bitsPerSample: 8, componentCount: 3 },
        (e) => e.setInterleaveMode!(mode),
      );
      const f = await decodeStoredFrame(
        parseDicomBytes(
          dicomWith(jls, TS.JPEG_LS_LOSSLESS, {
            rows: h,
            columns: w,
            bitsAllocated: 8,
            samplesPerPixel: 3,
            photometric: 'RGB',
          }),
        ),
        0,
      );
      expect(maxAbsDiff(f.stored, rgb), `interleave mode ${mode}`).toBe(0);
    }
  });

  it('JPEG 2000 lossless: exact; lossy: close', async () => {
    const j2k = await wasmEncode('@cornerstonejs/codec-openjpeg/wasmjs', 'J2KEncoder', img12, {
      width: w,
      height: h,
      bitsPerSample: 12,
      componentCount: 1,
    });
    const f = await decodeStoredFrame(parseDicomBytes(dicomWith(j2k, TS.J2K_LOSSLESS, spec)), 0);
    expect(Array.from(f.stored)).toEqual(Array.from(img12));
    const lossy = await wasmEncode(
      '@cornerstonejs/codec-openjpeg/wasmjs',
      'J2KEncoder',
      img12,
      { width: w, height: h, bitsPerSample: 12, componentCount: 1 },
      (e) => {
        e.setQuality!(false, 0);
        e.setCompressionRatio!(0, 4);
      },
    );
    const g = await decodeStoredFrame(parseDicomBytes(dicomWith(lossy, TS.J2K, spec)), 0);
    const d = maxAbsDiff(g.stored, img12);
    expect(d).toBeLessThan(400);
  });

  it('JPEG baseline 8-bit grey goes to libjpeg-turbo and reconstructs known blocks', async () => {
    // Known coefficients (the test encoder writes them directly): DC-only blocks must come back exactly.
    const levels = [0, 17, 128, 200, 255, 90];
    const blocks = levels.map((v) => {
      const b = new Int32Array(64);
      b[0] = 8 * (v - 128);
      return b;
    });
    const jpg = encodeDctJpeg(blocks, 48, 8, { precision: 8 });
    const im = await decodeDicom(
      dicomWith(jpg, TS.JPEG_BASELINE, { rows: 8, columns: 48, bitsAllocated: 8 }),
    );
    for (let x = 0; x < 48; x++) expect(im.values[3 * 48 + x]).toBe(levels[x >> 3]);
  });

  it('a garbage codestream is CORRUPT naming the codec and the file', async () => {
    const junk = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xf7, 0, 11, 8, 0, 4, 0, 4, 1, 1, 0x11, 0, 0xff, 0xda, 1, 2, 3,
    ]);
    await expect(
      decodeDicom(dicomWith(junk, TS.JPEG_LS_LOSSLESS, { rows: 4, columns: 4, bitsAllocated: 8 }), {
        file: 'junk.dcm',
      }),
    ).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringMatching(/^junk\.dcm: .*JPEG-LS/),
    });
  });
});

function toPlanar(rgb: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) out[c * pixels + p] = rgb[p * 3 + c]!;
  return out;
}
