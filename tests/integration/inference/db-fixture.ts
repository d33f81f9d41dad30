// A study database with knees on generated PNG films, built through the repositories and the app's
// image loader (so pixel hashes are the ones import would store).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { openDatabase, type Db } from '../../../src/core/db/connection';
import { ensurePatient, ensureStudy, insertImage, insertKnee } from '../../../src/core/db/repositories';
import { loadImage } from '../../../src/core/image/load';

export interface KneeDb {
  db: Db;
  dir: string;
  studyIds: number[];
  kneeIds: number[];
  imagePaths: string[];
}

/** A synthetic bilateral film: two bright "knees" on a dark background, seeded noise. */
function film(width: number, height: number, seed: number): Buffer {
  const px = Buffer.alloc(width * height);
  let s = seed >>> 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const kneeL = Math.exp(-(((x - width * 0.25) / 30) ** 2 + ((y - height / 2) / 45) ** 2));
      const kneeR = Math.exp(-(((x - width * 0.75) / 30) ** 2 + ((y - height / 2) / 45) ** 2));
      px[y * width + x] = Math.min(255, Math.round(30 + 180 * Math.max(kneeL, kneeR) + (s >>> 28)));
    }
  return px;
}

export async function buildKneeDb(
  films: number,
  opts: { appliedSteps?: string[]; spacingMm?: number } = {},
): Promise<KneeDb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-inf-'));
  const db = openDatabase({ file: path.join(dir, 'study.db') });
  const out: KneeDb = { db, dir, studyIds: [], kneeIds: [], imagePaths: [] };
  for (let i = 0; i < films; i++) {
    const w = 240 + 8 * i;
    const h = 160;
    const file = path.join(dir, `film-${i}.png`);
    await sharp(film(w, h, i + 1), { raw: { width: w, height: h, channels: 1 } })
      .png()
      .toFile(file);
    const loaded = await loadImage(file);
    const patient = ensurePatient(db, { key: `P${i}`, name: `Test^${i}` });
    const study = ensureStudy(db, {
      patientId: patient.id,
      uid: `1.2.826.0.1.${i}`,
      date: '20240101',
      description: 'Knees PA',
    });
    const image = insertImage(db, {
      studyId: study.id,
      path: file,
      sha256: loaded.pixelSha256,
      pixelSha256: loaded.pixelSha256,
      rows: h,
      columns: w,
      sourceFormat: 'png',
      ...(opts.appliedSteps ? { appliedSteps: opts.appliedSteps } : {}),
      ...(opts.spacingMm
        ? { pixelSpacing: { row: opts.spacingMm, col: opts.spacingMm, source: 'PixelSpacing' as const } }
        : {}),
    });
    // The patient's right knee is on the viewer's left of a PA film.
    const r = insertKnee(db, {
      imageId: image.id,
      side: 'R',
      crop: { x: w * 0.25 - 60, y: 20, w: 120, h: 120 },
      cropSource: 'auto',
    });
    const l = insertKnee(db, {
      imageId: image.id,
      side: 'L',
      crop: { x: w * 0.75 - 60, y: 20, w: 120, h: 120 },
      cropSource: 'auto',
    });
    out.studyIds.push(study.id);
    out.kneeIds.push(r.id, l.id);
    out.imagePaths.push(file);
  }
  return out;
}
