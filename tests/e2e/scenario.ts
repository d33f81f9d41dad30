// The end-to-end scenario (issue #6): import the sample phantoms, create a reader and a blinded
// randomised session, grade ten knees by keyboard, reload and find every grade kept, run the models,
// open the report, export the CSV and check its rows. Driven only through data-testid attributes
// (tests/e2e/TESTIDS.md); the database is checked through the bridge client.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { check, screenshotDir, type Harness, type Steps } from './harness';

const READER = 'Dr E2E Reader';
const GRADED = 10;

/**
 * The grade the test enters for a knee: the phantom's true grade, one grade higher on every third knee
 * (a plausible reader, so the report and its screenshot look like real use), known to the test.
 */
function gradeFor(h: Harness, kneeId: number): number {
  const row = h.bridge.host.ctx.db
    .prepare('SELECT klg FROM reference_labels WHERE knee_id = ? ORDER BY id LIMIT 1')
    .get(kneeId) as { klg: number } | undefined;
  const truth = row?.klg ?? 2;
  return kneeId % 3 === 0 ? Math.min(4, truth + 1) : truth;
}

async function attr(page: Page, testid: string, name: string): Promise<string | null> {
  return page.getByTestId(testid).first().getAttribute(name);
}

/** Wait until `fn` returns true (polling), or fail with `what`. */
async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function noErrorBanner(page: Page): Promise<void> {
  const banners = page.getByTestId('error-banner');
  const n = await banners.count();
  if (n > 0) throw new Error(`error shown to the user: ${(await banners.allInnerTexts()).join(' | ')}`);
}

async function shot(page: Page, name: string): Promise<void> {
  // A screenshot shows what a reader sees once the film is on screen, not the loading placeholder.
  await page
    .waitForSelector('.viewer-placeholder', { state: 'detached', timeout: 30_000 })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(screenshotDir(), `${name}.png`) });
}

