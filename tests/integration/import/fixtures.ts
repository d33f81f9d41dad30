// Import fixtures made by the tests themselves: phantom films, a DICOM without file meta, a small
// `<grade>/<file>` dataset of joint crops with OAI-style names, and broken files.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import {
  encodeFilmDicom,
  generatePhantoms,
  type FilmHeader,
  type PhantomFilm,
} from '../../../src/core/phantoms';

export interface ImportFixtures {
  root: string;
  films: PhantomFilm[];
  noMetaFile: string;
  crops: { file: string; grade: number; subject: string; side: 'L' | 'R' }[];
  bad: Record<'truncatedDicom' | 'garbageDcm' | 'empty' | 'noExtText' | 'truncatedPng', string>;
  notImage: string;
}

/** The DICOM-without-file-meta fixture's header and pixels (also used to re-send it as Part 10). */
export const NO_META_HEADER: FilmHeader = {
  patientId: 'NOMETA-1',
  patientName: 'PHANTOM^NOMETA',
  birthDate: '19600101',
  sex: 'M',
  studyUid: '2.25.99',
  seriesUid: '2.25.98',
  sopUid: '2.25.97',
  studyDate: '20240131',
  accession: 'NM1',
  rows: 6,
  columns: 8,
  spacingMm: 0.2,
  photometric: 'MONOCHROME2',
  window: { center: 100, width: 200 },
  instanceNumber: 1,
};
export const NO_META_PIXELS = Uint16Array.from({ length: 48 }, (_, i) => i * 5);

/** A 64x64 grey joint-crop-like image whose brightness encodes an id, so every crop's bytes differ. */
async function cropPng(id: number, format: 'png' | 'webp'): Promise<Buffer> {
  const px = Buffer.alloc(64 * 64);
  for (let i = 0; i < px.length; i++) px[i] = (id * 37 + (i % 64) + Math.floor(i / 64)) % 256;
  const s = sharp(px, { raw: { width: 64, height: 64, channels: 1 } });
  return format === 'png' ? s.png().toBuffer() : s.webp({ lossless: true }).toBuffer();
}

export async function makeImportFixtures(root: string): Promise<ImportFixtures> {
  const filmDir = path.join(root, 'films');
  const films = await generatePhantoms({ outDir: filmDir, count: 2, seed: 21, scale: 0.25 });

  const noMetaFile = path.join(root, 'films', 'nometa', 'IMG0001');
  mkdirSync(path.dirname(noMetaFile), { recursive: true });
  writeFileSync(noMetaFile, encodeFilmDicom(NO_META_HEADER, NO_META_PIXELS, { part10: false }));

  const crops: ImportFixtures['crops'] = [];
  const subjects = ['9000001', '9000002', '9000003'];
  let id = 0;
  for (const subject of subjects) {
    for (const side of ['L', 'R'] as const) {
      const grade = id % 5;
      const dir = path.join(root, 'dataset', String(grade));
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${subject}${side}.${id % 2 === 0 ? 'png' : 'webp'}`);
      writeFileSync(file, await cropPng(id, id % 2 === 0 ? 'png' : 'webp'));
      crops.push({ file, grade, subject, side });
      id++;
    }
  }

  const badDir = path.join(root, 'bad');
  mkdirSync(badDir, { recursive: true });
  const film0 = await import('node:fs').then((fs) => fs.readFileSync(films[0]!.file));
  const bad = {
    truncatedDicom: path.join(badDir, 'truncated.dcm'),
    garbageDcm: path.join(badDir, 'garbage.dcm'),
    empty: path.join(badDir, 'empty.png'),
    noExtText: path.join(badDir, 'NOTES'),
    truncatedPng: path.join(badDir, 'cut.png'),
  };
  writeFileSync(bad.truncatedDicom, film0.subarray(0, Math.floor(film0.length / 2)));
  writeFileSync(
    bad.garbageDcm,
    Buffer.from('this is not a DICOM file, just text pretending to be one'.repeat(8)),
  );
  writeFileSync(bad.empty, Buffer.alloc(0));
  writeFileSync(bad.noExtText, 'notes without an extension\n'.repeat(20));
  writeFileSync(bad.truncatedPng, (await cropPng(99, 'png')).subarray(0, 60));
  const notImage = path.join(badDir, 'notes.txt');
  writeFileSync(notImage, 'passed over: a .txt file is never an image');
  return { root, films, noMetaFile, crops, bad, notImage };
}
