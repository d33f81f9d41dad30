import { describe, expect, it } from 'vitest';
import {
  decodeDicom,
  toDisplay8,
  TS,
  voiLutLevel,
  windowLevel,
  type DecodedImage,
} from '../../../src/core/dicom';
import { applyModalityLut } from '../../../src/core/dicom/modality-lut';
import { imageElements, packWords, writeDicom, type Element } from './dicom-writer';

function image16(
  values: number[],
  extra: Element[],
  opts: { signed?: boolean; photometric?: string; encoding?: 'implicit' | 'explicit' } = {},
): Uint8Array {
  return writeDicom(
    [
      ...imageElements({
        rows: 1,
        columns: values.length,
        bitsAllocated: 16,
        bitsStored: 12,
        pixelRepresentation: opts.signed ? 1 : 0,
        photometric: opts.photometric,
        extra,
      }),
      { tag: 0x7fe00010, vr: 'OW', value: packWords(values, 16) },
    ],
    { transferSyntax: opts.encoding === 'implicit' ? TS.IMPLICIT_LE : TS.EXPLICIT_LE },
  );
}

describe('pixel maths', () => {
  it('LINEAR window follows PS3.3 C.11.2.1.2.1 (half-pixel offsets)', () => {
    // c=2048, w=4096: x <= 0 -> 0; x > 4095 -> 1; in between (x - 2047.5)/4095 + 0.5
    expect(windowLevel(0, 2048, 4096, 'LINEAR')).toBe(0);
    expect(windowLevel(4096, 2048, 4096, 'LINEAR')).toBe(1);
    expect(windowLevel(2047.5, 2048, 4096, 'LINEAR')).toBeCloseTo(0.5, 12);
    expect(windowLevel(1000, 2048, 4096, 'LINEAR')).toBeCloseTo((1000 - 2047.5) / 4095 + 0.5, 12);
    // width 1 is a threshold at c - 0.5
    expect(windowLevel(99, 100, 1, 'LINEAR')).toBe(0);
    expect(windowLevel(100, 100, 1, 'LINEAR')).toBe(1);
  });

  it('LINEAR_EXACT and SIGMOID', () => {
    expect(windowLevel(50, 100, 100, 'LINEAR_EXACT')).toBe(0);
    expect(windowLevel(75, 100, 100, 'LINEAR_EXACT')).toBeCloseTo(0.25, 12);
    expect(windowLevel(151, 100, 100, 'LINEAR_EXACT')).toBe(1);
    expect(windowLevel(100, 100, 100, 'SIGMOID')).toBeCloseTo(0.5, 12);
    expect(windowLevel(150, 100, 100, 'SIGMOID')).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });

  it('VOI LUT: values below/above the table take its first/last entry, output scaled by entry bits', () => {
    const lut = { firstMapped: 10, bitsPerEntry: 8, data: Uint16Array.from([0, 51, 255]) };
    expect(voiLutLevel(0, lut)).toBe(0);
    expect(voiLutLevel(11, lut)).toBeCloseTo(0.2, 12);
    expect(voiLutLevel(1000, lut)).toBe(1);
  });

  it('modality LUT: rescale and LUT sequence, with min/max', () => {
    const r = applyModalityLut(Int32Array.from([0, 10, -5]), {
      kind: 'rescale',
      slope: 0.5,
      intercept: -100,
    });
    expect(Array.from(r.values)).toEqual([-100, -95, -102.5]);
    expect([r.min, r.max]).toEqual([-102.5, -95]);
    const l = applyModalityLut(Int32Array.from([-3, -2, -1, 5]), {
      kind: 'lut',
      firstMapped: -2,
      data: Uint16Array.from([100, 200, 300]),
    });
    expect(Array.from(l.values)).toEqual([100, 100, 200, 300]);
  });
});

