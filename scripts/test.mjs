// The project's one test command (`npm test`, also run by .ci/run):
//   1. vitest: unit + integration (tests/unit, tests/integration)
//   2. the renderer in real Chromium against the built renderer + localhost bridge (scripts/e2e.mjs)
//   3. the Python training tests (training/tests) in the project's venv
// and one closing line "N passed, N failed, N skipped" over all three.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSuites = [];

function run(cmd, args, opts = {}) {
  console.log(`\n=== ${[cmd, ...args].join(' ')}`);
  return spawnSync(cmd, args, {
    cwd: root,
    stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
  });
}

function countLine(text) {
  // the last "N passed, N failed[, N skipped]" line a child printed
  const m = [...text.matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].pop();
  return m ? { passed: +m[1], failed: +m[2], skipped: +(m[3] ?? 0) } : null;
}

// 1. vitest
mkdirSync(path.join(root, 'out', 'test-results'), { recursive: true });
const vitestJson = path.join(root, 'out', 'test-results', 'vitest.json');
const v = run(process.execPath, [
  path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  if (v.status !== 0 && r.numFailedTests === 0) {
    totals.failed += 1; // a suite that failed to load counts as a failure
    failedSuites.push('vitest (suite error)');
  } else if (r.numFailedTests > 0) failedSuites.push('vitest');
} else {
  totals.failed += 1;
  failedSuites.push('vitest (no results)');
}

// 2. browser tests
if (existsSync(path.join(root, 'scripts', 'e2e.mjs'))) {
  const e = run(process.execPath, [path.join(root, 'scripts', 'e2e.mjs')], { capture: true });
  process.stdout.write(e.stdout ?? '');
  const c = countLine(e.stdout ?? '');
  if (c) {
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
  }
  if (e.status !== 0) {
    if (!c || c.failed === 0) totals.failed += 1;
    failedSuites.push('e2e');
  }
}

// 3. Python training tests
const py = path.join(root, '.venv', 'bin', 'python');
if (!existsSync(py)) {
  const s = run('bash', [path.join(root, 'scripts', 'setup-python.sh')]);
  if (s.status !== 0) console.log('[test] the Python venv could not be set up: training tests skipped.');
}
if (existsSync(py) && existsSync(path.join(root, 'training', 'tests'))) {
  const p = run(py, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'training/tests'], { capture: true });
  process.stdout.write(p.stdout ?? '');
  const out = p.stdout ?? '';
  const num = (re) => +(out.match(re)?.[1] ?? 0);
  const c = {
    passed: num(/(\d+) passed/),
    failed: num(/(\d+) failed/) + num(/(\d+) errors?/),
    skipped: num(/(\d+) skipped/),
  };
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  // pytest exit 5 = no tests collected: not a failure of ours, but say so
  if (p.status !== 0 && p.status !== 5) {
    if (c.failed === 0) totals.failed += 1;
    failedSuites.push('pytest');
  }
} else {
  console.log('[test] training tests skipped: no Python venv (.venv) or no training/tests.');
}

console.log(`\n${failedSuites.length ? `failing: ${failedSuites.join(', ')}` : 'all suites green'}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || failedSuites.length > 0 ? 1 : 0);
