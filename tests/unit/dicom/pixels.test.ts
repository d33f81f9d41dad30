import { describe, expect, it } from 'vitest';
import { decodeDicom, decodeStoredFrame, DicomError, parseDicomBytes, TS } from '../../../src/core/dicom';
import {
  encapsulate,
  encodeRleFrame,
  imageElements,
  packBits,
  packWords,
  writeDicom,
  type ImageSpec,
} from './dicom-writer';

function nativeImage(spec: ImageSpec, pixelBytes: Uint8Array, ts: string = TS.EXPLICIT_LE): Uint8Array {
  return writeDicom(
    [
      ...imageElements(spec),
      { tag: 0x7fe00010, vr: spec.bitsAllocated > 8 ? 'OW' : 'OB', value: pixelBytes },
    ],
    { transferSyntax: ts },
  );
}

async function stored(bytes: Uint8Array, frame = 0): Promise<number[]> {
  return Array.from((await decodeStoredFrame(parseDicomBytes(bytes), frame)).stored);
}

describe('bits allocated / stored / high bit / sign', () => {
  it('1-bit packed frames that do not start on a byte boundary', async () => {
    // 3x3 = 9 bits per frame: frame 1 starts at bit 9.
    const f0 = [1, 0, 1, 0, 1, 0, 1, 0, 1];
    const f1 = [0, 1, 1, 0, 0, 1, 1, 1, 0];
    const bytes = nativeImage({ rows: 3, columns: 3, bitsAllocated: 1, frames: 2 }, packBits([...f0, ...f1]));
    expect(await stored(bytes, 0)).toEqual(f0);
    expect(await stored(bytes, 1)).toEqual(f1);
  });

  it('8-bit unsigned and signed', async () => {
    const vals = [0, 1, 127, 128, 200, 255];
    expect(
      await stored(nativeImage({ rows: 2, columns: 3, bitsAllocated: 8 }, Uint8Array.from(vals))),
    ).toEqual(vals);
    expect(
      await stored(
        nativeImage({ rows: 2, columns: 3, bitsAllocated: 8, pixelRepresentation: 1 }, Uint8Array.from(vals)),
      ),
    ).toEqual([0, 1, 127, -128, -56, -1]);
  });

  it('bits stored below high bit + 1: values are shifted down from the high bit and masked', async () => {
    // 10 bits stored with high bit 11 (bits 2..11), garbage in bits 0-1 and 12-15.
    const vals = [0, 1, 511, 1023];
    const raw = vals.map((v, i) => (v << 2) | (i & 3) | 0xf000);
    expect(
      await stored(
        nativeImage(
          { rows: 1, columns: 4, bitsAllocated: 16, bitsStored: 10, highBit: 11 },
          packWords(raw, 16),
        ),
      ),
    ).toEqual(vals);
  });

  it('12-bit signed in 16 with zero high bits is sign-extended (PS3.5 8.1.1)', async () => {
    const raw = [0x0fff, 0x0800, 0x07ff, 0x0000];
    expect(
      await stored(
        nativeImage(
          { rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1 },
          packWords(raw, 16),
        ),
      ),
    ).toEqual([-1, -2048, 2047, 0]);
  });

  it('16-bit full range unsigned and signed', async () => {
    const raw = [0, 1, 32767, 32768, 65535];
    expect(await stored(nativeImage({ rows: 1, columns: 5, bitsAllocated: 16 }, packWords(raw, 16)))).toEqual(
      raw,
    );
    expect(
      await stored(
        nativeImage({ rows: 1, columns: 5, bitsAllocated: 16, pixelRepresentation: 1 }, packWords(raw, 16)),
      ),
    ).toEqual([0, 1, 32767, -32768, -1]);
  });

  it('32-bit unsigned and signed', async () => {
    const raw = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff];
    expect(await stored(nativeImage({ rows: 1, columns: 5, bitsAllocated: 32 }, packWords(raw, 32)))).toEqual(
      raw,
    );
    expect(
      await stored(
        nativeImage({ rows: 1, columns: 5, bitsAllocated: 32, pixelRepresentation: 1 }, packWords(raw, 32)),
      ),
    ).toEqual([0, 1, 0x7fffffff, -0x80000000, -1]);
  });

  it('big endian 16-bit words are byte-swapped', async () => {
    const raw = [0x0102, 0xa0b0, 0x00ff];
    expect(
      await stored(
        nativeImage({ rows: 1, columns: 3, bitsAllocated: 16 }, packWords(raw, 16), TS.EXPLICIT_BE),
      ),
    ).toEqual(raw);
  });
});

