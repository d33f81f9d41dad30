// The HTTP bridge driven by the very client the renderer uses (src/shared/bridge-client.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../../src/bridge/server';
import type { KneeGradeApi } from '../../../src/shared/api';
import { createBridgeClient } from '../../../src/shared/bridge-client';
import { ApiError, pixelsAsUint16 } from '../../../src/shared/contract';
import { pngValue, seedInto, W, type Seeded } from '../../unit/services/fixture';

let dir: string;
let bridge: Bridge;
let api: KneeGradeApi;
let seeded: Seeded;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-bridge-'));
  const renderer = path.join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>KneeGrade</title>');
  writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  bridge = await startBridge({
    dbPath: path.join(dir, 'study.db'),
    modelRoots: { defaults: path.join(dir, 'm1'), user: path.join(dir, 'm2') },
    workDir: path.join(dir, 'work'),
    version: 'test',
    rendererDir: renderer,
    dialogs: { openPaths: (i) => (i.purpose === 'import' ? ['/data/a', '/data/b'] : null) },
  });
  seeded = seedInto(bridge.host.ctx.db, dir, 2);
  api = createBridgeClient({ baseUrl: bridge.url, token: bridge.token });
});

afterAll(async () => {
  await bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request, to send what a browser client never would. */
function raw(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('bridge', () => {
  it('listens on loopback only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the contract through the client: create, list, grade, read back', async () => {
    const r = await api.readers.create({ name: 'Dr Bridge' });
    expect((await api.readers.list()).map((x) => x.name)).toContain('Dr Bridge');
    const list = await api.knees.list({});
    expect(list.total).toBe(4);
    const k = list.items[0]!.id;
    await api.grades.submit({ kneeId: k, readerId: r.id, klg: 4, timeSpentMs: 10 });
    const d = await api.knees.get({ kneeId: k });
    expect(d.grades.find((g) => g.readerId === r.id)?.event.klg).toBe(4);
    const info = await api.app.info();
    expect(info).toMatchObject({ transport: 'bridge', schemaVersion: 1 });
  });

  it('carries pixels as bytes and keeps their values', async () => {
    const px = await api.images.pixels({ imageId: seeded.imageIds[0]! });
    expect(px.data).toBeInstanceOf(Uint8Array);
    const u = pixelsAsUint16(px);
    expect(u[3 * W + 5]! * px.scale + px.offset).toBe(pngValue(5, 3));
  });

  it('rejects bad input with INVALID_INPUT naming the field', async () => {
    const err = await api.grades.submit({ kneeId: 1, readerId: 1, klg: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    expect((err as ApiError).issues?.[0]?.path).toBe('klg');
  });

  it('refuses calls without the token, with a foreign Host or Origin, and unknown channels', async () => {
    const noToken = await raw({
      method: 'POST',
      path: '/api/readers:list',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(noToken.status).toBe(403);
    const wrongHost = await raw({
      method: 'POST',
      path: '/api/readers:list',
      headers: { host: 'evil.example', 'x-kneegrade-token': bridge.token },
    });
    expect(wrongHost.status).toBe(421);
    const xsite = await raw({
      method: 'POST',
      path: '/api/readers:list',
      headers: { origin: 'http://evil.example', 'x-kneegrade-token': bridge.token },
    });
    expect(xsite.status).toBe(403);
    const unknown = await raw({
      method: 'POST',
      path: '/api/db:drop',
      headers: { 'x-kneegrade-token': bridge.token },
    });
    expect(unknown.status).toBe(404);
    const events = await raw({ path: '/api/events?after=-1&token=nope' });
    expect(events.status).toBe(401);
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const page = await raw({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('KneeGrade');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await raw({ path: p });
      expect(r.body).not.toContain('do not serve');
    }
  });

  it('delivers core events to subscribers by long-poll', async () => {
    const got = new Promise<unknown>((resolve) => {
      const off = api.on('data:changed', (p) => {
        if (p.what === 'readers') {
          off();
          resolve(p);
        }
      });
    });
    // The first poll only learns the current sequence number; an event raised before it returns is
    // not replayed. Rather than guess how long that takes on a loaded machine, raise events until
    // one arrives (a broken event path still fails: nothing arrives within the 20 tries).
    let arrived: unknown;
    void got.then((p) => (arrived = p));
    for (let i = 0; i < 20 && arrived === undefined; i++) {
      await api.readers.create({ name: `Dr Event ${i}` });
      await Promise.race([got, new Promise((r) => setTimeout(r, 250))]);
    }
    expect(arrived).toEqual({ what: 'readers' });
  });

  it('answers dialogs with the harness answers', async () => {
    expect(await api.dialogs.openPaths({ purpose: 'import' })).toEqual({
      canceled: false,
      paths: ['/data/a', '/data/b'],
    });
    expect(await api.dialogs.openPaths({ purpose: 'labels' })).toEqual({ canceled: true, paths: [] });
    const save = await api.dialogs.savePath({ purpose: 'csv', defaultName: '../../x.csv' });
    expect(save.path).toBe(path.join(bridge.host.ctx.workDir, 'exports', 'x.csv'));
  });
});
