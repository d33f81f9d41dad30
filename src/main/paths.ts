// Where the desktop app keeps things: the study database in the user's data folder (the CLI's default
// database is the same file), default models in the app's resources, the Electron build of
// better-sqlite3 beside the build output.
import { app } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CoreConfig } from './core-protocol';

/** The app root: the project folder in development, the app.asar in a package. */
function appRoot(): string {
  return app.getAppPath();
}

export function nativeBindingPath(): string | undefined {
  // scripts/start.mjs builds better-sqlite3 for Electron's ABI into out/native/, leaving the Node build
  // (used by the CLI and the tests) untouched.
  const candidates = [
    path.join(appRoot(), 'out', 'native', 'better_sqlite3.node'),
    path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
  ];
  return candidates.find((p) => existsSync(p));
}

export function coreConfig(version: string): CoreConfig {
  const userData = app.getPath('userData');
  const dbPath = process.env.KNEEGRADE_DB ?? path.join(userData, 'kneegrade.db');
  const defaults = app.isPackaged
    ? path.join(process.resourcesPath, 'models')
    : path.join(appRoot(), 'resources', 'models');
  const binding = nativeBindingPath();
  return {
    dbPath,
    modelRoots: { defaults, user: path.join(path.dirname(dbPath), 'models') },
    workDir: path.join(userData, 'work'),
    version,
    inferenceWorker: path.join(__dirname, 'inference-worker.js'),
    ...(binding ? { nativeBinding: binding } : {}),
  };
}