export async function runScenario(h: Harness, steps: Steps): Promise<void> {
  const { page, api } = h;
  const state: { readerId?: number; sessionId?: number; graded: Map<number, number> } = { graded: new Map() };

  await steps.run('Chromium provides WebGL2 (SwiftShader)', async () => {
    await page.goto('about:blank');
    // (Browser-side code as a string: this file compiles without the DOM library.)
    const ok = (await page.evaluate(
      `(() => { const gl = document.createElement('canvas').getContext('webgl2'); return gl ? String(gl.getParameter(gl.VERSION)) : null; })()`,
    )) as string | null;
    check(ok && ok.startsWith('WebGL 2'), `no WebGL2 context in this Chromium (got ${ok})`);
  });

  await steps.run('the app loads from the bridge', async () => {
    await page.goto(h.bridge.pageUrl);
    await page.getByTestId('app-ready').waitFor();
    check(
      (await attr(page, 'app-ready', 'data-transport')) === 'bridge',
      'the renderer is not using the bridge transport',
    );
    await noErrorBanner(page);
  });

  await steps.run('import the sample phantoms', async () => {
    await page.getByTestId('nav-worklist').click();
    await page.getByTestId('import-samples').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 300_000 });
    const imported = Number(await attr(page, 'import-summary', 'data-imported'));
    check(imported >= 5, `expected at least 5 phantom films imported, got ${imported}`);
    const knees = await api.knees.list({});
    check(
      knees.total === imported * 2,
      `expected ${imported * 2} knees (bilateral films), the database has ${knees.total}`,
    );
    await until(
      'the worklist to list every knee',
      async () => (await page.getByTestId('worklist-row').count()) === knees.total,
    );
    await noErrorBanner(page);
  });

  await steps.run('create a reader', async () => {
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('reader-name').fill(READER);
    await page.getByTestId('reader-create').click();
    await until('the reader to exist', async () => (await api.readers.list()).some((r) => r.name === READER));
    state.readerId = (await api.readers.list()).find((r) => r.name === READER)!.id;
    await until(
      'the reader to be selectable',
      async () =>
        (await page.getByTestId('reader-select').locator(`option[value="${state.readerId}"]`).count()) === 1,
    );
    await page.getByTestId('reader-select').selectOption(String(state.readerId));
    await noErrorBanner(page);
  });

  await steps.run('create a blinded, randomised session and open it', async () => {
    await page.getByTestId('session-name').fill('E2E blinded session');
    const blinded = page.getByTestId('session-blinded');
    if (!(await blinded.isChecked())) await blinded.check();
    const ai = page.getByTestId('session-ai-aided');
    if ((await ai.count()) > 0 && (await ai.isChecked())) await ai.uncheck();
    await page.getByTestId('session-create').click();
    await page.getByTestId('viewer').waitFor();
    const sessions = await api.sessions.list({ readerId: state.readerId! });
    check(sessions.length === 1, `expected one session for the reader, found ${sessions.length}`);
    const s = sessions[0]!;
    state.sessionId = s.id;
    check(s.blinded && !s.aiAided, 'the session is not blinded');
    const detail = await api.sessions.get({ sessionId: s.id });
    const order = detail.items.map((i) => i.kneeId);
    const sorted = [...order].sort((a, b) => a - b);
    check(order.join() !== sorted.join(), 'the reading order is not randomised (it is in id order)');
    check(Number.isInteger(s.seed), 'no order seed recorded');
    await page.getByTestId('blinded-badge').waitFor();
    check(
      (await page.getByTestId('model-predictions').count()) === 0,
      'model predictions are shown in a blinded session',
    );
    check(
      (await page.getByTestId('knee-reference').count()) === 0,
      'the reference grade is shown in a blinded session',
    );
    await page.getByTestId('viewer-canvas').waitFor();
    await noErrorBanner(page);
  });

  await steps.run('the viewer draws the film (non-blank canvas)', async () => {
    const canvas = page.getByTestId('viewer-canvas');
    await until(
      'the film to be drawn',
      async () => {
        const png = await canvas.screenshot();
        // A drawn radiograph has many distinct grey levels; a blank canvas has one or two.
        const { PNG } = await import('pngjs');
        const img = PNG.sync.read(png);
        const levels = new Set<number>();
        for (let i = 0; i < img.data.length; i += 4 * 7) levels.add(img.data[i]!);
        return levels.size > 20;
      },
      60_000,
    );
    await shot(page, 'viewer');
  });

  await steps.run(`grade ${GRADED} knees by keyboard`, async () => {
    const total = Number(await attr(page, 'session-progress', 'data-total'));
    check(total >= GRADED, `the session has ${total} knees, fewer than ${GRADED}`);
    for (let i = 0; i < GRADED; i++) {
      await until(
        `knee ${i + 1} to be shown`,
        async () =>
          Number(await attr(page, 'session-progress', 'data-done')) === i &&
          (await attr(page, 'viewer', 'data-knee-id')) !== null,
      );
      const kneeId = Number(await attr(page, 'viewer', 'data-knee-id'));
      check(!state.graded.has(kneeId), `knee ${kneeId} was shown twice`);
      const klg = gradeFor(h, kneeId);
      // Keys go to the window; make sure no text field has the focus.
      await page.evaluate(
        'document.activeElement && document.activeElement.blur && document.activeElement.blur()',
      );
      if (i === 2) await shot(page, 'grading');
      await page.keyboard.press(String(klg));
      state.graded.set(kneeId, klg);
      await until(
        `grade ${i + 1} to be counted`,
        async () => Number(await attr(page, 'session-progress', 'data-done')) === i + 1,
      );
    }
    await noErrorBanner(page);
  });

  await steps.run('reload: every grade is kept', async () => {
    // Let any pending save finish, then reload the page from scratch.
    await until(
      'every grade to reach the database',
      async () => (await api.sessions.get({ sessionId: state.sessionId! })).done === GRADED,
      30_000,
    );
    await page.reload();
    await page.getByTestId('app-ready').waitFor();
    const detail = await api.sessions.get({ sessionId: state.sessionId! });
    check(
      detail.done === GRADED,
      `after reload the session has ${detail.done} graded knees, expected ${GRADED}`,
    );
    for (const [kneeId, klg] of state.graded) {
      const item = detail.items.find((i) => i.kneeId === kneeId);
      check(item?.klg === klg, `knee ${kneeId}: expected KL${klg} kept, found ${item?.klg ?? 'none'}`);
      const hist = await api.grades.history({ kneeId, readerId: state.readerId! });
      const last = hist.filter((e) => e.kind === 'grade').at(-1);
      check(
        last?.timeSpentMs !== null && last?.timeSpentMs !== undefined,
        `knee ${kneeId}: no time spent recorded with the grade`,
      );
    }
    // The UI shows the same progress when the session is reopened.
    await page.getByTestId('nav-sessions').click();
    await page.locator(`[data-testid="session-row"][data-session-id="${state.sessionId}"]`).click();
    await until(
      'the reopened session to show its progress',
      async () => Number(await attr(page, 'session-progress', 'data-done')) === GRADED,
      30_000,
    );
    await noErrorBanner(page);
  });

  await steps.run('run the models', async () => {
    await page.getByTestId('nav-models').click();
    await page.getByTestId('models-row').first().waitFor();
    const ready = (await api.models.list()).filter((m) => m.status === 'ready');
    check(ready.length > 0, 'no model is ready to run');
    await page.getByTestId('models-run').click();
    await page.getByTestId('inference-done').waitFor({ timeout: 600_000 });
    const computed = Number(await attr(page, 'inference-done', 'data-computed'));
    const knees = (await api.knees.list({})).total;
    check(computed > 0, 'the model run computed nothing');
    const after = await api.models.list();
    for (const m of ready.filter((x) => x.approach === 'end-to-end')) {
      const n = after.find((x) => x.name === m.name)?.predictedKnees ?? 0;
      check(n === knees, `${m.name} predicted ${n} of ${knees} knees`);
    }
    await noErrorBanner(page);
  });

  await steps.run('the worklist shows the grades and the model results', async () => {
    await page.getByTestId('nav-worklist').click();
    await page.getByTestId('worklist-table').waitFor();
    const knee = [...state.graded.keys()][0]!;
    const row = page.locator(`[data-testid="worklist-row"][data-knee-id="${knee}"]`);
    await row.waitFor();
    const item = (await api.knees.list({})).items.find((k) => k.id === knee)!;
    check(
      item.readerCount === 1 && item.myKlg === null,
      `knee ${knee}: expected one reader's grade in the unscoped list`,
    );
    check(Object.keys(item.modelKlg).length > 0, `knee ${knee}: no current model grade after the run`);
    await shot(page, 'worklist');
  });

  await steps.run('open the report', async () => {
    await page.getByTestId('nav-report').click();
    await page.getByTestId('report-view').waitFor();
    await page.getByTestId('report-table').waitFor({ timeout: 300_000 });
    const text = await page.getByTestId('report-table').innerText();
    check(text.includes(READER), `the agreement table does not list ${READER}`);
    // The model picker offers the installed graders only (the BioMedCLIP encoder is not installed here).
    await until(
      'the model picker to load',
      async () => (await page.getByTestId('report-model').count()) > 0,
      10_000,
    ).catch(async () => {
      throw new Error(`the model picker shows: ${await page.locator('.report-pickers').innerText()}`);
    });
    const offered = (
      await page
        .getByTestId('report-model')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-model') ?? ''))
    ).sort();
    const graders = (await api.models.list())
      .filter((m) => m.status === 'ready' && m.approach !== 'embedding')
      .map((m) => m.name)
      .sort();
    check(
      graders.length > 0 && offered.join() === graders.join(),
      `the model picker offers [${offered.join(', ')}], not the installed graders [${graders.join(', ')}]`,
    );
    check(
      !offered.includes('biomedclip-vitb16'),
      'the picker offers the BioMedCLIP encoder, which is not installed',
    );
    // Unticking a model takes its row out of the table; ticking it brings it back.
    const victim = offered[0]!;
    const rows = async (): Promise<string[]> =>
      (await page.getByTestId('report-table').locator('tbody tr td:first-child').allInnerTexts()).map((t) =>
        t.trim(),
      );
    check((await rows()).includes(`${victim} (model)`), `${victim} has no row in the table before unticking`);
    const box = page.locator(`[data-testid="report-model"][data-model="${victim}"]`);
    await box.uncheck();
    await until(`${victim} to leave the table`, async () => !(await rows()).includes(`${victim} (model)`));
    await box.check();
    await until(`${victim} to return to the table`, async () => (await rows()).includes(`${victim} (model)`));
    await noErrorBanner(page);
    await shot(page, 'report');
  });

  await steps.run('export the labelled CSV and check its rows', async () => {
    await page.getByTestId('export-csv').click();
    await page.getByTestId('export-result').waitFor();
    const file = await attr(page, 'export-result', 'data-path');
    check(file, 'no export path shown');
    check(path.dirname(file) === h.exportsDir, `exported to ${file}, not to the folder the dialog answered`);
    const rows = parse(readFileSync(file, 'utf8'), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];
    const knees = await api.knees.list({});
    check(
      rows.length === knees.total,
      `the CSV has ${rows.length} rows, expected one per knee (${knees.total})`,
    );
    const col = `reader:${READER}:klg`;
    check(col in rows[0]!, `no column ${col} in the CSV (columns: ${Object.keys(rows[0]!).join(', ')})`);
    let seen = 0;
    for (const r of rows) {
      const kneeId = Number(r.knee_id);
      const expected = state.graded.get(kneeId);
      if (expected === undefined)
        check(r[col] === '', `knee ${kneeId} was not graded but the CSV says ${r[col]}`);
      else {
        check(Number(r[col]) === expected, `knee ${kneeId}: CSV says ${r[col]}, expected ${expected}`);
        seen++;
      }
    }
    // De-identified by default: no patient identifier or name from the database appears anywhere.
    const text = readFileSync(file, 'utf8');
    const ids = h.bridge.host.ctx.db.prepare('SELECT patient_key, patient_name FROM patients').all() as {
      patient_key: string;
      patient_name: string | null;
    }[];
    for (const p of ids) {
      check(!text.includes(p.patient_key), `the CSV contains the patient id ${p.patient_key}`);
      if (p.patient_name)
        check(!text.includes(p.patient_name), `the CSV contains the patient name ${p.patient_name}`);
    }
    check(seen === GRADED, `the CSV holds ${seen} of the ${GRADED} grades`);
    check(
      Object.keys(rows[0]!).some((c) => c.startsWith('reference:')),
      'the CSV has no reference column',
    );
  });

  await steps.run("an AI-aided session shows the models' grades (second reader)", async () => {
    const second = 'Dr E2E Second';
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('reader-name').fill(second);
    await page.getByTestId('reader-create').click();
    await until('the second reader to exist', async () =>
      (await api.readers.list()).some((r) => r.name === second),
    );
    const id = (await api.readers.list()).find((r) => r.name === second)!.id;
    await until(
      'the second reader to be selectable',
      async () => (await page.getByTestId('reader-select').locator(`option[value="${id}"]`).count()) === 1,
    );
    await page.getByTestId('reader-select').selectOption(String(id));
    await page.getByTestId('session-name').fill('E2E AI-aided session');
    const blinded = page.getByTestId('session-blinded');
    if (await blinded.isChecked()) await blinded.uncheck();
    await page.getByTestId('session-ai-aided').check();
    await page.getByTestId('session-create').click();
    await page.getByTestId('viewer').waitFor();
    const s = (await api.sessions.list({ readerId: id }))[0];
    check(s && s.aiAided && !s.blinded, 'the second session is not AI-aided');
    await page.getByTestId('model-predictions').waitFor({ timeout: 60_000 });
    check((await page.getByTestId('blinded-badge').count()) === 0, 'an AI-aided session is marked blinded');
    const kneeId = Number(await attr(page, 'viewer', 'data-knee-id'));
    const d = await api.knees.get({ kneeId, sessionId: s.id });
    check(
      d.predictions.length > 0 && d.reference.length > 0,
      `knee ${kneeId}: the core sent no model grades or reference to the AI-aided session`,
    );
    await noErrorBanner(page);
  });

  await steps.run('no uncaught errors in the page', async () => {
    check(h.pageErrors.length === 0, h.pageErrors.slice(0, 5).join('\n'));
  });
}
