// Benchmark: the application API the window calls on every keystroke — directly (as Electron's core
// process runs it) and through the localhost HTTP bridge (as the browser e2e runs it) — over a study
// of 5,000 knees (2,500 bilateral films) with 3 readers' grades and 2 models' predictions; and a
// full-size phantom film's pixels for the viewer (decode, cache, transfer).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBridge } from '../../src/bridge/server';
import type { Db } from '../../src/core/db/connection';
import { dispatch } from '../../src/core/services';
import type { ServiceContext } from '../../src/core/services/context';
import { createBridgeClient } from '../../src/shared/bridge-client';

const FILMS = Number(process.env.BENCH_FILMS ?? 1000);
const READERS = 3;
const ITER = 15;

export function populate(db: Db): { readers: number[] } {
  const T = '2026-01-01T00:00:00.000Z';
  const readers: number[] = [];
  db.transaction(() => {
    for (let r = 0; r < READERS; r++)
      readers.push(
        Number(
          db.prepare('INSERT INTO readers (name, created_at) VALUES (?, ?)').run(`Reader ${r + 1}`, T)
            .lastInsertRowid,
        ),
      );
    const models = [1, 2].map((m) =>
      Number(
        db
          .prepare(
            "INSERT INTO models (name, version, approach, sha256, card_json, registered_at) VALUES (?, '1', 'end-to-end', ?, '{}', ?)",
          )
          .run(`model-${m}`, String(m).repeat(64), T).lastInsertRowid,
      ),
    );
    for (let f = 0; f < FILMS; f++) {
      const pat = Number(
        db.prepare('INSERT INTO patients (patient_key, pseudonym) VALUES (?, ?)').run(`P${f}`, `PS${f}`)
          .lastInsertRowid,
      );
      const st = Number(
        db
          .prepare('INSERT INTO studies (patient_id, study_uid, imported_at) VALUES (?, ?, ?)')
          .run(pat, `1.2.${f}`, T).lastInsertRowid,
      );
      const sha = f.toString(16).padStart(64, '0');
      const img = Number(
        db
          .prepare(
            "INSERT INTO images (study_id, path, sha256, pixel_sha256, rows, columns, source_format, imported_at) VALUES (?, ?, ?, ?, 2500, 2000, 'dicom', ?)",
          )
          .run(st, `/films/${f}.dcm`, sha, sha, T).lastInsertRowid,
      );
      for (const [side, x] of [['R', 0] as const, ['L', 1000] as const]) {
        const k = Number(
          db
            .prepare(
              "INSERT INTO knees (image_id, side, crop_x, crop_y, crop_w, crop_h, crop_source) VALUES (?, ?, ?, 750, 1000, 1000, 'auto')",
            )
            .run(img, side, x).lastInsertRowid,
        );
        const truth = (f * 7 + (side === 'R' ? 0 : 3)) % 5;
        db.prepare(
          "INSERT INTO reference_labels (knee_id, source, klg, created_at) VALUES (?, 'folder', ?, ?)",
        ).run(k, truth, T);
        for (const r of readers) {
          db.prepare(
            'INSERT INTO grade_events (knee_id, reader_id, klg, time_spent_ms, created_at) VALUES (?, ?, ?, 4000, ?)',
          ).run(k, r, (truth + (k % (r + 2) === 0 ? 1 : 0)) % 5, T);
        }
        for (const m of models) {
          db.prepare(
            "INSERT INTO predictions (model_id, knee_id, pixel_sha256, crop_x, crop_y, crop_w, crop_h, probs, klg, provider, created_at) VALUES (?, ?, ?, ?, 750, 1000, 1000, '[0.2,0.2,0.2,0.2,0.2]', ?, 'cpu', ?)",
          ).run(m, k, sha, x, truth, T);
        }
      }
    }
  })();
  return { readers };
}

async function median(fn: () => Promise<unknown>, n = ITER): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(0));

