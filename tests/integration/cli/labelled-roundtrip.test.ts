// The labelled CSV is re-importable through the CLI: export from one database, import the same films
// into a fresh database with `import --labels export.csv`, and every reader grade comes back.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from './in-process';

let dir: string;

const kg = runCliInProcess;

function grades(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (
      db
        .prepare(
          `SELECT i.sha256 || ':' || k.side || ':' || r.name || ':' || g.klg AS g
           FROM grade_events g JOIN knees k ON k.id = g.knee_id JOIN images i ON i.id = k.image_id
           JOIN readers r ON r.id = g.reader_id
           WHERE g.kind = 'grade' AND g.id NOT IN (SELECT retracts FROM grade_events WHERE retracts IS NOT NULL)
             AND g.id = (SELECT MAX(g2.id) FROM grade_events g2 WHERE g2.knee_id = g.knee_id AND g2.reader_id = g.reader_id
                         AND g2.kind = 'grade')
           ORDER BY 1`,
        )
        .all() as { g: string }[]
    ).map((r) => r.g);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-roundtrip-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kneegrade export -> kneegrade import --labels', () => {
  it('reproduces every reader grade in a fresh database', async () => {
    const films = path.join(dir, 'films');
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    const csv = path.join(dir, 'labelled.csv');
    expect(
      (await kg('phantoms', '--out', films, '--count', '2', '--scale', '0.25', '--seed', '7')).code,
    ).toBe(0);
    expect((await kg('--db', a, 'import', films)).code).toBe(0);
    expect((await kg('--db', a, 'readers', 'add', 'Dr A')).code).toBe(0);
    // knee ids 1..4: grade them, correct one, retract another
    const entries: [string, string][] = [
      ['1', '2'],
      ['2', '0'],
      ['3', '4'],
      ['1', '3'],
    ];
    for (const [knee, klg] of entries)
      expect((await kg('--db', a, 'grade', knee, klg, '--reader', 'Dr A')).code).toBe(0);
    expect((await kg('--db', a, 'grade', '4', '1', '--reader', 'Dr A')).code).toBe(0);
    expect((await kg('--db', a, 'grade', '4', '--undo', '--reader', 'Dr A')).code).toBe(0);
    expect((await kg('--db', a, 'export', '--out', csv)).code).toBe(0);

    expect((await kg('--db', b, 'import', films)).code).toBe(0);
    const r = await kg('--db', b, 'import', '--labels', csv, '--labels-as-reader', 'Dr A');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/matched to knees/);

    const before = grades(a);
    expect(before).toHaveLength(3); // knees 1 (corrected to 3), 2, 3; knee 4 retracted
    expect(grades(b)).toEqual(before);

    // importing the same CSV again writes nothing new
    const again = await kg('--db', b, 'import', '--labels', csv, '--labels-as-reader', 'Dr A');
    expect(again.stdout).toMatch(/0 grades written/);
  });

  it('refuses an import with neither files nor a labelled CSV', async () => {
    const r = await kg('--db', path.join(dir, 'c.db'), 'import');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give files or folders/);
  });
});
