// The HTML report in a real browser (Debian's chromium through playwright-core): the inlined ECharts
// draws every heatmap, offline, with no script errors, and the page prints to PDF.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, renderHtml, studyDataFromLongCsv } from '../../../src/core/report';

const CHROMIUM = process.env.KNEEGRADE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[report html] skipped: no chromium at ${CHROMIUM} (set KNEEGRADE_CHROMIUM)`);

describe.skipIf(!hasChromium)('HTML report in a browser', () => {
  it('draws the pairwise and confusion heatmaps with no errors and no network', async () => {
    const { chromium } = await import('playwright-core');
    const lines = ['knee,patient,rater,grade,kind'];
    for (let k = 0; k < 60; k++) {
      const t = k % 5;
      lines.push(
        `${k},${k >> 1},truth,${t},reference`,
        `${k},${k >> 1},Dr <A>,${(t + (k % 3 === 0 ? 1 : 0)) % 5},reader`,
      );
      lines.push(
        `${k},${k >> 1},Dr B,${t},reader`,
        `${k},${k >> 1},net,${(t + (k % 4 === 0 ? 4 : 0)) % 5},model`,
      );
    }
    const report = buildReport(studyDataFromLongCsv(lines.join('\n'), 'x.csv'), {
      reference: { kind: 'labels', source: 'truth' },
      bootstrap: { resamples: 50 },
    });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kg-html-')), 'report.html');
    writeFileSync(file, renderHtml(report));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
      await page.goto(`file://${file}`);
      await page.waitForSelector('html[data-charts="ready"]', { timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      // one pairwise heatmap + one confusion heatmap per rater (3), each an SVG with cells drawn
      expect(await page.locator('.chart svg').count()).toBe(4);
      const cells = await page.locator('#chart-confusion-0 svg path').count();
      expect(cells).toBeGreaterThanOrEqual(25);
      expect(await page.locator('#chart-confusion-0').textContent()).toContain('Dr <A>');
      const pdf = await page.pdf({ format: 'A4', landscape: true });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    } finally {
      await browser.close();
    }
  });
});