describe('LUTs read from the file', () => {
  it('Modality LUT Sequence with a signed first-mapped value (implicit VR: descriptor read per pixel sign)', async () => {
    const lutData = packWords([1000, 1100, 1200, 1300], 16);
    const seq: Element = {
      tag: 0x00283000,
      vr: 'SQ',
      value: [
        [
          { tag: 0x00283002, vr: 'US', value: [4, 0xfffe, 16] }, // first mapped -2
          { tag: 0x00283006, vr: 'OW', value: lutData },
        ],
      ],
    };
    const raw = [0x0ffe, 0x0fff, 0x0000, 0x0001, 0x0100]; // -2, -1, 0, 1, 256 (12-bit signed)
    for (const encoding of ['explicit', 'implicit'] as const) {
      const img = await decodeDicom(image16(raw, [seq], { signed: true, encoding }));
      expect(Array.from(img.values)).toEqual([1000, 1100, 1200, 1300, 1300]);
    }
  });

  it('several windows with explanations, VOI LUT sequence, VOI LUT function', async () => {
    const img = await decodeDicom(
      image16(
        [0, 100, 200],
        [
          { tag: 0x00281050, vr: 'DS', value: '100\\300' },
          { tag: 0x00281051, vr: 'DS', value: '200\\400' },
          { tag: 0x00281055, vr: 'LO', value: 'SOFT\\BONE' },
          { tag: 0x00281056, vr: 'CS', value: 'SIGMOID' },
          {
            tag: 0x00283010,
            vr: 'SQ',
            value: [
              [
                { tag: 0x00283002, vr: 'US', value: [3, 0, 8] },
                { tag: 0x00283003, vr: 'LO', value: 'CURVE' },
                // data up to 4095 although the descriptor says 8 bits: entry bits are fixed up to 12
                { tag: 0x00283006, vr: 'OW', value: packWords([0, 2048, 4095], 16) },
              ],
            ],
          },
        ],
      ),
    );
    expect(img.windows).toEqual([
      { center: 100, width: 200, explanation: 'SOFT' },
      { center: 300, width: 400, explanation: 'BONE' },
    ]);
    expect(img.voiLutFunction).toBe('SIGMOID');
    expect(img.voiLut).toMatchObject({ firstMapped: 0, bitsPerEntry: 12, explanation: 'CURVE' });
  });

  it('a VOI LUT descriptor written as SS maps negative modality values (CT: unsigned pixels, intercept -1024)', async () => {
    const img = await decodeDicom(
      image16(
        [0, 1, 2, 100],
        [
          { tag: 0x00281052, vr: 'DS', value: '-1024' },
          {
            tag: 0x00283010,
            vr: 'SQ',
            value: [
              [
                { tag: 0x00283002, vr: 'SS', value: [3, -1024, 8] },
                { tag: 0x00283006, vr: 'OW', value: packWords([0, 128, 255], 16) },
              ],
            ],
          },
        ],
      ),
    );
    expect(img.voiLut?.firstMapped).toBe(-1024);
    expect(Array.from(toDisplay8(img))).toEqual([0, 128, 255, 255]);
  });

  it('pixel spacing prefers Pixel Spacing, else Imager Pixel Spacing', async () => {
    const both = await decodeDicom(
      image16(
        [1],
        [
          { tag: 0x00280030, vr: 'DS', value: '0.15\\0.16' },
          { tag: 0x00181164, vr: 'DS', value: '0.2\\0.2' },
        ],
      ),
    );
    expect(both.pixelSpacing).toEqual({ row: 0.15, col: 0.16, source: 'PixelSpacing' });
    const imager = await decodeDicom(image16([1], [{ tag: 0x00181164, vr: 'DS', value: '0.139\\0.139' }]));
    expect(imager.pixelSpacing).toEqual({ row: 0.139, col: 0.139, source: 'ImagerPixelSpacing' });
    expect((await decodeDicom(image16([1], []))).pixelSpacing).toBeUndefined();
  });

  it('inversion: MONOCHROME1, Presentation LUT Shape INVERSE, and both together (same statement, not a double inversion)', async () => {
    const shape = (v: string): Element => ({ tag: 0x20500020, vr: 'CS', value: v });
    expect((await decodeDicom(image16([1], [], { photometric: 'MONOCHROME1' }))).invert).toBe(true);
    expect((await decodeDicom(image16([1], [shape('INVERSE')], { photometric: 'MONOCHROME2' }))).invert).toBe(
      true,
    );
    expect((await decodeDicom(image16([1], [shape('INVERSE')], { photometric: 'MONOCHROME1' }))).invert).toBe(
      true,
    );
    expect(
      (await decodeDicom(image16([1], [shape('IDENTITY')], { photometric: 'MONOCHROME2' }))).invert,
    ).toBe(false);
  });
});

describe('toDisplay8', () => {
  const base = (values: number[], over: Partial<DecodedImage> = {}): DecodedImage => ({
    header: {} as DecodedImage['header'],
    rows: 1,
    columns: values.length,
    samplesPerPixel: 1,
    frame: 0,
    frames: 1,
    values: Float32Array.from(values),
    storedMin: Math.min(...values),
    storedMax: Math.max(...values),
    windows: [],
    voiLutFunction: 'LINEAR',
    invert: false,
    ...over,
  });

  it('default: first DICOM window (LINEAR)', () => {
    const img = base([0, 100, 150, 199.5, 300], {
      windows: [
        { center: 150, width: 101 },
        { center: 0, width: 10 },
      ],
    });
    // lo = 150 - 0.5 - 50 = 99.5, hi = 199.5: ((x - 149.5) / 100 + 0.5) * 255
    expect(Array.from(toDisplay8(img))).toEqual([0, 1, 129, 255, 255]);
  });

  it('no window: VOI LUT; no VOI LUT either: min..max', () => {
    const lut = { firstMapped: 0, bitsPerEntry: 8, data: Uint16Array.from([255, 0]) };
    expect(Array.from(toDisplay8(base([0, 1, 5], { voiLut: lut })))).toEqual([255, 0, 0]);
    expect(Array.from(toDisplay8(base([-10, 0, 10])))).toEqual([0, 128, 255]);
  });

  it('explicit window and inversion override the file', () => {
    const img = base([0, 50, 100], { windows: [{ center: 1000, width: 10 }], invert: true });
    expect(Array.from(toDisplay8(img, { window: { center: 50.5, width: 101 }, invert: false }))).toEqual([
      0, 128, 255,
    ]);
    expect(Array.from(toDisplay8(img, { window: { center: 50.5, width: 101 } }))).toEqual([255, 127, 0]);
  });

  it('LINEAR_EXACT and SIGMOID windows', () => {
    expect(
      Array.from(
        toDisplay8(
          base([0, 25, 100], { windows: [{ center: 50, width: 100 }], voiLutFunction: 'LINEAR_EXACT' }),
        ),
      ),
    ).toEqual([0, 64, 255]);
    const s = toDisplay8(
      base([50, 100], { windows: [{ center: 50, width: 100 }], voiLutFunction: 'SIGMOID' }),
    );
    expect(Array.from(s)).toEqual([128, Math.round(255 / (1 + Math.exp(-2)))]);
  });

  it('a flat image without window is black, not NaN', () => {
    expect(Array.from(toDisplay8(base([7, 7, 7])))).toEqual([0, 0, 0]);
  });
});
