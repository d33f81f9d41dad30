// import:run and import:samplePhantoms through the services.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/services';
import { openServiceHost, type ServiceHost } from '../../../src/core/services/host';
import type { EventName, ImportProgress } from '../../../src/shared/contract';

let dir: string;
let host: ServiceHost;
const events: { event: EventName; payload: unknown }[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-imp-svc-'));
  host = openServiceHost({
    dbPath: path.join(dir, 'study.db'),
    modelRoots: { defaults: path.join(dir, 'm1'), user: path.join(dir, 'm2') },
    workDir: path.join(dir, 'work'),
    transport: 'bridge',
    version: 'test',
    onEvent: (event, payload) => events.push({ event, payload }),
  });
});

afterAll(() => {
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('import:samplePhantoms', () => {
  it('writes and imports bilateral phantom films with their true grades as reference labels', async () => {
    const r = await dispatch('import:samplePhantoms', { jobId: 'ph', count: 2, seed: 3 }, host.ctx);
    expect(r).toMatchObject({ jobId: 'ph', imported: 2, knees: 4, labels: 4, errors: [], cancelled: false });
    const list = await dispatch('knees:list', {}, host.ctx);
    expect(list.total).toBe(4);
    expect(list.items.every((k) => k.referenceKlg !== null && k.sourceFormat === 'dicom')).toBe(true);
    const progress = events
      .filter((e) => e.event === 'import:progress')
      .map((e) => e.payload as ImportProgress);
    expect(progress.at(-1)).toMatchObject({ jobId: 'ph', done: 2, total: 2 });
    // Importing them again changes nothing.
    const again = await dispatch('import:samplePhantoms', { count: 2, seed: 3 }, host.ctx);
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
    expect((await dispatch('knees:list', {}, host.ctx)).total).toBe(4);
    // A DICOM film's pixels reach the viewer with windows and spacing.
    const px = await dispatch('images:pixels', { imageId: list.items[0]!.imageId }, host.ctx);
    expect(px.sourceFormat).toBe('dicom');
    expect(px.pixelSpacing).not.toBeNull();
    expect(px.data.byteLength).toBe(px.rows * px.columns * 2);
  });
});

describe('import:run', () => {
  it('imports good files and lists bad ones with the reason', async () => {
    const bad = path.join(dir, 'broken.dcm');
    writeFileSync(bad, Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([1, 2, 3])]));
    const r = await dispatch('import:run', { paths: [bad] }, host.ctx);
    expect(r.imported).toBe(0);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.path).toBe(bad);
    expect(r.errors[0]!.reason.length).toBeGreaterThan(5);
  });
});
