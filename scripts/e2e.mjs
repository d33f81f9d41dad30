// `npm run test:e2e`: the renderer in real Chromium against the localhost bridge (no Electron binary).
// Skips (exit 0, with a reason) when Debian's Chromium is absent; otherwise builds the renderer, runs
// tests/e2e/run.ts and exits non-zero on any failure. Last line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.KNEEGRADE_CHROMIUM ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  console.log(
    `e2e: skipped: no Chromium at ${chromium} (install Debian's chromium package, or set KNEEGRADE_CHROMIUM).`,
  );
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
}

if (!process.env.KNEEGRADE_E2E_SKIP_BUILD) {
  console.log('e2e: building the renderer (electron-vite build) …');
  const b = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (b.status !== 0) {
    console.log('e2e: the build failed (see above).');
    console.log('0 passed, 1 failed, 0 skipped');
    process.exit(1);
  }
}

const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'tests', 'e2e', 'run.ts')], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status === null) {
  console.log(`e2e: the run was killed (${r.signal}).`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
process.exit(r.status);
