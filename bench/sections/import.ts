// Benchmark: import rate. Full-size phantom films (DX DICOM, 12-bit, ~2500x2000) imported into a fresh
// study database on disk: decode, pixel hash, bilateral split with joint localisation, one transaction per
// file. Then the same files again (duplicates: hash only), and, when the shared data is present, 224 px
// WebP joint crops from the OAI knee-kl set.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/core/db/connection';
import { importPaths } from '../../src/core/import';
import { generatePhantoms } from '../../src/core/phantoms';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared', 'data', 'knee-kl', 'kneeKL224-clahe', 'val');
const FILMS = Number(process.env.KNEEGRADE_BENCH_IMPORT_FILMS ?? 8);
const CROPS = Number(process.env.KNEEGRADE_BENCH_IMPORT_CROPS ?? 300);

const rate = (n: number, ms: number): string => (n / (ms / 1000)).toFixed(2);

export async function bench(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-bench-import-'));
  try {
    let t = performance.now();
    const films = await generatePhantoms({ outDir: path.join(dir, 'films'), count: FILMS, seed: 1 });
    const genMs = performance.now() - t;
    const px = films.reduce((a, f) => a + f.rows * f.columns, 0) / films.length;

    const db = openDatabase({ file: path.join(dir, 'bench.db') });
    t = performance.now();
    const first = await importPaths(db, [path.join(dir, 'films')]);
    const importMs = performance.now() - t;
    t = performance.now();
    const again = await importPaths(db, [path.join(dir, 'films')]);
    const dupMs = performance.now() - t;
    db.close();
    if (first.imported !== FILMS || first.errors.length)
      throw new Error(`phantom import failed: ${JSON.stringify(first.errors)}`);

    const rows = [
      '| what | files | time | files/s |',
      '|---|---|---|---|',
      `| generate phantom films (${Math.round((px / 1e6) * 10) / 10} Mpx, 12-bit) | ${FILMS} | ${(genMs / 1000).toFixed(1)} s | ${rate(FILMS, genMs)} |`,
      `| **import phantom films** (decode, hash, joint localisation, 2 knees each) | ${first.imported} | ${(importMs / 1000).toFixed(1)} s | **${rate(first.imported, importMs)}** |`,
      `| re-import the same films (duplicates: sha256 only) | ${again.duplicates} | ${(dupMs / 1000).toFixed(2)} s | ${rate(again.duplicates, dupMs)} |`,
    ];

    let cropLine = `_The shared knee-kl data (${SHARED}) is not present: joint-crop import not measured._`;
    try {
      const files = [0, 1, 2, 3, 4]
        .flatMap((g) => readdirSync(path.join(SHARED, String(g))).map((f) => path.join(SHARED, String(g), f)))
        .sort()
        .slice(0, CROPS);
      const db2 = openDatabase({ file: path.join(dir, 'crops.db') });
      t = performance.now();
      const r = await importPaths(db2, files, { alreadyClahe: true });
      const ms = performance.now() - t;
      db2.close();
      rows.push(
        `| import OAI knee-kl WebP joint crops (224 px, folder labels) | ${r.imported} | ${(ms / 1000).toFixed(1)} s | ${rate(r.imported, ms)} |`,
      );
      cropLine = '';
    } catch {
      // shared data absent: said in cropLine
    }
    return [
      '## Import',
      '',
      `Phantom films: ${FILMS} full-size bilateral DX films (seed 1), imported into a fresh on-disk database (WAL, synchronous=FULL), one file at a time on one thread.`,
      '',
      ...rows,
      '',
      cropLine,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
