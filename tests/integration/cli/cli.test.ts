import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from './in-process';

const repo = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(repo, 'bin', 'kneegrade.mjs');
let dir: string;
let db: string;

function kg(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, KNEEGRADE_DB: '' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const kgIn = runCliInProcess;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-cli-'));
  db = path.join(dir, 'study.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kneegrade CLI (my commands)', () => {
  it('--help works for every command', async () => {
    for (const c of ['import', 'studies', 'knees', 'render', 'phantoms', 'demo']) {
      const r = await kgIn(c, '--help');
      expect(r.code, c).toBe(0);
      expect(r.stdout).toContain(`Usage: kneegrade ${c}`);
    }
  });

  it('phantoms writes PHANTOM DICOMs and truth.csv, and says they are phantoms', async () => {
    const r = await kgIn(
      'phantoms',
      '--out',
      path.join(dir, 'ph'),
      '--count',
      '2',
      '--seed',
      '4',
      '--scale',
      '0.25',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PHANTOM data: synthetic/);
    expect(r.stdout).toMatch(/Wrote 2 PHANTOM films \(4 knees\)/);
    expect(existsSync(path.join(dir, 'ph', 'truth.csv'))).toBe(true);
    expect(
      readFileSync(path.join(dir, 'ph', 'truth.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(5);
    expect((await kgIn('phantoms', '--out', path.join(dir, 'ph'), '--count', 'x')).code).toBe(2);
  });

  it('import: exit 4 and the failed file listed; a second run is a no-op; --json for scripts', async () => {
    writeFileSync(path.join(dir, 'ph', 'broken.dcm'), 'not dicom at all'.repeat(20));
    const r = kg('--db', db, 'import', 'ph');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/3 file\(s\): 2 imported, 0 already in the database, 1 failed/);
    expect(r.stdout).toMatch(/broken\.dcm: NOT_DICOM: /);
    const again = await kgIn(
      '--db',
      db,
      '--json',
      'import',
      path.join(dir, 'ph', 'phantom-4-001.dcm'),
      path.join(dir, 'ph', 'phantom-4-002.dcm'),
    );
    expect(again.code).toBe(0);
    const j = JSON.parse(again.stdout) as { imported: number; duplicates: number; errors: unknown[] };
    expect(j).toMatchObject({ imported: 0, duplicates: 2, errors: [] });
  });

  it('studies and knees list what was imported, pseudonymised unless --identifiers', async () => {
    const studies = JSON.parse((await kgIn('--db', db, '--json', 'studies')).stdout) as {
      kneeCount: number;
      patientKey?: string;
    }[];
    expect(studies).toHaveLength(2);
    expect(studies.every((s) => s.kneeCount === 2 && s.patientKey === undefined)).toBe(true);
    const knees = JSON.parse((await kgIn('--db', db, '--json', 'knees')).stdout) as {
      side: string;
      patient: Record<string, unknown>;
    }[];
    expect(knees.map((k) => k.side)).toEqual(['R', 'L', 'R', 'L']);
    expect(knees[0]!.patient.key).toBeUndefined();
    const ident = JSON.parse(
      (await kgIn('--db', db, '--json', 'knees', '--study', '1', '--identifiers')).stdout,
    ) as { patient: { key: string } }[];
    expect(ident).toHaveLength(2);
    expect(ident[0]!.patient.key).toBe('PHANTOM-4-001');
    const text = await kgIn('--db', db, 'knees');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^knee\s+study\s+patient\s+side/);
    expect(text.stdout).not.toContain('PHANTOM-4-001');
    expect((await kgIn('--db', db, 'knees', '--study', 'abc')).code).toBe(1);
  });

  it('render writes a PNG of a knee crop; bad options are usage errors', async () => {
    const r = await kgIn(
      '--db',
      db,
      'render',
      '--knee',
      '1',
      '--out',
      path.join(dir, 'k1.png'),
      '--size',
      '128',
      '--window',
      '2000,3000',
    );
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const png = PNG.sync.read(readFileSync(path.join(dir, 'k1.png')));
    expect([png.width, png.height]).toEqual([128, 128]);
    expect(
      (await kgIn('--db', db, 'render', '--knee', '1', '--out', path.join(dir, 'x.png'), '--window', '12'))
        .code,
    ).toBe(2);
    expect((await kgIn('--db', db, 'render', '--knee', '999', '--out', path.join(dir, 'x.png'))).code).toBe(
      1,
    );
    expect((await kgIn('--db', db, 'render', '--out', path.join(dir, 'x.png'))).code).toBe(2);
  });

  it('demo builds a phantom study database with the true grades', async () => {
    const demoDb = path.join(dir, 'demo.db');
    const r = kg(
      '--db',
      demoDb,
      '--json',
      'demo',
      '--count',
      '2',
      '--seed',
      '9',
      '--scale',
      '0.25',
      '--out',
      'demo',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      phantom: boolean;
      steps: { phantoms: { truthLabels: number; knees: number } };
    };
    expect(j.phantom).toBe(true);
    expect(j.steps.phantoms).toMatchObject({ knees: 4, truthLabels: 4 });
    const d = new Database(demoDb, { readonly: true });
    const n = (
      d.prepare("SELECT COUNT(*) AS n FROM reference_labels WHERE source = 'phantom-truth'").get() as {
        n: number;
      }
    ).n;
    d.close();
    expect(n).toBe(4);
    const text = await kgIn(
      '--db',
      demoDb,
      'demo',
      '--count',
      '2',
      '--seed',
      '9',
      '--scale',
      '0.25',
      '--out',
      path.join(dir, 'demo'),
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/PHANTOM/);
    expect(text.stdout).toMatch(/Imported 0 PHANTOM films \(2 already in the database\)/);
  });

  it('a database newer than the code is refused with exit 3 and left unchanged', () => {
    const newer = path.join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma('user_version = 999');
    raw.close();
    const before = readFileSync(newer);
    const r = kg('--db', newer, 'studies');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/schema version 999/);
    expect(readFileSync(newer).equals(before)).toBe(true);
  });
});