describe('multi-frame', () => {
  const rows = 4;
  const columns = 3;
  const frames = [0, 1, 2].map((f) => Array.from({ length: rows * columns }, (_, i) => f * 1000 + i * 7));
  it('native: the chosen frame is decoded', async () => {
    const bytes = nativeImage({ rows, columns, bitsAllocated: 16, frames: 3 }, packWords(frames.flat(), 16));
    for (const f of [0, 1, 2]) {
      const img = await decodeDicom(bytes, { frame: f });
      expect(img.frame).toBe(f);
      expect(img.frames).toBe(3);
      expect(Array.from(img.values)).toEqual(frames[f]);
    }
  });

  it('a frame that does not exist is a clear error', async () => {
    const bytes = nativeImage({ rows, columns, bitsAllocated: 16, frames: 3 }, packWords(frames.flat(), 16));
    await expect(decodeDicom(bytes, { frame: 3, file: 'cine.dcm' })).rejects.toThrow(
      /cine\.dcm: frame 3 does not exist \(the image has 3 frames/,
    );
  });

  it('native pixel data shorter than the frames declare is TRUNCATED', async () => {
    const bytes = nativeImage(
      { rows, columns, bitsAllocated: 16, frames: 3 },
      packWords(frames.flat().slice(0, 30), 16),
    );
    await expect(decodeDicom(bytes, { frame: 2, file: 'short.dcm' })).rejects.toMatchObject({
      code: 'TRUNCATED',
    });
    // earlier frames that are complete still decode
    expect(Array.from((await decodeDicom(bytes, { frame: 1 })).values)).toEqual(frames[1]);
  });

  describe('encapsulated frames', () => {
    const rle = frames.map((f) => encodeRleFrame(f, 16, 1));
    const split = (b: Uint8Array): Uint8Array[] => [b.subarray(0, 40), b.subarray(40, 64), b.subarray(64)];
    const file = (items: Uint8Array, extra: ImageSpec['extra'] = []) =>
      writeDicom(
        [
          ...imageElements({ rows, columns, bitsAllocated: 16, frames: 3, extra }),
          { tag: 0x7fe00010, vr: 'ENCAPSULATED', value: items },
        ],
        {
          transferSyntax: TS.RLE,
        },
      );

    it('one fragment per frame, no basic offset table', async () => {
      const bytes = file(encapsulate(rle.map((r) => [r])));
      for (const f of [0, 1, 2]) expect(await stored(bytes, f)).toEqual(frames[f]);
    });

    it('several fragments per frame found through the basic offset table', async () => {
      const bytes = file(encapsulate(rle.map(split), { bot: true }));
      for (const f of [0, 1, 2]) expect(await stored(bytes, f)).toEqual(frames[f]);
    });

    it('several fragments per frame found through the extended offset table', async () => {
      // Offsets of each frame's first fragment item, relative to the first fragment (PS3.3 C.7.6.3.1.8).
      const items = rle.map(split);
      const offsets: number[] = [];
      let pos = 0;
      for (const frags of items) {
        offsets.push(pos);
        for (const fr of frags) pos += 8 + fr.length + (fr.length % 2);
      }
      const eot = new Uint8Array(offsets.length * 8);
      offsets.forEach((o, i) => new DataView(eot.buffer).setBigUint64(i * 8, BigInt(o), true));
      const bytes = file(encapsulate(items), [{ tag: 0x7fe00001, vr: 'OV', value: eot }]);
      for (const f of [0, 1, 2]) expect(await stored(bytes, f)).toEqual(frames[f]);
    });

    it('fragmented frames without any offset table cannot be split for RLE: a clear CORRUPT error', async () => {
      const bytes = file(encapsulate(rle.map(split)));
      await expect(decodeDicom(bytes, { frame: 1, file: 'frag.dcm' })).rejects.toMatchObject({
        code: 'CORRUPT',
        message: expect.stringMatching(/frag\.dcm: cannot split 9 pixel data fragments into 3 frames/),
      });
    });
  });
});

describe('colour', () => {
  const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 100, 100];
  const luma = [0.299 * 255, 0.587 * 255, 0.114 * 255, 100];
  it('RGB colour-by-pixel and colour-by-plane give the same luminance', async () => {
    const planar = [0, 1, 2].flatMap((c) => [0, 1, 2, 3].map((p) => rgb[p * 3 + c]!));
    for (const [pc, data] of [
      [0, rgb],
      [1, planar],
    ] as const) {
      const img = await decodeDicom(
        nativeImage(
          {
            rows: 2,
            columns: 2,
            bitsAllocated: 8,
            samplesPerPixel: 3,
            photometric: 'RGB',
            planarConfiguration: pc,
          },
          Uint8Array.from(data),
        ),
      );
      Array.from(img.values).forEach((v, i) => expect(v).toBeCloseTo(luma[i]!, 3));
      expect(img.invert).toBe(false);
    }
  });

  it('RGB RLE (three segments per 8-bit pixel)', async () => {
    const bytes = writeDicom(
      [
        ...imageElements({ rows: 2, columns: 2, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'RGB' }),
        { tag: 0x7fe00010, vr: 'ENCAPSULATED', value: encapsulate([[encodeRleFrame(rgb, 8, 3)]]) },
      ],
      { transferSyntax: TS.RLE },
    );
    expect(await stored(bytes)).toEqual(rgb);
  });

  it('native YBR_FULL_422 uses Y of each pixel pair', async () => {
    // Y1 Y2 Cb Cr per two pixels
    const img = await decodeDicom(
      nativeImage(
        { rows: 1, columns: 4, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'YBR_FULL_422' },
        Uint8Array.from([10, 20, 128, 128, 30, 40, 128, 128]),
      ),
    );
    expect(Array.from(img.values)).toEqual([10, 20, 30, 40]);
  });

  it('PALETTE COLOR maps indices through the 16-bit palettes to luminance', async () => {
    const lut = (vals: number[]) => packWords(vals, 16);
    const img = await decodeDicom(
      nativeImage(
        {
          rows: 1,
          columns: 3,
          bitsAllocated: 8,
          photometric: 'PALETTE COLOR',
          extra: [
            { tag: 0x00281101, vr: 'US', value: [3, 0, 16] },
            { tag: 0x00281102, vr: 'US', value: [3, 0, 16] },
            { tag: 0x00281103, vr: 'US', value: [3, 0, 16] },
            { tag: 0x00281201, vr: 'OW', value: lut([65535, 0, 0]) },
            { tag: 0x00281202, vr: 'OW', value: lut([0, 65535, 0]) },
            { tag: 0x00281203, vr: 'OW', value: lut([0, 0, 65535]) },
          ],
        },
        Uint8Array.from([0, 1, 2]),
      ),
    );
    Array.from(img.values).forEach((v, i) => expect(v).toBeCloseTo(luma[i]!, 3));
  });
});