export async function bench(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-bench-api-'));
  const bridge = await startBridge({
    dbPath: path.join(dir, 'study.db'),
    modelRoots: { defaults: path.join(dir, 'm'), user: path.join(dir, 'u') },
    workDir: path.join(dir, 'work'),
    version: 'bench',
    log: (l) => process.stderr.write(`${l}\n`),
  });
  try {
    const ctx: ServiceContext = bridge.host.ctx;
    const { readers } = populate(ctx.db);
    const api = createBridgeClient({ baseUrl: bridge.url, token: bridge.token });
    const reader = readers[0]!;
    const session = await dispatch('sessions:create', { readerId: reader, name: 'bench', seed: 1 }, ctx);
    const firstKnee = (await dispatch('sessions:next', { sessionId: session.id }, ctx)).next!.kneeId;

    const rows: [string, number, number][] = [];
    const pair = async (
      label: string,
      direct: () => Promise<unknown>,
      viaBridge: () => Promise<unknown>,
    ): Promise<void> => {
      // Bridge first: server and client share this process, so long synchronous direct runs just before
      // would also stall the socket the bridge call opens.
      const b = await median(viaBridge);
      rows.push([label, await median(direct), b]);
    };
    await pair(
      'knees:list (first page of 500, sorted by study)',
      () => dispatch('knees:list', {}, ctx),
      () => api.knees.list({}),
    );
    await pair(
      'knees:list for a reader (blinding checks)',
      () => dispatch('knees:list', { readerId: readers[1]! }, ctx),
      () => api.knees.list({ readerId: readers[1]! }),
    );
    await pair(
      'knees:list in the blinded session',
      () => dispatch('knees:list', { sessionId: session.id }, ctx),
      () => api.knees.list({ sessionId: session.id }),
    );
    await pair(
      'knees:get in the blinded session',
      () => dispatch('knees:get', { kneeId: firstKnee, sessionId: session.id }, ctx),
      () => api.knees.get({ kneeId: firstKnee, sessionId: session.id }),
    );
    await pair(
      'sessions:next (session over every knee)',
      () => dispatch('sessions:next', { sessionId: session.id }, ctx),
      () => api.sessions.next({ sessionId: session.id }),
    );
    let g = 0;
    await pair(
      'grades:submit in the session (fsync, synchronous=FULL)',
      () =>
        dispatch(
          'grades:submit',
          { kneeId: firstKnee, readerId: reader, sessionId: session.id, klg: g++ % 5, timeSpentMs: 3000 },
          ctx,
        ),
      () =>
        api.grades.submit({
          kneeId: firstKnee,
          readerId: reader,
          sessionId: session.id,
          klg: g++ % 5,
          timeSpentMs: 3000,
        }),
    );
    const tCreate = await median(
      () => dispatch('sessions:create', { readerId: readers[2]!, name: 'b' }, ctx),
      5,
    );

    // A full-size phantom film for the viewer.
    const imp = await dispatch('import:samplePhantoms', { count: 1, seed: 7 }, ctx);
    const film = (await dispatch('knees:list', { sort: 'id', order: 'desc', limit: 1 }, ctx)).items[0]!;
    const px0 = performance.now();
    const px = await dispatch('images:pixels', { imageId: film.imageId }, ctx);
    const cold = performance.now() - px0;
    const warm = await median(() => dispatch('images:pixels', { imageId: film.imageId }, ctx));
    const overBridge = await median(() => api.images.pixels({ imageId: film.imageId }), 5);

    const table = rows.map(([l, d, b]) => `| ${l} | ${ms(d)} | ${ms(b)} |`).join('\n');
    return [
      `Study: ${FILMS * 2} knees on ${FILMS} films, ${READERS} readers' grades and 2 models' predictions per knee; median of ${ITER} calls, milliseconds.`,
      "Direct = `dispatch()` in-process, as Electron's core process runs it (IPC adds its own, unmeasured here); bridge = HTTP on 127.0.0.1 with the same client the browser uses.",
      '',
      '| call | direct ms | via bridge ms |',
      '|---|---:|---:|',
      table,
      `| sessions:create over every knee (seeded shuffle), median of 5 | ${ms(tCreate)} | – |`,
      '',
      `Viewer pixels of one phantom film (${px.columns}×${px.rows}, ${(px.data.byteLength / 2 ** 20).toFixed(1)} MiB as 16-bit; import: ${imp.imported} film):`,
      `decode + pack (first call) ${ms(cold)} ms; cached ${ms(warm)} ms; through the bridge (binary frame, viewed in place by the client) ${ms(overBridge)} ms.`,
    ].join('\n');
  } finally {
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
