import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainKnee, toGrid } from '../../../src/core/inference/explain';
import { InferenceHost } from '../../../src/core/inference/host';
import { overlayPng } from '../../../src/core/inference/overlay';
import { CancelledError } from '../../../src/core/inference/protocol';
import { verifyModelDir, type InstalledModel } from '../../../src/core/inference/registry';
import { buildKneeDb, type KneeDb } from './db-fixture';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
let host: InferenceHost;
let region: InstalledModel;
let k: KneeDb;
let cacheDir: string;

beforeAll(async () => {
  host = new InferenceHost({ threads: 1 });
  region = await verifyModelDir(path.join(FIXTURES, 'tiny-region'));
  k = await buildKneeDb(1);
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'kg-occ-'));
});
afterAll(async () => {
  await host.close();
  k.db.close();
  rmSync(k.dir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('occlusion sensitivity', () => {
  it('lights up exactly where the model looks (top-left 8x8 of the input) and nowhere else', async () => {
    const m = await explainKnee({ db: k.db, host, model: region, kneeId: k.kneeIds[0]!, cacheDir });
    expect(m.size).toBe(32);
    expect(m.patch).toBe(4);
    expect(m.stride).toBe(2);
    expect(m.map).toHaveLength(32 * 32);
    // Patches starting at <= 7 reach pixel 10 at most: beyond that the map must be exactly zero.
    let inside = 0;
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const v = m.map[y * 32 + x]!;
        if (x >= 11 || y >= 11) expect(v).toBe(0);
        else inside += v;
      }
    expect(inside).toBeGreaterThan(0);
    const grid = toGrid(m, 8);
    expect(grid.values[0]).toBe(1); // top-left cell carries the largest drop
    expect(Math.min(...grid.values)).toBe(0);
    const png = overlayPng(m);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('serves the second request from the cache', async () => {
    const m = await explainKnee({ db: k.db, host, model: region, kneeId: k.kneeIds[0]!, cacheDir });
    expect(m.cached).toBe(true);
  });

  it('can be cancelled while the worker slides the patch', async () => {
    const ctrl = new AbortController();
    const p = explainKnee({
      db: k.db,
      host,
      model: region,
      kneeId: k.kneeIds[1]!,
      // 1-pixel patches: 1024 positions in 64 batches, so the sweep cannot finish before the abort
      // reaches the worker even on a loaded CI machine.
      patchFraction: 1 / 32,
      strideFraction: 1,
      signal: ctrl.signal,
      onProgress: () => ctrl.abort(),
    });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });
});