describe('errors name the file and the reason', () => {
  it('NOT_DICOM for random bytes and for a PNG', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(200)]);
    await expect(decodeDicom(png, { file: 'photo.png' })).rejects.toMatchObject({
      code: 'NOT_DICOM',
      message: expect.stringContaining('photo.png'),
    });
    const noise = Uint8Array.from({ length: 500 }, (_, i) => (i * 7919 + 13) % 251);
    await expect(decodeDicom(noise, { file: 'noise.bin' })).rejects.toBeInstanceOf(DicomError);
  });

  it('NOT_AN_IMAGE without Pixel Data, and for SEG / RT Dose SOP classes', async () => {
    const noPixels = writeDicom(imageElements({ rows: 2, columns: 2, bitsAllocated: 8 }), {
      transferSyntax: TS.EXPLICIT_LE,
    });
    await expect(decodeDicom(noPixels, { file: 'sr.dcm' })).rejects.toMatchObject({
      code: 'NOT_AN_IMAGE',
      message: expect.stringMatching(/sr\.dcm: not an image: it has no Pixel Data/),
    });
    for (const [uid, kind] of [
      ['1.2.840.10008.5.1.4.1.1.66.4', 'Segmentation'],
      ['1.2.840.10008.5.1.4.1.1.481.2', 'RT Dose'],
    ]) {
      const els = imageElements({ rows: 2, columns: 2, bitsAllocated: 8 }).map((e) =>
        e.tag === 0x00080016 ? { ...e, value: uid! } : e,
      );
      const bytes = writeDicom([...els, { tag: 0x7fe00010, vr: 'OB', value: new Uint8Array(4) }], {
        transferSyntax: TS.EXPLICIT_LE,
      });
      await expect(decodeDicom(bytes, { file: 'x.dcm' })).rejects.toMatchObject({
        code: 'NOT_AN_IMAGE',
        message: expect.stringContaining(kind!),
      });
    }
  });

  it('TRUNCATED when the file ends inside the pixel data', async () => {
    const full = nativeImage(
      { rows: 16, columns: 16, bitsAllocated: 16 },
      packWords(new Array(256).fill(7), 16),
    );
    await expect(decodeDicom(full.subarray(0, full.length - 100), { file: 'cut.dcm' })).rejects.toMatchObject(
      { code: 'TRUNCATED', message: expect.stringMatching(/^cut\.dcm: .*truncated/) },
    );
  });

  it('UNSUPPORTED_TRANSFER_SYNTAX names the syntax', async () => {
    const bytes = writeDicom(
      [
        ...imageElements({ rows: 2, columns: 2, bitsAllocated: 8 }),
        { tag: 0x7fe00010, vr: 'ENCAPSULATED', value: encapsulate([[new Uint8Array(10)]]) },
      ],
      {
        transferSyntax: '1.2.840.10008.1.2.4.100', // MPEG2
      },
    );
    await expect(decodeDicom(bytes, { file: 'video.dcm' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_TRANSFER_SYNTAX',
      message: expect.stringContaining('1.2.840.10008.1.2.4.100'),
    });
  });

  it('CORRUPT for a broken RLE frame', async () => {
    const bytes = writeDicom(
      [
        ...imageElements({ rows: 2, columns: 2, bitsAllocated: 8 }),
        { tag: 0x7fe00010, vr: 'ENCAPSULATED', value: encapsulate([[new Uint8Array(64)]]) },
      ],
      {
        transferSyntax: TS.RLE,
      },
    );
    await expect(decodeDicom(bytes, { file: 'bad.dcm' })).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});
