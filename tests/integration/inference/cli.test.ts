// The inference commands through the real CLI (bin/kneegrade.mjs under tsx), which also proves the
// worker bootstrap registers tsx in the worker thread.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertReferenceLabel } from '../../../src/core/db/repositories/referenceLabels';
import { buildKneeDb, type KneeDb } from './db-fixture';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
let k: KneeDb;
let dbFile: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin/kneegrade.mjs'), '--db', dbFile, ...args], {
      cwd: ROOT,
      env: { ...process.env, KNEEGRADE_DEFAULT_MODELS: path.join(ROOT, 'tests/fixtures/models') },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  k = await buildKneeDb(6);
  k.kneeIds.forEach((id, i) => upsertReferenceLabel(k.db, { kneeId: id, source: 'folder', klg: i % 5 }));
  dbFile = path.join(k.dir, 'study.db');
  k.db.close();
});
afterAll(() => rmSync(k.dir, { recursive: true, force: true }));

describe('kneegrade inference commands', () => {
  it('models list shows both approaches', async () => {
    const r = await cli('--json', 'models', 'list');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.models.map((m: { name: string }) => m.name).sort()).toEqual([
      'tiny-embed',
      'tiny-kl',
      'tiny-region',
    ]);
    expect(j.approaches.every((a: { status: string }) => a.status === 'installed')).toBe(true);
  });

  it('predict runs every knee once, then finds them all stored', async () => {
    const first = await cli('--json', 'predict');
    expect(first.code).toBe(0);
    // Both end-to-end fixtures (tiny-kl, tiny-region) grade all 12 knees.
    expect(JSON.parse(first.stdout)).toMatchObject({ computed: 24, cached: 0, failures: [] });
    const second = await cli('--json', 'predict');
    expect(JSON.parse(second.stdout)).toMatchObject({ computed: 0, cached: 24 });
  });

  it('predict and embed refuse a batch size that is not a positive integer, before any work', async () => {
    for (const cmd of ['predict', 'embed']) {
      const r = await cli(cmd, '--batch', 'abc');
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/--batch must be a positive integer/);
    }
  });

  it('refuses an unknown model with the installed names', async () => {
    const r = await cli('predict', '--model', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "no model named 'nope' is installed (installed: tiny-embed, tiny-kl, tiny-region)",
    );
  });

  it('embed, head train, head evaluate and predict with the head', async () => {
    expect((await cli('embed')).stdout).toContain('tiny-embed: 12 embedded');
    const t = await cli(
      '--json',
      'head',
      'train',
      '--embedding',
      'tiny-embed',
      '--labels',
      'reference:folder',
      '--folds',
      '3',
    );
    expect(t.code).toBe(0);
    const trained = JSON.parse(t.stdout);
    expect(trained.labelled).toBe(12);
    expect(existsSync(path.join(k.dir, 'models', 'mlp-tiny-embed', 'head.json'))).toBe(true);
    const card = JSON.parse(readFileSync(path.join(k.dir, 'models', 'mlp-tiny-embed', 'model.json'), 'utf8'));
    expect(card.approach).toBe('embedding-head');
    expect(card.training.labelledKneeIds).toHaveLength(12);
    const e = await cli('--json', 'head', 'evaluate', '--head', 'mlp-tiny-embed');
    expect(JSON.parse(e.stdout).n).toBe(12);
    // Labelled knees keep their cross-validated grades even when recomputation is forced.
    const p = await cli('--json', 'predict', '--model', 'mlp-tiny-embed', '--force');
    expect(JSON.parse(p.stdout)).toMatchObject({ computed: 0, cached: 12 });
  });

  it('explain writes a PNG overlay and caches the map', async () => {
    const png = path.join(k.dir, 'overlay.png');
    const a = await cli('--json', 'explain', '--knee', '1', '--model', 'tiny-kl', '--png', png);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).cached).toBe(false);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const b = await cli('--json', 'explain', '--knee', '1', '--model', 'tiny-kl');
    expect(JSON.parse(b.stdout).cached).toBe(true);
  });
});
