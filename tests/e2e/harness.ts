// The e2e harness: a fresh temporary study database behind the localhost bridge, serving the built
// renderer, opened in Debian's Chromium (headless, software WebGL2 through SwiftShader) with a fresh
// profile. Steps run in order; a failed step stops the ones after it (they depend on it).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../src/bridge/server';
import { listModels } from '../../src/core/inference/registry';
import type { KneeGradeApi } from '../../src/shared/api';
import { createBridgeClient } from '../../src/shared/bridge-client';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.KNEEGRADE_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium flags: offline, quiet, and WebGL2 on the CPU (the viewer needs it; there is no GPU here). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

export interface Harness {
  bridge: Bridge;
  api: KneeGradeApi;
  context: BrowserContext;
  page: Page;
  tmp: string;
  exportsDir: string;
  /** Notes printed with the results (e.g. which models were used). */
  notes: string[];
  /** Browser console errors and uncaught page errors seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kneegrade-e2e-'));
  const exportsDir = path.join(tmp, 'exports');
  mkdirSync(exportsDir);
  const notes: string[] = [];

  // The app's default models when they are installed; otherwise the tiny test model, so the
  // "run the models" step still exercises the whole path (its grades are meaningless).
  const defaults = path.join(ROOT, 'resources', 'models');
  const user = path.join(tmp, 'user-models');
  mkdirSync(user);
  const ready = (await listModels({ defaults, user })).filter((m) => m.ok);
  if (ready.length === 0) {
    const tiny = path.join(ROOT, 'tests', 'fixtures', 'models', 'tiny-kl');
    cpSync(tiny, path.join(user, 'tiny-kl'), { recursive: true });
    notes.push(
      'no default model is installed in resources/models: the models step ran the tiny test model (random weights)',
    );
  } else notes.push(`models: ${ready.map((m) => (m.ok ? m.card.name : '')).join(', ')}`);

  const bridge = await startBridge({
    dbPath: path.join(tmp, 'kneegrade.db'),
    modelRoots: { defaults, user },
    workDir: path.join(tmp, 'work'),
    version: 'e2e',
    rendererDir: path.join(ROOT, 'out', 'renderer'),
    // The browser has no native dialogs: the harness answers them.
    dialogs: { savePath: (i) => path.join(exportsDir, path.basename(i.defaultName)) },
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const api = createBridgeClient({ baseUrl: bridge.url, token: bridge.token });
  const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    offline: false,
  });
  context.setDefaultTimeout(120_000);
  // Nothing but the bridge may be reached: the app is offline by design.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:\d+\/).*/, (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console error: ${m.text()}`);
  });
  return {
    bridge,
    api,
    context,
    page,
    tmp,
    exportsDir,
    notes,
    pageErrors,
    close: async () => {
      await context.close().catch(() => undefined);
      await bridge.close().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go: docs/screenshots only when asked (KNEEGRADE_UPDATE_SCREENSHOTS=1), else out/e2e. */
export function screenshotDir(): string {
  const dir =
    process.env.KNEEGRADE_UPDATE_SCREENSHOTS === '1'
      ? path.join(ROOT, 'docs', 'screenshots')
      : path.join(ROOT, 'out', 'e2e');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function rendererBuilt(): boolean {
  const dir = path.join(ROOT, 'out', 'renderer');
  return existsSync(path.join(dir, 'index.html')) && readdirSync(dir).length > 0;
}

// ---------------------------------------------------------------------------------------------
// A tiny step runner: each step is one check; a failure stops the later steps.
// ---------------------------------------------------------------------------------------------

export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

export class Steps {
  readonly results: StepResult[] = [];
  private broken = false;

  async run(name: string, fn: () => Promise<void>): Promise<void> {
    if (this.broken) {
      this.results.push({ name, status: 'skipped', ms: 0 });
      process.stdout.write(`  - ${name} (skipped: an earlier step failed)\n`);
      return;
    }
    const t0 = Date.now();
    try {
      await fn();
      const ms = Date.now() - t0;
      this.results.push({ name, status: 'passed', ms });
      process.stdout.write(`  ✓ ${name} (${(ms / 1000).toFixed(1)} s)\n`);
    } catch (e) {
      const ms = Date.now() - t0;
      const msg = (e as Error).message ?? String(e);
      this.results.push({ name, status: 'failed', ms, error: msg });
      this.broken = true;
      process.stdout.write(`  ✗ ${name}\n      ${msg.split('\n').join('\n      ')}\n`);
    }
  }

  counts(): { passed: number; failed: number; skipped: number } {
    const c = { passed: 0, failed: 0, skipped: 0 };
    for (const r of this.results) c[r.status]++;
    return c;
  }
}

export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
