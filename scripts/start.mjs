// `npm start`: open the desktop app.
//   1. The Electron binary must be present (its download is blocked at install time on offline machines).
//   2. better-sqlite3 is built for Electron's ABI into out/native/ (a private copy, so the Node build
//      used by the CLI and the tests stays intact); the core process loads it via `nativeBinding`.
//   3. Build with electron-vite, then launch `electron-vite preview`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function fail(sentence) {
  process.stderr.write(`kneegrade: ${sentence}\n`);
  process.exit(1);
}

// 1. Electron binary
let electronDir;
try {
  electronDir = path.dirname(require.resolve('electron/package.json'));
} catch {
  fail(
    'the desktop app needs the optional "electron" package, which is not installed: run `npm install` on a machine with access to the npm registry (the CLI works without it: `node bin/kneegrade.mjs --help`).',
  );
}
if (!existsSync(path.join(electronDir, 'path.txt'))) {
  fail(
    'the Electron binary is not installed (its download host was unreachable at install time): run `node node_modules/electron/install.js` on a machine that can reach Electron’s download host, then `npm start` again (the CLI and `npm test` work without it).',
  );
}
const electronVersion = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;

// 2. better-sqlite3 for Electron
const nativeDir = path.join(root, 'out', 'native');
const binding = path.join(nativeDir, 'better_sqlite3.node');
const marker = path.join(nativeDir, 'better_sqlite3.electron-version');
const upToDate =
  existsSync(binding) &&
  existsSync(marker) &&
  readFileSync(marker, 'utf8').trim() === `${electronVersion} ${process.arch}`;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

if (!upToDate) {
  console.log(
    `[kneegrade] building better-sqlite3 for Electron ${electronVersion} (${process.arch}) into out/native/ …`,
  );
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(nativeDir, 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(nativeDir, { recursive: true });
  cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(path.join(src, 'build')) });
  const prebuild = path.join(root, 'node_modules', 'prebuild-install', 'bin.js');
  const common = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`];
  let ok = existsSync(prebuild) && run(process.execPath, [prebuild, ...common, '--verbose'], work);
  if (!ok) {
    // No prebuilt binary reachable: compile against Electron's headers with npm's own node-gyp.
    const npmDir = path.dirname(
      path.dirname(process.env.npm_execpath ?? require.resolve('npm/package.json')),
    );
    const gypCandidates = [
      path.join(npmDir, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      path.join(
        path.dirname(process.execPath),
        '..',
        'lib',
        'node_modules',
        'npm',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    ];
    const gyp = gypCandidates.find((p) => existsSync(p));
    ok =
      gyp !== undefined &&
      run(
        process.execPath,
        [
          gyp,
          'rebuild',
          '--release',
          `--target=${electronVersion}`,
          `--arch=${process.arch}`,
          '--dist-url=https://electronjs.org/headers',
        ],
        work,
      );
  }
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!ok || !existsSync(built)) {
    fail(
      `could not build better-sqlite3 for Electron ${electronVersion}: no prebuilt binary was reachable and compiling needs a C++ toolchain and Electron’s headers (https://electronjs.org/headers); install a compiler (build-essential / Xcode / Visual Studio Build Tools) and run \`npm start\` again.`,
    );
  }
  cpSync(built, binding);
  writeFileSync(marker, `${electronVersion} ${process.arch}\n`);
  rmSync(work, { recursive: true, force: true });
}

// 3. Build and launch
const evite = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
if (!run(process.execPath, [evite, 'build'], root)) fail('the build failed (see the errors above).');
const launched = spawnSync(process.execPath, [evite, 'preview', '--skipBuild'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(launched.status ?? 1);
