import { describe, expect, it } from 'vitest';
import {
  decodeDicom,
  decodeStoredFrame,
  parseDicomBytes,
  readDicomHeader,
  TS,
} from '../../../src/core/dicom';
import {
  encapsulate,
  encodeRleFrame,
  imageElements,
  packWords,
  writeDicom,
  TS_UID,
  type Encoding,
} from './dicom-writer';

/**
 * One synthetic 16-bit signed, 12-bit stored image written in every native encoding, RLE and without file
 * meta: all must decode to the same stored values. The raw words carry garbage in the 4 unused high bits
 * (as some modalities store overlays there), so bits-stored masking and sign extension are exercised.
 */
const rows = 5;
const columns = 7;
const expected = Array.from({ length: rows * columns }, (_, i) => ((i * 97) % 4096) - 2048); // -2048..2047
const raw = expected.map((v, i) => ((v & 0x0fff) | ((i % 16) << 12)) & 0xffff);
const spec = {
  rows,
  columns,
  bitsAllocated: 16,
  bitsStored: 12,
  pixelRepresentation: 1,
  extra: [
    { tag: 0x00281052, vr: 'DS', value: '-1024' },
    { tag: 0x00281053, vr: 'DS', value: '2' },
  ],
};

function nativeFile(encoding: Encoding, noMeta = false): Uint8Array {
  return writeDicom([...imageElements(spec), { tag: 0x7fe00010, vr: 'OW', value: packWords(raw, 16) }], {
    transferSyntax: TS_UID[encoding],
    noMeta,
  });
}

describe('native and RLE transfer syntaxes decode to the same stored values', () => {
  const cases: [string, Uint8Array, string][] = [
    ['implicit VR little endian', nativeFile('implicit'), TS.IMPLICIT_LE],
    ['explicit VR little endian', nativeFile('explicit'), TS.EXPLICIT_LE],
    ['explicit VR big endian', nativeFile('bigEndian'), TS.EXPLICIT_BE],
    ['deflated explicit VR little endian', nativeFile('deflated'), TS.DEFLATED_LE],
    [
      'implicit VR without preamble or file meta',
      writeDicom([...imageElements(spec), { tag: 0x7fe00010, vr: 'OW', value: packWords(raw, 16) }], {
        transferSyntax: TS.IMPLICIT_LE,
        encoding: 'implicit',
        noMeta: true,
      }),
      TS.IMPLICIT_LE,
    ],
    ['explicit VR without preamble or file meta', nativeFile('explicit', true), TS.EXPLICIT_LE],
    [
      'RLE lossless',
      writeDicom(
        [
          ...imageElements(spec),
          { tag: 0x7fe00010, vr: 'ENCAPSULATED', value: encapsulate([[encodeRleFrame(raw, 16, 1)]]) },
        ],
        {
          transferSyntax: TS.RLE,
        },
      ),
      TS.RLE,
    ],
  ];
  for (const [name, bytes, ts] of cases) {
    it(name, async () => {
      const parsed = parseDicomBytes(bytes, 'synthetic.dcm');
      expect(parsed.transferSyntax).toBe(ts);
      const frame = await decodeStoredFrame(parsed, 0);
      expect(Array.from(frame.stored)).toEqual(expected);
      const img = await decodeDicom(bytes, { file: 'synthetic.dcm' });
      expect(Array.from(img.values)).toEqual(expected.map((v) => v * 2 - 1024));
      expect(img.storedMin).toBe(Math.min(...expected) * 2 - 1024);
      expect(img.storedMax).toBe(Math.max(...expected) * 2 - 1024);
      expect(img.header.patientName).toBe('Test^Patient');
      expect(img.header.rows).toBe(rows);
      expect(img.header.columns).toBe(columns);
    });
  }

  it('a file whose meta group has no preamble/DICM is still read', () => {
    const withMeta = nativeFile('explicit');
    const stripped = withMeta.subarray(132); // starts at (0002,0000)
    expect(readDicomHeader(stripped, 'x.dcm').transferSyntax).toBe(TS.EXPLICIT_LE);
  });
});

describe('header', () => {
  it('reads identifying tags, laterality and view, decoding UTF-8 names', () => {
    const bytes = writeDicom(
      [
        ...imageElements({ rows: 2, columns: 2, bitsAllocated: 8, modality: 'DX' }),
        { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
        { tag: 0x00100010, vr: 'PN', value: 'Müller^Zoë' },
        { tag: 0x00200062, vr: 'CS', value: 'R' },
        { tag: 0x00185101, vr: 'CS', value: 'PA' },
        { tag: 0x00180015, vr: 'CS', value: 'KNEE' },
        { tag: 0x00080020, vr: 'DA', value: '20240102' },
        { tag: 0x0020000d, vr: 'UI', value: '1.2.3.1' },
        { tag: 0x7fe00010, vr: 'OB', value: new Uint8Array(4) },
      ],
      { transferSyntax: TS.EXPLICIT_LE },
    );
    const h = readDicomHeader(bytes, 'knee.dcm');
    expect(h).toMatchObject({
      patientName: 'Müller^Zoë',
      patientId: 'KG-0001',
      modality: 'DX',
      laterality: 'R',
      view: 'PA',
      bodyPart: 'KNEE',
      studyDate: '20240102',
      studyUid: '1.2.3.1',
      rows: 2,
      columns: 2,
      bitsStored: 8,
      photometric: 'MONOCHROME2',
      frames: 1,
      hasPixelData: true,
    });
  });

  it('falls back to Laterality (0020,0060) and ignores values that are not L/R/B', () => {
    const mk = (tag: number, v: string) =>
      readDicomHeader(
        writeDicom(
          [...imageElements({ rows: 1, columns: 1, bitsAllocated: 8 }), { tag, vr: 'CS', value: v }],
          { transferSyntax: TS.EXPLICIT_LE },
        ),
      );
    expect(mk(0x00200060, 'L').laterality).toBe('L');
    expect(mk(0x00200062, 'U').laterality).toBeUndefined();
  });
});
