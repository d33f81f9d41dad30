import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCropEdit, listKnees } from '../../../src/core/db/repositories';
import { mirrorTensor } from '../../../src/core/preprocess/crop';
import { prepareInput } from '../../../src/core/preprocess/pipeline';
import { softmax } from '../../../src/core/inference/softmax';
import type { EndToEndCard } from '../../../src/core/inference/card';
import { InferenceHost } from '../../../src/core/inference/host';
import { verifyModelDir, type InstalledModel } from '../../../src/core/inference/registry';
import { defaultPixelLoader, runModelOnKnees } from '../../../src/core/inference/run-batch';
import { buildKneeDb, type KneeDb } from './db-fixture';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
let host: InferenceHost;
let kl: InstalledModel;
let emb: InstalledModel;

beforeAll(async () => {
  host = new InferenceHost({ threads: 1 });
  kl = await verifyModelDir(path.join(FIXTURES, 'tiny-kl'));
  emb = await verifyModelDir(path.join(FIXTURES, 'tiny-embed'));
});
afterAll(async () => host.close());

function count(k: KneeDb, table: string): number {
  return (k.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('batched predictions over the database', () => {
  let k: KneeDb;
  beforeAll(async () => (k = await buildKneeDb(3)));
  afterAll(() => {
    k.db.close();
    rmSync(k.dir, { recursive: true, force: true });
  });

  it('predicts every knee, stores probabilities, provider, pixel hash and crop', async () => {
    const events: number[] = [];
    const s = await runModelOnKnees({
      db: k.db,
      host,
      model: kl,
      batchSize: 4,
      onProgress: (p) => events.push(p.done),
    });
    expect(s).toMatchObject({
      total: 6,
      computed: 6,
      cached: 0,
      failures: [],
      cancelled: false,
      provider: 'cpu',
    });
    expect(events[events.length - 1]).toBe(6);
    const rows = k.db.prepare('SELECT * FROM predictions ORDER BY knee_id').all() as {
      probs: string;
      klg: number;
      provider: string;
      pixel_sha256: string;
      crop_w: number;
    }[];
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const probs = JSON.parse(r.probs) as number[];
      expect(probs).toHaveLength(5);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(r.klg).toBe(probs.indexOf(Math.max(...probs)));
      expect(r.provider).toBe('cpu');
      expect(r.pixel_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.crop_w).toBe(120);
    }
    // Different knees give different inputs, hence different outputs.
    expect(new Set(rows.map((r) => r.probs)).size).toBeGreaterThan(1);
    const m = k.db.prepare('SELECT sha256, approach FROM models').all() as {
      sha256: string;
      approach: string;
    }[];
    expect(m).toEqual([{ sha256: kl.card.sha256, approach: 'end-to-end' }]);
  });

  it('stores the average of the image and its mirror (the card asks for hflip TTA)', async () => {
    const kneeId = k.kneeIds[1]!;
    const knee = listKnees(k.db, { kneeIds: [kneeId] })[0]!;
    const px = await defaultPixelLoader(knee.image.path);
    const input = prepareInput(
      {
        image: { width: px.width, height: px.height, pixels: px.display8 },
        crop: knee.crop,
        side: knee.side,
        appliedSteps: [],
      },
      (kl.card as EndToEndCard).input,
    );
    const ref = { file: kl.file, sha256: kl.card.sha256, inputName: 'input', outputName: 'logits' };
    const a = softmax(Array.from((await host.run(ref, input.tensor.slice(), [1, 3, 32, 32])).data));
    const b = softmax(
      Array.from((await host.run(ref, mirrorTensor(input.tensor, 3, 32), [1, 3, 32, 32])).data),
    );
    const stored = JSON.parse(
      (k.db.prepare('SELECT probs FROM predictions WHERE knee_id = ?').get(kneeId) as { probs: string })
        .probs,
    ) as number[];
    stored.forEach((p, i) => expect(p).toBeCloseTo((a[i]! + b[i]!) / 2, 6));
    expect(a).not.toEqual(b);
  });

  it('computes nothing the second time, and only the knee whose crop was moved', async () => {
    let loads = 0;
    const loadPixels = async (p: string) => (loads++, defaultPixelLoader(p));
    const again = await runModelOnKnees({ db: k.db, host, model: kl, loadPixels });
    expect(again).toMatchObject({ computed: 0, cached: 6, failures: [] });
    expect(loads).toBe(0);
    appendCropEdit(k.db, { kneeId: k.kneeIds[2]!, crop: { x: 10, y: 10, w: 100, h: 100 } });
    const moved = await runModelOnKnees({ db: k.db, host, model: kl, loadPixels });
    expect(moved).toMatchObject({ computed: 1, cached: 5 });
    expect(count(k, 'predictions')).toBe(7);
    const forced = await runModelOnKnees({
      db: k.db,
      host,
      model: kl,
      force: true,
      kneeIds: [k.kneeIds[0]!],
    });
    expect(forced).toMatchObject({ computed: 1, cached: 0, total: 1 });
    expect(count(k, 'predictions')).toBe(7);
  });

  it('stores embeddings from an embedding model', async () => {
    const s = await runModelOnKnees({ db: k.db, host, model: emb, studyId: k.studyIds[0]! });
    expect(s).toMatchObject({ approach: 'embedding', total: 2, computed: 2 });
    const rows = k.db.prepare('SELECT dim, length(vector) AS bytes FROM embeddings').all();
    expect(rows).toEqual([
      { dim: 16, bytes: 64 },
      { dim: 16, bytes: 64 },
    ]);
  });
});

describe('failures and cancellation', () => {
  it('reports a knee whose file is unreadable and goes on with the others', async () => {
    const k = await buildKneeDb(3);
    rmSync(k.imagePaths[1]!);
    const s = await runModelOnKnees({ db: k.db, host, model: kl });
    expect(s.computed).toBe(4);
    expect(s.failures).toHaveLength(2);
    expect(s.failures[0]!.reason).toContain('film-1.png');
    expect(count(k, 'predictions')).toBe(4);
    k.db.close();
    rmSync(k.dir, { recursive: true, force: true });
  });

  it('stops between batches when cancelled and keeps what was stored', async () => {
    const k = await buildKneeDb(4);
    const ctrl = new AbortController();
    const s = await runModelOnKnees({
      db: k.db,
      host,
      model: kl,
      batchSize: 2, // TTA doubles each knee: one knee per run
      signal: ctrl.signal,
      onProgress: (p) => {
        if (p.done >= 2) ctrl.abort();
      },
    });
    expect(s.cancelled).toBe(true);
    expect(s.computed).toBeGreaterThanOrEqual(2);
    expect(s.computed).toBeLessThan(8);
    expect(count(k, 'predictions')).toBe(s.computed);
    const rest = await runModelOnKnees({ db: k.db, host, model: kl });
    expect(rest).toMatchObject({ cached: s.computed, computed: 8 - s.computed, cancelled: false });
    k.db.close();
    rmSync(k.dir, { recursive: true, force: true });
  });

  it('runs a graph whose batch is fixed at 1 one image at a time, with the same grades', async () => {
    const k = await buildKneeDb(2);
    const b1 = await verifyModelDir(path.join(FIXTURES, 'fixed-batch', 'tiny-kl-b1'));
    expect(b1.maxBatch).toBe(1);
    const s = await runModelOnKnees({ db: k.db, host, model: b1, batchSize: 16 });
    expect(s).toMatchObject({ computed: 4, failures: [] });
    await runModelOnKnees({ db: k.db, host, model: kl });
    const rows = k.db
      .prepare(
        'SELECT m.name, p.knee_id, p.probs FROM predictions p JOIN models m ON m.id = p.model_id ORDER BY p.knee_id, m.name',
      )
      .all() as { name: string; knee_id: number; probs: string }[];
    for (let i = 0; i < rows.length; i += 2) {
      const [a, b] = [JSON.parse(rows[i]!.probs) as number[], JSON.parse(rows[i + 1]!.probs) as number[]];
      a.forEach((v, j) => expect(v).toBeCloseTo(b[j]!, 5));
    }
    k.db.close();
    rmSync(k.dir, { recursive: true, force: true });
  });

  it("crops to the card's physical size when the pixel spacing is known, and stores that crop", async () => {
    // 1 mm pixels: the fixture's 120 px crops are 120 mm; the card asks for 140 mm around the same centre.
    const k = await buildKneeDb(1, { spacingMm: 1 });
    const s = await runModelOnKnees({ db: k.db, host, model: kl });
    expect(s).toMatchObject({ computed: 2, failures: [] });
    const rows = k.db
      .prepare('SELECT knee_id, crop_x, crop_y, crop_w, crop_h FROM predictions ORDER BY knee_id')
      .all() as {
      crop_x: number;
      crop_y: number;
      crop_w: number;
      crop_h: number;
    }[];
    const knee = listKnees(k.db, { kneeIds: [k.kneeIds[0]!] })[0]!;
    expect(rows[0]).toEqual({
      knee_id: k.kneeIds[0],
      crop_x: knee.crop.x - 10,
      crop_y: knee.crop.y - 10,
      crop_w: 140,
      crop_h: 140,
    });
    expect(await runModelOnKnees({ db: k.db, host, model: kl })).toMatchObject({ computed: 0, cached: 2 });
    k.db.close();
    rmSync(k.dir, { recursive: true, force: true });
  });

  it('a CUDA request never crashes: it runs on CUDA or falls back to CPU and says why', async () => {
    const h = new InferenceHost({ threads: 1, provider: 'cuda' });
    const ref = { file: kl.file, sha256: kl.card.sha256, inputName: 'input', outputName: 'logits' };
    const r = await h.run(ref, new Float32Array(3 * 32 * 32), [1, 3, 32, 32]);
    expect(r.dims).toEqual([1, 5]);
    if (r.provider === 'cpu') expect(r.fallbackReason).toMatch(/CUDA/);
    await h.close();
  });

  it('restarts a worker that died and fails only the requests in flight', async () => {
    const h = new InferenceHost({ threads: 1 });
    const ref = { file: kl.file, sha256: kl.card.sha256, inputName: 'input', outputName: 'logits' };
    await h.run(ref, new Float32Array(3 * 32 * 32), [1, 3, 32, 32]);
    // The crash must land while the request is certainly in flight: a single run on this tiny model
    // can finish before terminate() does (it did in CI), so kill the worker from the first progress
    // report of a long occlusion sweep (961 one-image runs, one report each).
    let crashed: Promise<void> | undefined;
    const inFlight = h.occlusion(
      ref,
      { data: new Float32Array(3 * 32 * 32), channels: 3, size: 32 },
      {
        patch: 2,
        stride: 1,
        fill: [0, 0, 0],
        batch: 1,
        onProgress: () => void (crashed ??= h.crashWorkerForTest()),
      },
    );
    await expect(inFlight).rejects.toThrow(/inference worker exited/);
    await crashed;
    const after = await h.run(ref, new Float32Array(3 * 32 * 32), [1, 3, 32, 32]);
    expect(after.dims).toEqual([1, 5]);
    expect(h.starts).toBe(2);
    await h.close();
  });
});
