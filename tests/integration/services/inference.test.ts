// inference:* and models:list through the services, on the committed tiny test models
// (tests/fixtures/models, random weights: the numbers mean nothing, the plumbing does).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from '../../../src/core/image/load';
import { dispatch } from '../../../src/core/services';
import { openServiceHost, type ServiceHost } from '../../../src/core/services/host';
import type { EventName, InferenceProgress } from '../../../src/shared/contract';
import { seedInto, type Seeded } from '../../unit/services/fixture';

const root = path.resolve(__dirname, '..', '..', '..');
let dir: string;
let host: ServiceHost;
let s: Seeded;
const events: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-inf-svc-'));
  host = openServiceHost({
    dbPath: path.join(dir, 'study.db'),
    modelRoots: {
      defaults: path.join(root, 'tests', 'fixtures', 'models'),
      user: path.join(dir, 'user-models'),
    },
    workDir: path.join(dir, 'work'),
    transport: 'bridge',
    version: 'test',
    onEvent: (event, payload) => events.push({ event, payload }),
  });
  s = seedInto(host.ctx.db, dir, 2);
  // The seed stores placeholder pixel hashes; inference checks them against the decoded pixels.
  for (const id of s.imageIds) {
    const p = (host.ctx.db.prepare('SELECT path FROM images WHERE id = ?').get(id) as { path: string }).path;
    host.ctx.db
      .prepare('UPDATE images SET pixel_sha256 = ? WHERE id = ?')
      .run((await loadImage(p)).pixelSha256, id);
  }
});

afterAll(() => {
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('models:list', () => {
  it('lists the installed models with their status', async () => {
    const models = await dispatch('models:list', {}, host.ctx);
    const kl = models.find((m) => m.name === 'tiny-kl');
    expect(kl).toMatchObject({ status: 'ready', approach: 'end-to-end', inputSize: 32, predictedKnees: 0 });
  });
});

describe('inference:run', () => {
  it('grades every knee, reports progress, and caches the second time', async () => {
    const r = await dispatch('inference:run', { jobId: 'run-1', models: ['tiny-kl'] }, host.ctx);
    expect(r).toMatchObject({ jobId: 'run-1', computed: 4, cached: 0, cancelled: false, failures: [] });
    const progress = events
      .filter((e) => e.event === 'inference:progress')
      .map((e) => e.payload as InferenceProgress);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ jobId: 'run-1', done: 4, total: 4, model: 'tiny-kl' });
    const again = await dispatch('inference:run', { models: ['tiny-kl'] }, host.ctx);
    expect(again).toMatchObject({ computed: 0, cached: 4 });
    const d = await dispatch('knees:get', { kneeId: s.kneeIds[0]! }, host.ctx);
    expect(d.predictions).toHaveLength(1);
    expect(d.predictions[0]!.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(
      (await dispatch('models:list', {}, host.ctx)).find((m) => m.name === 'tiny-kl')!.predictedKnees,
    ).toBe(4);
  });

  it('names an unknown model', async () => {
    await expect(dispatch('inference:run', { models: ['nope'] }, host.ctx)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining("'nope'"),
    });
  });

  it('stops when its job is cancelled', async () => {
    const running = dispatch('inference:run', { jobId: 'run-2', models: ['tiny-kl'], force: true }, host.ctx);
    expect(await dispatch('jobs:cancel', { jobId: 'run-2' }, host.ctx)).toEqual({ cancelled: true });
    const r = await running;
    expect(r.cancelled).toBe(true);
    expect(await dispatch('jobs:cancel', { jobId: 'run-2' }, host.ctx)).toEqual({ cancelled: false });
  });
});

describe('inference:explain', () => {
  it('returns a normalised occlusion grid over the current crop', async () => {
    const e = await dispatch(
      'inference:explain',
      { kneeId: s.kneeIds[1]!, model: 'tiny-kl', gridSize: 4 },
      host.ctx,
    );
    expect(e).toMatchObject({ kneeId: s.kneeIds[1], model: 'tiny-kl', gridRows: 4, gridCols: 4 });
    expect(e.map).toHaveLength(16);
    for (const v of e.map) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('is refused in a blinded session', async () => {
    const reader = s.readerA;
    const sess = await dispatch('sessions:create', { readerId: reader, name: 'b' }, host.ctx);
    await expect(
      dispatch(
        'inference:explain',
        { kneeId: s.kneeIds[0]!, model: 'tiny-kl', sessionId: sess.id },
        host.ctx,
      ),
    ).rejects.toMatchObject({
      code: 'BLINDED',
    });
  });
});
