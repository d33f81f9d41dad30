// A small study database the service tests build themselves: `n` bilateral images (real PNG files
// with a known gradient, so pixel tests can check values), two knees each, reference labels, two
// readers, and optionally one model with stored predictions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import {
  ensurePatient,
  ensureStudy,
  insertImage,
  insertKnee,
  upsertReferenceLabel,
} from '../../../src/core/db/repositories';
import { createReader } from '../../../src/core/db/repositories/readers';
import { openServiceHost, type ServiceHost } from '../../../src/core/services/host';
import type { ServiceContext } from '../../../src/core/services/context';
import type { EventName } from '../../../src/shared/contract';

export interface Fixture {
  host: ServiceHost;
  ctx: ServiceContext;
  dir: string;
  kneeIds: number[];
  imageIds: number[];
  studyIds: number[];
  readerA: number;
  readerB: number;
  events: { event: EventName; payload: unknown }[];
  /** Reference grade by knee id. */
  reference: Map<number, number>;
  cleanup(): void;
}

export const W = 64;
export const H = 32;

/** Grey value of the test PNG at (x, y). */
export function pngValue(x: number, y: number): number {
  return (x * 3 + y * 2) % 256;
}

function writePng(file: string): void {
  const png = new PNG({ width: W, height: H, colorType: 0, inputColorType: 0, bitDepth: 8 });
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      const v = pngValue(x, y);
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 6 }));
}

export function buildFixture(nImages = 6): Fixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-svc-'));
  const events: Fixture['events'] = [];
  const host = openServiceHost({
    dbPath: path.join(dir, 'study.db'),
    modelRoots: { defaults: path.join(dir, 'models-default'), user: path.join(dir, 'models-user') },
    workDir: path.join(dir, 'work'),
    transport: 'bridge',
    version: 'test',
    onEvent: (event, payload) => events.push({ event, payload }),
  });
  const seeded = seedInto(host.ctx.db, dir, nImages);
  return {
    host,
    ctx: host.ctx,
    dir,
    ...seeded,
    events,
    cleanup: () => {
      host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Seeded = Pick<Fixture, 'kneeIds' | 'imageIds' | 'studyIds' | 'readerA' | 'readerB' | 'reference'>;

/** Fill a study database with `nImages` bilateral PNG images (files written to `dir`) and two readers. */
export function seedInto(db: ServiceContext['db'], dir: string, nImages: number): Seeded {
  const kneeIds: number[] = [];
  const imageIds: number[] = [];
  const studyIds: number[] = [];
  const reference = new Map<number, number>();
  for (let i = 0; i < nImages; i++) {
    const file = path.join(dir, `knee-${i}.png`);
    writePng(file);
    const patient = ensurePatient(db, { key: `PAT-${i}`, name: `Doe^${i}` });
    const study = ensureStudy(db, {
      patientId: patient.id,
      uid: `1.2.826.0.1.${i}`,
      date: `2024010${i % 9}`,
    });
    const image = insertImage(db, {
      studyId: study.id,
      path: file,
      sha256: String(i).padStart(64, '0'),
      pixelSha256: String(i).padStart(64, 'f'),
      rows: H,
      columns: W,
      sourceFormat: 'png',
    });
    studyIds.push(study.id);
    imageIds.push(image.id);
    for (const side of ['R', 'L'] as const) {
      const k = insertKnee(db, {
        imageId: image.id,
        side,
        crop: { x: side === 'R' ? 0 : 32, y: 0, w: 32, h: 32 },
        cropSource: 'auto',
      });
      kneeIds.push(k.id);
      const grade = (k.id * 7) % 5;
      upsertReferenceLabel(db, { kneeId: k.id, source: 'phantom-truth', klg: grade });
      reference.set(k.id, grade);
    }
  }
  const readerA = createReader(db, { name: 'Reader A' }).id;
  const readerB = createReader(db, { name: 'Reader B' }).id;
  return { kneeIds, imageIds, studyIds, readerA, readerB, reference };
}

/** Store a prediction as the inference module would (for blinding tests). */
export function storePrediction(
  ctx: ServiceContext,
  kneeId: number,
  klg: number,
  model = 'resnet18-kl',
): void {
  const db = ctx.db;
  let m = db.prepare('SELECT id FROM models WHERE name = ?').get(model) as { id: number } | undefined;
  if (!m) {
    const info = db
      .prepare(
        "INSERT INTO models (name, version, approach, sha256, card_json, registered_at) VALUES (?, '1.0.0', 'end-to-end', ?, '{}', ?)",
      )
      .run(model, model.padEnd(64, '0').slice(0, 64), new Date().toISOString());
    m = { id: Number(info.lastInsertRowid) };
  }
  const k = db
    .prepare(
      'SELECT k.crop_x, k.crop_y, k.crop_w, k.crop_h, i.pixel_sha256 FROM knees k JOIN images i ON i.id = k.image_id WHERE k.id = ?',
    )
    .get(kneeId) as { crop_x: number; crop_y: number; crop_w: number; crop_h: number; pixel_sha256: string };
  const probs = [0, 0, 0, 0, 0];
  probs[klg] = 1;
  db.prepare(
    `INSERT INTO predictions (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h, probs, klg, provider, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'cpu', ?)`,
  ).run(
    m.id,
    kneeId,
    k.pixel_sha256,
    k.crop_x,
    k.crop_y,
    k.crop_w,
    k.crop_h,
    JSON.stringify(probs),
    klg,
    new Date().toISOString(),
  );
}
