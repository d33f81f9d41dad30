// The viewer's shader against the VOI maths: known stored values go through the real WebGL2 renderer
// (R16UI and R32F paths) in Chromium, the pixels are read back and compared, value by value, with
// applyVoi(). The same for the 2D-canvas fallback. Needs /usr/bin/chromium (WebGL on SwiftShader).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyVoi } from '../../../src/renderer/src/features/viewer/windowing';
import type { HarnessCase } from './harness/harness';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = process.env.KNEEGRADE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[glViewer] skipped: no Chromium at ${CHROMIUM} (set KNEEGRADE_CHROMIUM)`);

let server: ViteDevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await createServer({
    root: repoRoot,
    configFile: false,
    logLevel: 'silent',
    // No watcher: the repository holds node_modules and a Python venv, nothing here changes during the run.
    server: { port: 0, host: '127.0.0.1', watch: null, hmr: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const addr = server.httpServer!.address() as { port: number };
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
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${addr.port}/tests/integration/renderer/harness/index.html`, {
    waitUntil: 'commit',
    timeout: 90_000,
  });
  await page.waitForFunction(() => document.title === 'ready', null, { timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function paint(c: HarnessCase): Promise<{ grey: number[]; kind: string }> {
  return page.evaluate(
    (cc) =>
      (
        window as unknown as { __harness: { run: (x: HarnessCase) => { grey: number[]; kind: string } } }
      ).__harness.run(cc),
    c,
  );
}

/** What the case should look like: one canvas pixel per image pixel (zoom 1, centred). */
function expected(c: HarnessCase): number[] {
  return c.values.map((s) => {
    let y = applyVoi(s * c.slope + c.intercept, c.window, c.voi);
    if (c.invert) y = 1 - y;
    return Math.round(y * 255);
  });
}

function base(over: Partial<HarnessCase>): HarnessCase {
  const width = 16;
  const height = 8;
  return {
    renderer: 'webgl2',
    width,
    height,
    kind: 'u16',
    values: Array.from({ length: width * height }, (_, i) => i * 32),
    slope: 1,
    intercept: 0,
    window: { center: 2048, width: 4096 },
    voi: 'LINEAR',
    invert: false,
    view: { zoom: 1, cx: width / 2, cy: height / 2 },
    canvas: { w: width, h: height },
    ...over,
  };
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

describe.skipIf(!hasChromium)('WebGL2 viewer shader = VOI maths', () => {
  it('R16UI, 12-bit ramp, LINEAR window', async () => {
    const c = base({});
    const out = await paint(c);
    expect(out.kind).toBe('webgl2');
    expect(maxAbsDiff(out.grey, expected(c))).toBeLessThanOrEqual(1);
  });

  it('a narrow window clips both ends (and the clipping is where the standard puts it)', async () => {
    const c = base({ window: { center: 2000, width: 800 } });
    const out = await paint(c);
    expect(maxAbsDiff(out.grey, expected(c))).toBeLessThanOrEqual(1);
    expect(out.grey.filter((g) => g === 0).length).toBeGreaterThan(10);
    expect(out.grey.filter((g) => g === 255).length).toBeGreaterThan(10);
  });

  it('signed 16-bit with rescale slope/intercept (CT-like) and inversion', async () => {
    const values = Array.from({ length: 128 }, (_, i) => -2000 + i * 40);
    const c = base({
      kind: 'i16',
      values,
      slope: 1,
      intercept: -1024,
      window: { center: -600, width: 1500 },
      invert: true,
    });
    const out = await paint(c);
    expect(maxAbsDiff(out.grey, expected(c))).toBeLessThanOrEqual(1);
  });

  it('fractional float values take the R32F path, LINEAR_EXACT and SIGMOID', async () => {
    const values = Array.from({ length: 128 }, (_, i) => i * 0.75 + 0.25);
    for (const voi of ['LINEAR_EXACT', 'SIGMOID'] as const) {
      const c = base({ kind: 'f32', values, window: { center: 48, width: 60 }, voi });
      const out = await paint(c);
      expect(maxAbsDiff(out.grey, expected(c))).toBeLessThanOrEqual(1);
    }
  });

  it('zoom and pan sample the right image pixels (nearest when minified)', async () => {
    // 32x32 image whose value encodes its column; canvas 8x8 at zoom 0.25 centred: canvas column x
    // shows image column floor(16 + (x + 0.5 - 4) / 0.25).
    const width = 32;
    const values = Array.from({ length: width * width }, (_, i) => (i % width) * 100);
    const c = base({
      width,
      height: width,
      values,
      window: { center: 1600, width: 3200 },
      voi: 'LINEAR_EXACT',
      view: { zoom: 0.25, cx: 16, cy: 16 },
      canvas: { w: 8, h: 8 },
    });
    const out = await paint(c);
    const row = out.grey.slice(0, 8);
    const want = Array.from({ length: 8 }, (_, x) => {
      const col = Math.floor(16 + (x + 0.5 - 4) / 0.25);
      return Math.round(applyVoi(col * 100, c.window, 'LINEAR_EXACT') * 255);
    });
    expect(maxAbsDiff(row, want)).toBeLessThanOrEqual(1);
  });

  it('outside the image is black', async () => {
    const c = base({ view: { zoom: 1, cx: 100, cy: 100 } });
    const out = await paint(c);
    expect(Math.max(...out.grey)).toBe(0);
  });

  it('preloaded films switch without mixing textures (show A, preload B, show B, back to A)', async () => {
    const a = base({});
    const b = base({ values: a.values.map((v) => 4095 - v) });
    const out = await page.evaluate(
      ([x, y]) =>
        (
          window as unknown as {
            __harness: { runSwitch: (p: HarnessCase, q: HarnessCase) => { grey: number[][] } };
          }
        ).__harness.runSwitch(x, y),
      [a, b] as const,
    );
    expect(maxAbsDiff(out.grey[0]!, expected(a))).toBeLessThanOrEqual(1);
    expect(maxAbsDiff(out.grey[1]!, expected(a))).toBeLessThanOrEqual(1);
    expect(maxAbsDiff(out.grey[2]!, expected(b))).toBeLessThanOrEqual(1);
    expect(maxAbsDiff(out.grey[3]!, expected(a))).toBeLessThanOrEqual(1);
  });

  it('the 2D-canvas fallback paints the same values', async () => {
    const c = base({ renderer: 'canvas2d', window: { center: 1800, width: 2500 }, invert: true });
    const out = await paint(c);
    expect(out.kind).toBe('canvas2d');
    expect(maxAbsDiff(out.grey, expected(c))).toBeLessThanOrEqual(1);
  });
});
