import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeDicom, readDicomHeader } from '../../../src/core/dicom';
import { encodeFilmDicom, writeDicom, type FilmHeader } from '../../../src/core/phantoms';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-dw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header: FilmHeader = {
  patientId: 'PHANTOM-T-1',
  patientName: 'PHANTOM^TEST',
  birthDate: '19700101',
  sex: 'F',
  studyUid: '2.25.1',
  seriesUid: '2.25.2',
  sopUid: '2.25.3',
  studyDate: '20250101',
  accession: 'A1',
  rows: 3,
  columns: 5,
  spacingMm: 0.15,
  photometric: 'MONOCHROME2',
  window: { center: 2000, width: 4000 },
  instanceNumber: 1,
};
const pixels = Uint16Array.from({ length: 15 }, (_, i) => i * 273); // 0..3822, 12-bit

describe('DICOM writer', () => {
  it('writes a Part 10 DX file our decoder reads back exactly', async () => {
    const bytes = encodeFilmDicom(header, pixels);
    expect(String.fromCharCode(...bytes.subarray(128, 132))).toBe('DICM');
    const h = readDicomHeader(bytes, 'w.dcm');
    expect(h).toMatchObject({
      modality: 'DX',
      patientId: 'PHANTOM-T-1',
      studyUid: '2.25.1',
      sopUid: '2.25.3',
      laterality: 'B',
      view: 'PA',
      rows: 3,
      columns: 5,
      bitsStored: 12,
      photometric: 'MONOCHROME2',
      transferSyntax: '1.2.840.10008.1.2.1',
    });
    expect(h.studyDescription).toContain('PHANTOM');
    const img = await decodeDicom(bytes);
    expect(Array.from(img.values)).toEqual(Array.from(pixels));
    expect(img.pixelSpacing).toEqual({ row: 0.15, col: 0.15, source: 'ImagerPixelSpacing' });
    expect(img.windows[0]).toMatchObject({ center: 2000, width: 4000 });
    expect(img.invert).toBe(false);
  });

  it('MONOCHROME1 with INVERSE presentation LUT is inverted once, not twice', async () => {
    const img = await decodeDicom(encodeFilmDicom({ ...header, photometric: 'MONOCHROME1' }, pixels));
    expect(img.invert).toBe(true);
  });

  it('writes a bare implicit-VR dataset (no preamble, no file meta) that still decodes', async () => {
    const bytes = encodeFilmDicom(header, pixels, { part10: false });
    expect(String.fromCharCode(...bytes.subarray(128, 132))).not.toBe('DICM');
    const img = await decodeDicom(bytes);
    expect(Array.from(img.values)).toEqual(Array.from(pixels));
    expect(img.header.patientId).toBe('PHANTOM-T-1');
  });

  it('pads odd-length values and refuses duplicate tags', () => {
    const b = writeDicom(
      [
        { tag: 0x00080016, vr: 'UI', value: '1.2.3' },
        { tag: 0x00080018, vr: 'UI', value: '1.2.345' },
        { tag: 0x00100010, vr: 'PN', value: 'ABC' },
      ],
      { part10: false },
    );
    // 3 elements, each 8-byte header + value padded to even length: 6 + 8 + 4
    expect(b.length).toBe(8 * 3 + 6 + 8 + 4);
    expect(() =>
      writeDicom([
        { tag: 0x00100010, vr: 'PN', value: 'A' },
        { tag: 0x00100010, vr: 'PN', value: 'B' },
      ]),
    ).toThrow(/duplicate/);
  });

  const python = '/usr/bin/python3';
  const hasPydicom = spawnSync(python, ['-c', 'import pydicom'], { encoding: 'utf8' }).status === 0;
  if (!hasPydicom)
    console.warn('pydicom for /usr/bin/python3 not found: skipping the reference-decoder cross-check');
  it.skipIf(!hasPydicom)('pydicom (reference decoder) reads the same header and pixels', () => {
    const file = path.join(dir, 'x.dcm');
    writeFileSync(file, encodeFilmDicom({ ...header, photometric: 'MONOCHROME1' }, pixels));
    const r = spawnSync(
      python,
      [
        '-c',
        'import sys,json,pydicom; d=pydicom.dcmread(sys.argv[1]); print(json.dumps({"ts":str(d.file_meta.TransferSyntaxUID),"mod":d.Modality,"pi":d.PhotometricInterpretation,"sp":[float(x) for x in d.ImagerPixelSpacing],"px":d.pixel_array.flatten().tolist(),"lut":d.PresentationLUTShape}))',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as {
      ts: string;
      mod: string;
      pi: string;
      sp: number[];
      px: number[];
      lut: string;
    };
    expect(j).toEqual({
      ts: '1.2.840.10008.1.2.1',
      mod: 'DX',
      pi: 'MONOCHROME1',
      sp: [0.15, 0.15],
      px: Array.from(pixels),
      lut: 'INVERSE',
    });
  });
});
