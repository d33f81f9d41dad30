// Entry of the e2e run (started by scripts/e2e.mjs after it built the renderer): harness + scenario,
// one line per step, and the closing "N passed, N failed, N skipped" line the test orchestrator reads.
import { startHarness, Steps } from './harness';
import { runScenario } from './scenario';

const steps = new Steps();
let code = 0;
const t0 = Date.now();
const h = await startHarness();
try {
  process.stdout.write(`e2e: bridge ${h.bridge.url}, study database in ${h.tmp}\n`);
  for (const n of h.notes) process.stdout.write(`e2e: note: ${n}\n`);
  await runScenario(h, steps);
} catch (e) {
  process.stdout.write(`e2e: harness error: ${(e as Error).stack ?? String(e)}\n`);
  code = 1;
} finally {
  await h.close();
}
const c = steps.counts();
if (c.failed > 0) code = 1;
process.stdout.write(`e2e finished in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
process.stdout.write(
  `${c.passed} passed, ${c.failed + (code && !c.failed ? 1 : 0)} failed, ${c.skipped} skipped\n`,
);
process.exit(code);
