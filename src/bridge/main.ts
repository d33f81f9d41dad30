// `node --import tsx src/bridge/main.ts --db <file> [--renderer out/renderer] [--port N]`: run the
// bridge by hand (e.g. to open the renderer in any browser against a study database). Prints the
// page URL with its token; Ctrl+C stops it.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModelRoots } from '../core/services/host';
import { startBridge } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dbPath =
  arg('db') ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'kneegrade-bridge-')), 'kneegrade.db');
const bridge = await startBridge({
  dbPath,
  modelRoots: defaultModelRoots(root, dbPath),
  workDir: path.join(path.dirname(path.resolve(dbPath)), 'work'),
  version: (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version,
  rendererDir: arg('renderer') ?? path.join(root, 'out', 'renderer'),
  ...(arg('port') ? { port: Number(arg('port')) } : {}),
  log: (l) => process.stderr.write(`${l}\n`),
});
process.stdout.write(`KneeGrade bridge on ${bridge.pageUrl}\n(database: ${dbPath})\n`);
const stop = (): void => {
  void bridge.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
