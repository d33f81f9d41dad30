// "Impossible to lose work", in the real renderer: Chromium against the built renderer and the
// localhost bridge, with the network between them made to fail on purpose.
//   1. The core is unreachable for the first grade submissions: the grade is retried and stored once.
//   2. The core stays unreachable and the window is reloaded (a renderer crash): the grade was kept in
//      the local journal and is stored when the app comes back.
// Needs /usr/bin/chromium; builds the renderer (electron-vite) when out/renderer is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../../src/bridge/server';
import { defaultModelRoots } from '../../../src/core/services/host';
import type { KneeGradeApi } from '../../../src/shared/api';
import { createBridgeClient } from '../../../src/shared/bridge-client';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = process.env.KNEEGRADE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`[gradingResilience] skipped: no Chromium at ${CHROMIUM} (set KNEEGRADE_CHROMIUM)`);

let tmp: string;
let bridge: Bridge;
let browser: Browser;
let page: Page;
let api: KneeGradeApi;
let readerId: number;
let sessionId: number;

/** The page globals used here (this file is type-checked without the DOM library). */
type PageGlobals = {
  __kneegradeViewer?: { lastPaintedKnee: number | null };
  document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
  localStorage: { getItem(k: string): string | null };
};

async function shownKnee(): Promise<number> {
  await page.waitForFunction(() => {
    const g = globalThis as unknown as PageGlobals;
    const s = g.__kneegradeViewer;
    const v = g.document.querySelector('[data-testid="viewer"]');
    return (
      !!s && !!v && s.lastPaintedKnee !== null && String(s.lastPaintedKnee) === v.getAttribute('data-knee-id')
    );
  });
  return Number(await page.getByTestId('viewer').getAttribute('data-knee-id'));
}

async function effectiveGrades(kneeId: number): Promise<number[]> {
  const history = await api.grades.history({ kneeId, readerId });
  return history.filter((e) => e.kind === 'grade').map((e) => e.klg ?? -1);
}

async function journal(): Promise<unknown[]> {
  return page.evaluate(
    () =>
      JSON.parse(
        (globalThis as unknown as PageGlobals).localStorage.getItem('kneegrade.gradeJournal.v1') ?? '[]',
      ) as unknown[],
  );
}

async function openSession(): Promise<void> {
  await page.getByTestId('nav-sessions').click();
  await page.locator(`[data-testid="session-row"][data-session-id="${sessionId}"]`).click();
}

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) {
    const b = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    if (b.status !== 0) throw new Error(`renderer build failed: ${b.stderr || b.stdout}`);
  }
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kneegrade-resilience-'));
  const dbPath = path.join(tmp, 'study.db');
  bridge = await startBridge({
    dbPath,
    modelRoots: defaultModelRoots(repoRoot, dbPath),
    workDir: path.join(tmp, 'work'),
    version: 'test',
    rendererDir: path.join(repoRoot, 'out', 'renderer'),
  });
  api = createBridgeClient({ baseUrl: bridge.url, token: bridge.token });
  const imported = await api.import.samplePhantoms({ count: 2, seed: 3 });
  expect(imported.knees).toBeGreaterThanOrEqual(4);
  readerId = (await api.readers.create({ name: 'Resilient reader' })).id;
  sessionId = (await api.sessions.create({ readerId, name: 'resilience', blinded: true, seed: 5 })).id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(bridge.pageUrl);
  await page.getByTestId('app-ready').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('grades survive an unreachable core and a reload', () => {
  it('retries a grade the core did not receive, and stores it exactly once', async () => {
    let calls = 0;
    const flaky = async (route: Route) => {
      calls++;
      if (calls <= 2) await route.abort('connectionrefused');
      else await route.continue();
    };
    await page.route('**/api/grades:submit', flaky);
    await openSession();
    const kneeId = await shownKnee();
    await page.keyboard.press('3');
    // The panel says it is retrying, then that it is saved.
    await page.locator('[data-testid="grade-saved"][data-state="retrying"]').waitFor({ timeout: 30_000 });
    await page
      .locator(`[data-testid="grade-saved"][data-state="saved"][data-knee-id="${kneeId}"]`)
      .waitFor({ timeout: 60_000 });
    await page.unroute('**/api/grades:submit', flaky);
    expect(calls).toBe(3);
    expect(await effectiveGrades(kneeId)).toEqual([3]);
    expect(await journal()).toEqual([]);
    expect(await page.getByTestId('session-progress').getAttribute('data-done')).toBe('1');
  });

  it('keeps a grade entered while the core is down through a reload, and stores it on return', async () => {
    const down = (route: Route) => route.abort('connectionrefused');
    await page.route('**/api/grades:submit', down);
    const kneeId = await shownKnee();
    await page.keyboard.press('1');
    await page
      .locator(`[data-testid="grade-saved"][data-state="retrying"][data-knee-id="${kneeId}"]`)
      .waitFor({ timeout: 30_000 });
    const kept = (await journal()) as { input: { kneeId: number; klg: number } }[];
    expect(kept.map((e) => [e.input.kneeId, e.input.klg])).toEqual([[kneeId, 1]]);
    expect(await effectiveGrades(kneeId)).toEqual([]); // not in the database yet

    // The window goes away with the grade unsaved; when it comes back, the core answers again.
    await page.unroute('**/api/grades:submit', down);
    await page.reload();
    await page.getByTestId('app-ready').waitFor();
    await expect.poll(() => effectiveGrades(kneeId), { timeout: 60_000, interval: 250 }).toEqual([1]);
    await expect.poll(() => journal(), { timeout: 30_000, interval: 250 }).toEqual([]);
  });
});
