// Runs after `npm install` / `npm ci`.
//
// Electron's own install script (which downloads the Electron binary from outside the npm registry)
// is blocked in package.json "allowScripts", so that installs succeed on offline and CI machines.
// Here we try that download ourselves and treat failure as a note, not an error: the CLI, the tests
// and the browser build all work without the binary; only `npm start` (the desktop window) needs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let electronDir;
try {
  electronDir = path.dirname(require.resolve('electron/package.json'));
} catch {
  process.exit(0); // optional dependency not installed: nothing to do
}
if (existsSync(path.join(electronDir, 'path.txt'))) process.exit(0);
if (process.env.KNEEGRADE_SKIP_ELECTRON_DOWNLOAD || process.env.CI) {
  console.log('[kneegrade] skipping the Electron binary download (CI or KNEEGRADE_SKIP_ELECTRON_DOWNLOAD).');
  process.exit(0);
}
const res = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
  stdio: 'ignore',
  timeout: 180_000,
});
if (res.status === 0 && existsSync(path.join(electronDir, 'path.txt'))) {
  console.log('[kneegrade] Electron binary installed: `npm start` opens the desktop app.');
} else {
  console.log(
    '[kneegrade] The Electron binary could not be downloaded (no access to its download host): ' +
      'the CLI, tests and demo work; for the desktop app run `node node_modules/electron/install.js` where that host is reachable.',
  );
}
