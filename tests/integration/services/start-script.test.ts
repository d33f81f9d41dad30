// `npm start` without the Electron binary: one clear sentence, exit 1, no stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const hasBinary = existsSync(path.join(root, 'node_modules', 'electron', 'path.txt'));

describe.skipIf(hasBinary)('scripts/start.mjs without the Electron binary', () => {
  it('says what is missing and how to get it, in one line', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Electron binary is not installed');
    expect(lines[0]).toContain('node node_modules/electron/install.js');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
